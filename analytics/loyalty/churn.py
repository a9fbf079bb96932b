"""Churn: the definition, cohorts, survival and early warnings (the model: ``churn_model``).

Definition: the customers table's ``churned`` flag when the data has one; otherwise no
purchase for N days, N by default the 90th percentile of the gaps between a customer's
consecutive purchase days, rounded up to 30 days (a customer is "late" when they wait longer
than nine in ten gaps observed in the whole base), at least 60 days.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from analytics.filters import Filters, customer_scope

HORIZON_DAYS = 180
#: Deck 004's early-warning signs, the columns of ``early_warnings``.
WARNINGS = ("overdue", "slowing", "complaints_rising", "satisfaction_falling")


def has_flag(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the customers table carries an explicit churned flag for some customers."""
    return con.execute("SELECT count(churned) > 0 AND count_if(churned) > 0 FROM customers").fetchone()[0]


def default_churn_days(con: duckdb.DuckDBPyConnection) -> int:
    """90th percentile of inter-purchase gaps (days), rounded up to 30, at least 60 (kept by
    every write, see analytics/loyalty/signals.py; computed here for a file older than that)."""
    from analytics.loyalty import signals

    kept = signals.kept_churn_days(con)
    return kept if kept is not None else churn_days_from_gaps(con)


def purchase_gaps(where: str = "TRUE") -> str:
    """SQL: each customer's purchase days (of the interactions ``where`` selects) and the gap in
    days since the one before (NULL for the first)."""
    return f"""SELECT customer_id, day, date_diff('day', lag(day) OVER (PARTITION BY customer_id ORDER BY day), day)
                  AS gap FROM (SELECT DISTINCT customer_id, CAST(ts AS DATE) AS day FROM interactions
                               WHERE kind = 'purchase' AND {where})"""


def churn_days_from_gaps(con: duckdb.DuckDBPyConnection, gaps: str | None = None) -> int:
    """``default_churn_days`` from the purchases themselves (one pass over every purchase day;
    ``gaps``: a table already holding ``purchase_gaps()``)."""
    q = con.execute(
        f"SELECT quantile_cont(gap, 0.9) FROM {gaps or f'({purchase_gaps()})'} WHERE gap IS NOT NULL"
    ).fetchone()[0]
    return max(60, int(math.ceil((q or 60) / 30) * 30))


@dataclass
class Definition:
    kind: str  # "flag" or "inactivity"
    days: int  # N for inactivity (also used by lifecycle and warnings)

    def describe(self) -> str:
        return "churned flag" if self.kind == "flag" else f"no purchase for {self.days} days"


def definition(con: duckdb.DuckDBPyConnection, days: int | None = None) -> Definition:
    n = days or default_churn_days(con)
    return Definition("flag" if has_flag(con) else "inactivity", n)


# --- cohorts and survival ------------------------------------------------------------------


def cohort_retention(con: duckdb.DuckDBPyConnection, f: Filters, months: int = 12) -> pd.DataFrame:
    """Share of each first-purchase month's customers who bought in month k after it (k = 0..months)."""
    scope, params = customer_scope(f)
    return (
        con.execute(
            f"""WITH p AS (SELECT customer_id, date_trunc('month', ts) AS m FROM interactions
                   WHERE kind = 'purchase' AND {scope}),
        c AS (SELECT customer_id, min(m) AS cohort FROM p GROUP BY 1),
        a AS (SELECT DISTINCT p.customer_id, c.cohort, date_diff('month', c.cohort, p.m) AS k
               FROM p JOIN c USING (customer_id))
        SELECT cohort, k, count(*) AS active, (SELECT count(*) FROM c c2 WHERE c2.cohort = a.cohort) AS size
        FROM a WHERE k <= $months GROUP BY cohort, k ORDER BY cohort, k""",
            {**params, "months": months},
        )
        .df()
        .assign(rate=lambda d: d["active"] / d["size"])
    )


def durations(con: duckdb.DuckDBPyConnection, f: Filters, d: Definition, group: str = "segment") -> pd.DataFrame:
    """Per customer: lifetime in days from first purchase to churn (event) or to the end (censored).
    First and last purchases come from ``customer_value`` (kept by every write), not a scan."""
    scope, params = customer_scope(f)
    end = con.execute("SELECT max(ts) FROM interactions").fetchone()[0]
    if group == "satisfaction":
        grp = "CAST(s.latest AS VARCHAR)"
    else:
        grp = f"c.{group}" if group in ("region", "segment", "channel") else "'all'"
    if d.kind == "flag":
        params = {k: v for k, v in params.items()}
        event = "coalesce(c.churned, false)"
        stop = "CASE WHEN c.churned AND c.churn_date IS NOT NULL THEN CAST(c.churn_date AS TIMESTAMP) ELSE $end END"
    else:
        event = "p.last < $end - to_days($n)"
        stop = "CASE WHEN p.last < $end - to_days($n) THEN p.last + to_days($n) ELSE $end END"
    return con.execute(
        f"""WITH p AS (SELECT customer_id, first_purchase AS first, last_purchase AS last FROM customer_value
                   WHERE orders > 0 AND {scope}),
        s AS (SELECT customer_id, arg_max(overall_satisfaction, answered_at) AS latest FROM surveys GROUP BY 1)
        SELECT p.customer_id, {grp} AS "group", {event} AS event,
               greatest(date_diff('day', p.first, {stop}), 1) AS days
        FROM p JOIN customers c USING (customer_id) LEFT JOIN s USING (customer_id)""",
        {**params, "end": end, **({"n": d.days} if d.kind != "flag" else {})},
    ).df()


