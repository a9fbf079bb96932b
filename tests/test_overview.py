"""Overview: the monthly trend marks a month the period ends inside, and the page leaves it out
of the sparklines and labels it on the trend chart."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pandas import testing as pd_testing

from analytics import db, overview
from analytics.filters import Filters
from tests.test_pages import app_db, run  # noqa: F401  (fixture)


def test_a_period_ending_mid_month_marks_that_month_partial(demo_path):
    con = db.connect(demo_path, read_only=True)
    trend = overview.monthly_trend(con, Filters(dt.date(2026, 1, 1), dt.date(2026, 9, 15)))
    con.close()
    assert len(trend) == 12 and trend["month"].iloc[-1] == dt.datetime(2026, 9, 1)
    assert list(trend["complete"]) == [True] * 11 + [False]
    # the partial month's revenue is about half a full month's: the reason it must be marked
    assert trend["revenue"].iloc[-1] < 0.7 * trend["revenue"].iloc[:-1].median()


def test_a_period_ending_on_a_month_end_is_whole(demo_path):
    con = db.connect(demo_path, read_only=True)
    trend = overview.monthly_trend(con, Filters(dt.date(2026, 1, 1), dt.date(2026, 9, 30)))
    con.close()
    assert trend["complete"].all()


@pytest.mark.parametrize(
    "f",
    [
        Filters(dt.date(2026, 1, 1), dt.date(2026, 9, 15)),
        Filters(dt.date(2025, 10, 1), dt.date(2026, 9, 30), region=("上海",), compare="last_year"),
        Filters(dt.date(2026, 9, 1), dt.date(2026, 9, 30), segment=("smb",), tier=("key",)),
    ],
)
def test_the_trend_depends_on_the_end_and_groups_only(demo_path, f):
    """The page asks for it with ``f.ending()`` (kept once per end date and groups)."""
    con = db.connect(demo_path, read_only=True)
    trend = overview.monthly_trend(con, f)
    assert trend["active_customers_n"].sum() > 0  # a view with data
    pd_testing.assert_frame_equal(trend, overview.monthly_trend(con, f.ending()))
    con.close()


def test_overview_labels_the_partial_month(app_db):  # noqa: F811
    at = run("en", preset="custom", start="2026-01-01", end="2026-09-15")
    chart = json.loads(next(c.proto.spec for c in at.get("echarts_chart") if "Partial month" in c.proto.spec))
    mark = chart["series"][0]["markLine"]
    assert mark["data"] == [{"xAxis": "2026-09"}] and "2026-09-15" in mark["label"]["formatter"]
    partial = chart["series"][0]["data"][-1]  # the default figure's bars: the partial one dashed
    assert partial["itemStyle"]["borderType"] == "dashed" and partial["itemStyle"]["opacity"] < 1


def test_last_year_comparison_uses_the_same_dates_a_year_earlier(demo_path):
    """'This year' against the same dates last year, not against the 304 days before."""
    from dataclasses import replace

    f = Filters(dt.date(2026, 1, 1), dt.date(2026, 10, 31), compare="last_year")
    assert (f.previous().start, f.previous().end) == (dt.date(2025, 1, 1), dt.date(2025, 10, 31))
    assert Filters(dt.date(2024, 2, 29), dt.date(2024, 3, 1), compare="last_year").previous().start == dt.date(
        2023, 2, 28
    )
    con = db.connect(demo_path, read_only=True)
    figures = overview.key_figures(con, f)
    revenue_last_year = con.execute(
        "SELECT sum(amount) FROM interactions WHERE kind = 'purchase' AND ts >= '2025-01-01' AND ts < '2025-11-01'"
    ).fetchone()[0]
    answers_last_year = con.execute(
        """SELECT count(*) FROM surveys s JOIN survey_answers a USING (response_id)
           WHERE answered_at >= '2025-01-01' AND answered_at < '2025-11-01'
             AND a.experience IS NOT NULL AND a.expectation IS NOT NULL"""
    ).fetchone()[0]
    before = overview.key_figures(con, replace(f, compare="previous"))
    con.close()
    assert abs(figures["revenue"].previous - revenue_last_year) < 0.01
    assert figures["mean_gap"].previous_n == answers_last_year
    assert figures["revenue"].value == pytest.approx(before["revenue"].value)  # the period itself is unchanged
    assert figures["revenue"].previous != before["revenue"].previous


def test_satisfaction_and_complaints_show_changes_and_the_comparison(app_db):  # noqa: F811
    at = run("en", "pages/satisfaction.py", compare="last_year", preset="this_year")
    assert any("compared with the same dates last year" in str(m.value) for m in at.markdown)
    assert sum(m.delta is not None and m.delta != "" for m in at.metric) >= 3
    assert any("the period filter does not apply here" in str(c.value) for c in at.caption)
    at = run("en", "pages/complaints.py")
    assert sum(m.delta is not None and m.delta != "" for m in at.metric) >= 3


@pytest.mark.parametrize(
    "groups",
    [{"region": ("北京",)}, {"segment": ("smb",)}, {"tier": ("key", "important")}, {"region": ("北京", "上海")}],
)
@pytest.mark.parametrize("dimension", overview.DIMENSIONS)
def test_a_filtered_views_figures_are_its_groups_total(demo_con, groups, dimension):
    """The key figures of a filtered view taken from the group table's pass equal their own pass:
    every figure is a count or a sum over disjoint groups (one query instead of two a new filter)."""
    from dataclasses import replace

    from analytics.filters import default_filters

    f = replace(default_filters(demo_con, "this_year"), **groups)
    own = overview.key_figures(demo_con, f, 1)
    added = overview.key_figures(demo_con, f, 1, overview.period_figures(demo_con, f, dimension))
    assert own.keys() == added.keys()
    for key, a in own.items():
        b = added[key]
        assert (a.n, a.previous_n) == (b.n, b.previous_n), key
        assert a.value == pytest.approx(b.value, rel=1e-12) and a.previous == pytest.approx(b.previous, rel=1e-12)
    assert own["active_customers"].value > 0 and own["csat"].value is not None
    assert own["mean_gap"].scale == added["mean_gap"].scale == "1–5"


def test_csat_counts_only_responses_with_an_overall_score(con):
    """A response with no overall score (NPS only) is not a dissatisfied customer: CSAT is the
    top-two share of the answers that carry a score, as on the Satisfaction page."""
    con.execute("INSERT INTO customers (customer_id, region) VALUES ('c1', 'r'), ('c2', 'r')")
    con.execute(
        """INSERT INTO surveys (response_id, customer_id, answered_at, overall_satisfaction, nps, scale_min, scale_max)
           VALUES ('s1', 'c1', '2026-03-02', 5, 9, 1, 5), ('s2', 'c2', '2026-03-03', NULL, 3, 1, 5)"""
    )
    f = Filters(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    figures = overview.key_figures(con, f, 1)
    assert figures["csat"].value == 1.0 and figures["csat"].n == 1
    assert figures["nps"].value == 0.0 and figures["nps"].n == 2
    trend = overview.monthly_trend(con, f, min_n=1)
    assert trend.loc[trend["month"] == dt.datetime(2026, 3, 1), "csat"].item() == 1.0
