"""Lifecycle stages (deck 004: 获取期、提升期、成熟期、衰退期、离开期) from the purchase trajectory.

As of a date ``at``, with H = 180 days and the churn threshold N days (analytics/loyalty/churn.py):
  exit        离开期  churned flag set by ``at``, or no purchase for more than N days;
  acquisition 获取期  first purchase within the last H days, or only one purchase so far;
  decline     衰退期  purchases in the last H days below half of those in the H days before;
  growth      提升期  purchases in the last H days above those in the H days before (by ≥ 1)
                      and a customer for less than two years;
  maturity    成熟期  everyone else (steady buying).
Flows (``transitions``, ``flows_of``): each customer's stage a year before ``at`` against the stage at ``at``.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics.filters import Filters, customer_scope

STAGES = ("acquisition", "growth", "maturity", "decline", "exit")
WINDOW_DAYS = 180


def _aggregates(at: str) -> str:
    """Per-customer purchase aggregates as of the bound timestamp ``$<at>`` (exclusive)."""
    return (
        f"min(ts) FILTER (WHERE ts < ${at}) AS first_{at}, max(ts) FILTER (WHERE ts < ${at}) AS last_{at}, "
        f"count(*) FILTER (WHERE ts < ${at}) AS n_{at}, "
        f"count(*) FILTER (WHERE ts < ${at} AND ts >= ${at} - to_days($h)) AS recent_{at}, "
        f"count(*) FILTER (WHERE ts < ${at} - to_days($h) AND ts >= ${at} - to_days(2 * $h)) AS before_{at}"
    )


def _stage(at: str) -> str:
    """The stage rules (module docstring) over ``_aggregates(at)``."""
    return f"""CASE
        WHEN (c.churned AND coalesce(c.churn_date, DATE '1900-01-01') < ${at})
             OR last_{at} < ${at} - to_days($n) THEN 'exit'
        WHEN first_{at} >= ${at} - to_days($h) OR n_{at} = 1 THEN 'acquisition'
        WHEN recent_{at} < 0.5 * before_{at} THEN 'decline'
        WHEN recent_{at} >= before_{at} + 1 AND first_{at} >= ${at} - to_days(730) THEN 'growth'
        ELSE 'maturity' END"""


def _as_of(at: dt.date) -> dt.datetime:
    return dt.datetime.combine(at + dt.timedelta(days=1), dt.time())


def stages(
    con: duckdb.DuckDBPyConnection, f: Filters, at: dt.date, churn_days: int, customer_id: str | None = None
) -> pd.DataFrame:
    """customer_id, stage as of ``at`` (customers with a first purchase before ``at``);
    ``customer_id`` restricts to one customer."""
    scope, params = customer_scope(f)
    if customer_id is not None:
        scope, params = "customer_id = $one", {"one": customer_id}
    return con.execute(
        f"""WITH p AS (SELECT customer_id, {_aggregates("now")} FROM interactions
            WHERE kind = 'purchase' AND ts < $now AND {scope} GROUP BY 1)
        SELECT p.customer_id, {_stage("now")} AS stage FROM p JOIN customers c USING (customer_id)""",
        {**params, "now": _as_of(at), "h": WINDOW_DAYS, "n": int(churn_days)},
    ).df()


def stage_counts(s: pd.DataFrame) -> dict:
    counts = s["stage"].value_counts() if len(s) else pd.Series(dtype=int)
    return {k: int(counts.get(k, 0)) for k in STAGES}


def flows_of(t: pd.DataFrame) -> pd.DataFrame:
    """The flows of ``transitions``: customers per (stage a year before, stage now), 'new' = no
    purchase a year before, less those gone at both moments (the Retention page's Sankey)."""
    return t[~((t["source"] == "exit") & (t["target"] == "exit"))].reset_index(drop=True)


def counts_now(t: pd.DataFrame) -> dict:
    """Customers per stage at ``at`` from ``transitions`` (equal to ``stage_counts(stages(…))``:
    the same customers, the same rules)."""
    by_stage = t.groupby("target")["customers"].sum() if len(t) else pd.Series(dtype=int)
    return {k: int(by_stage.get(k, 0)) for k in STAGES}


def transitions(con: duckdb.DuckDBPyConnection, f: Filters, at: dt.date, churn_days: int) -> pd.DataFrame:
    """Customers per (stage a year before ``at``, stage at ``at``), every pair: the stage counts
    and the flows of the Retention page from one pass over the purchases."""
    scope, params = customer_scope(f)
    return con.execute(
        f"""WITH p AS (SELECT customer_id, {_aggregates("was")}, {_aggregates("now")} FROM interactions
            WHERE kind = 'purchase' AND ts < $now AND {scope} GROUP BY 1),
        s AS (SELECT CASE WHEN n_was = 0 THEN 'new' ELSE {_stage("was")} END AS source, {_stage("now")} AS target
              FROM p JOIN customers c USING (customer_id))
        SELECT source, target, count(*) AS customers FROM s GROUP BY 1, 2 ORDER BY 1, 2""",
        {
            **params,
            "now": _as_of(at),
            "was": _as_of(at - dt.timedelta(days=365)),
            "h": WINDOW_DAYS,
            "n": int(churn_days),
        },
    ).df()