def kaplan_meier(dur: pd.DataFrame, min_n: int = 10) -> tuple[pd.DataFrame, dict]:
    """Survival curves per group (lifelines) and each group's median lifetime in days."""
    from lifelines import KaplanMeierFitter

    curves, medians = [], {}
    for g, part in dur.dropna(subset=["group"]).groupby("group"):
        if len(part) < min_n:
            continue
        km = KaplanMeierFitter().fit(part["days"], part["event"].astype(bool))
        sf = km.survival_function_.reset_index()
        sf.columns = ["days", "survival"]
        curves.append(sf.assign(group=g))
        med = km.median_survival_time_
        medians[g] = None if not np.isfinite(med) else float(med)
    return (
        pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(columns=["days", "survival", "group"]),
        medians,
    )


def early_warnings(con: duckdb.DuckDBPyConnection, f: Filters, at: dt.date | None = None) -> pd.DataFrame:
    """Deck 004's warnings per active customer as of ``at`` (default: the data's end):
    overdue (no purchase within 1.5 × their usual interval), pace (last 90 days below half their
    own 90-day average), complaints rising (last 90 days above the 90 before), satisfaction falling
    (latest overall score below the previous one). As of the data's end they are read from the
    per-customer table every write keeps (analytics/loyalty/signals.py)."""
    from analytics.loyalty import signals

    scope, params = customer_scope(f)
    if at is None and signals.current(con):
        return con.execute(f"SELECT * FROM customer_warnings WHERE {scope} ORDER BY customer_id", params).df()
    return warnings_from_history(con, scope, params, at)


def warning_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[dict, int]:
    """Active customers with each warning (``WARNINGS``) as of the data's end, and how many are
    active: counted in the kept table (one row per customer), else from ``early_warnings``."""
    from analytics.loyalty import signals

    if not signals.current(con):
        w = early_warnings(con, f)
        return ({k: int(w[k].fillna(False).sum()) for k in WARNINGS} if len(w) else {}), len(w)
    scope, params = customer_scope(f)
    counts = ", ".join(f"count(*) FILTER (WHERE {k})" for k in WARNINGS)  # count_if of only NULLs is NULL
    row = con.execute(f"SELECT count(*), {counts} FROM customer_warnings WHERE {scope}", params).fetchone()
    return ({k: int(v) for k, v in zip(WARNINGS, row[1:])} if row[0] else {}), int(row[0])


def warnings_from_history(
    con: duckdb.DuckDBPyConnection, scope: str, params: dict, at: dt.date | None = None
) -> pd.DataFrame:
    """``early_warnings`` from the interactions, complaints and surveys themselves."""
    return con.execute(*warnings_query(con, scope, params, at)).df()


def warnings_query(
    con: duckdb.DuckDBPyConnection, scope: str, params: dict, at: dt.date | None = None, gaps: str | None = None
) -> tuple[str, dict]:
    """The statement (and its parameters) behind ``early_warnings``, for customers in ``scope``.
    ``gaps``: a table holding ``purchase_gaps()`` of every purchase (only for every customer, now)."""
    if gaps and (at or scope != "TRUE"):
        raise ValueError("kept purchase gaps cover every customer up to now")
    at_ts = (
        dt.datetime.combine(at, dt.time()) + dt.timedelta(days=1)
        if at
        else con.execute("SELECT max(ts) + INTERVAL 1 SECOND FROM interactions").fetchone()[0]
    )
    return (
        f"""WITH g AS ({f"SELECT * FROM {gaps}" if gaps else purchase_gaps(f"ts < $at AND {scope}")}),
        p AS (SELECT customer_id, median(gap) AS usual_gap, max(day) AS last, min(day) AS first, count(*) AS n,
                     count(*) FILTER (WHERE day >= CAST($at AS DATE) - 90) AS n90 FROM g GROUP BY 1),
        k AS (SELECT customer_id, count(*) FILTER (WHERE opened_at >= $at - INTERVAL 90 DAY) AS k90,
                     count(*) FILTER (WHERE opened_at >= $at - INTERVAL 180 DAY
                                       AND opened_at < $at - INTERVAL 90 DAY) AS kprev
              FROM complaints WHERE opened_at < $at GROUP BY 1),
        s AS (SELECT customer_id, list(overall_satisfaction ORDER BY answered_at DESC) AS scores FROM surveys
              WHERE answered_at < $at AND overall_satisfaction IS NOT NULL GROUP BY 1)
        SELECT p.customer_id, date_diff('day', p.last, CAST($at AS DATE)) AS days_since_purchase, p.usual_gap,
               p.usual_gap IS NOT NULL AND date_diff('day', p.last, CAST($at AS DATE)) > 1.5 * p.usual_gap AS overdue,
               p.n >= 4 AND p.n90 < 0.5 * p.n * 90.0
                 / greatest(date_diff('day', p.first, CAST($at AS DATE)), 90) AS slowing,
               coalesce(k.k90, 0) > coalesce(k.kprev, 0) AS complaints_rising,
               len(s.scores) >= 2 AND s.scores[1] < s.scores[2] AS satisfaction_falling
        FROM p LEFT JOIN k USING (customer_id) LEFT JOIN s USING (customer_id)
        WHERE p.last >= CAST($at AS DATE) - 365 ORDER BY p.customer_id""",
        {**params, "at": at_ts or dt.datetime(1970, 1, 1)},  # no interactions at all: no row, no NULL to type
    )
