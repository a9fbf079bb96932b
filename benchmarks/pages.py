"""Each page's analytics: the same calls, with the same arguments, that pages/*.py make on
first view with the default filters and widget values (charts and layout left out).

Keep in step with the pages: a call added to a page belongs here too. The model fits a page
triggers once per data version (churn model on Retention and Customer, BG/NBD on Lifetime
value) are their own benchmark steps, so they are not repeated here.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from analytics import customer, overview
from analytics.filters import Filters
from analytics.loyalty import churn, lifecycle, pyramid, zones
from analytics.satisfaction import complaints, drivers, gaps, scores
from analytics.training import slides
from analytics.value.whatif import evaluate, measure_assumptions_at, measure_baseline

MIN_N = 10


def overview_page(con: duckdb.DuckDBPyConnection, f: Filters) -> None:
    overview.key_figures(con, f, MIN_N)
    overview.monthly_trend(con, f, min_n=MIN_N)
    for assumptions, customers in measure_assumptions_at(con, f, (f.end, f.previous().end)):
        evaluate(assumptions, customers)
    overview.segment_table(con, f, "region", MIN_N)


def satisfaction_page(con: duckdb.DuckDBPyConnection, f: Filters) -> None:
    gaps.summary(con, f)
    scores.csat_nps(con, f)
    gaps.by_dimension(con, f, MIN_N)
    gaps.trend(con, f, MIN_N)
    gaps.by_group(con, f, "region", MIN_N)
    answers = scores.responses_wide(con, f)
    drivers.key_drivers(answers)
    drivers.kano(answers)
    scores.score_repurchase(con, f, 365)
    scores.latest_vs_mean(con, f, 365)


def complaints_page(con: duckdb.DuckDBPyConnection, f: Filters) -> None:
    complaints.complaint_summary(con, f)
    complaints.voice_rate(con, f)
    complaints.outcome_repurchase(con, f, 365, 48)
    complaints.cause_pareto(con, f)
    complaints.resolution_by(con, f, "channel", MIN_N)
    complaints.open_complaints(con, f, 48.0)


def loyalty_page(con: duckdb.DuckDBPyConnection, f: Filters) -> None:
    pyramid.pareto_curve(con, f)
    pyramid.pyramid(con, f, pyramid.DEFAULT_CUTS)
    pyramid.tier_migration(con, f, pyramid.DEFAULT_CUTS)
    zones.zones(con, f, 2)
    zones.measures(con, f)
    pyramid.rfm(con, f)


def retention_page(con: duckdb.DuckDBPyConnection, f: Filters) -> None:
    days = churn.default_churn_days(con)
    d = churn.Definition("flag" if churn.has_flag(con) else "inactivity", days)
    lifecycle.stages(con, f, f.end, days)
    lifecycle.flows(con, f, f.end, days)
    churn.cohort_retention(con, f, 12)
    churn.kaplan_meier(churn.durations(con, f, d, "segment"), MIN_N)
    churn.early_warnings(con, f)


def lifetime_value_page(con: duckdb.DuckDBPyConnection, f: Filters) -> None:
    evaluate(measure_baseline(con, f, as_of=f.end).assumptions, 1)


def customer_page(con: duckdb.DuckDBPyConnection, f: Filters) -> None:
    one = customer.search(con, "C0000042")["customer_id"].iloc[0]
    whole = Filters(f.start, f.end)
    customer.profile(con, one)
    zones.zones(con, whole, 2, customer_id=one)
    lifecycle.stages(con, whole, f.end, churn.default_churn_days(con), customer_id=one)
    customer.timeline(con, one)
    customer.survey_answers(con, one)


def training_page(con: duckdb.DuckDBPyConnection, f: Filters) -> None:
    slides.build_slides(con, f, "zh-CN", MIN_N)


PAGES: dict[str, Callable[[duckdb.DuckDBPyConnection, Filters], None]] = {
    "overview": overview_page,
    "satisfaction": satisfaction_page,
    "complaints": complaints_page,
    "loyalty": loyalty_page,
    "retention": retention_page,
    "lifetime_value": lifetime_value_page,
    "customer": customer_page,
    "training": training_page,
}
