"""Lifecycle stages (deck 004: 获取期、提升期、成熟期、衰退期、离开期) from the purchase trajectory.

As of a date ``at``, with H = 180 days and the churn threshold N days (analytics/churn.py):
  exit        离开期  churned flag set by ``at``, or no purchase for more than N days;
  acquisition 获取期  first purchase within the last H days, or only one purchase so far;
  decline     衰退期  purchases in the last H days below half of those in the H days before;
  growth      提升期  purchases in the last H days above those in the H days before (by ≥ 1)
                      and a customer for less than two years;
  maturity    成熟期  everyone else (steady buying).
Flows: each customer's stage a year before ``at`` against the stage at ``at``.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from .filters import Filters, customer_sql

STAGES = ("acquisition", "growth", "maturity", "decline", "exit")
WINDOW_DAYS = 180


def stages(con: duckdb.DuckDBPyConnection, f: Filters, at: dt.date, churn_days: int,
           customer_id: str | None = None) -> pd.DataFrame:
    """customer_id, stage as of ``at`` (customers with a first purchase before ``at``);
    ``customer_id`` restricts to one customer."""
    cust, params = customer_sql(f)
    if customer_id is not None:
        cust, params = "SELECT $one AS customer_id", {"one": customer_id}
    at_ts = dt.datetime.combine(at + dt.timedelta(days=1), dt.time())
    return con.execute(f"""WITH p AS (SELECT customer_id, min(ts) AS first, max(ts) AS last, count(*) AS n,
                   count(*) FILTER (WHERE ts >= $at - to_days($h)) AS recent,
                   count(*) FILTER (WHERE ts >= $at - to_days(2 * $h) AND ts < $at - to_days($h)) AS before
            FROM interactions WHERE kind = 'purchase' AND ts < $at AND customer_id IN ({cust}) GROUP BY 1)
        SELECT p.customer_id, CASE
              WHEN (c.churned AND coalesce(c.churn_date, DATE '1900-01-01') < $at) OR last < $at - to_days($n) THEN 'exit'
              WHEN first >= $at - to_days($h) OR n = 1 THEN 'acquisition'
              WHEN recent < 0.5 * before THEN 'decline'
              WHEN recent >= before + 1 AND first >= $at - to_days(730) THEN 'growth'
              ELSE 'maturity' END AS stage
        FROM p JOIN customers c USING (customer_id)""",
                       {**params, "at": at_ts, "h": WINDOW_DAYS, "n": int(churn_days)}).df()


def stage_counts(s: pd.DataFrame) -> dict:
    counts = s["stage"].value_counts() if len(s) else pd.Series(dtype=int)
    return {k: int(counts.get(k, 0)) for k in STAGES}


def flows(con: duckdb.DuckDBPyConnection, f: Filters, at: dt.date, churn_days: int) -> pd.DataFrame:
    """Customers per (stage a year before, stage now); 'new' = no purchase a year before."""
    before = stages(con, f, at - dt.timedelta(days=365), churn_days).rename(columns={"stage": "source"})
    now = stages(con, f, at, churn_days).rename(columns={"stage": "target"})
    m = now.merge(before, on="customer_id", how="left").fillna({"source": "new"})
    m = m[~((m["source"] == "exit") & (m["target"] == "exit"))]
    return m.groupby(["source", "target"]).size().rename("customers").reset_index()
