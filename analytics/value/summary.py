"""Transactions → the per-customer summary BG/NBD and Gamma-Gamma need.

For each customer whose first purchase is on or before ``observation_end``:
  frequency      = number of distinct purchase days after the first (repeat purchases);
  recency (t_x)  = time from the first to the last purchase day;
  T              = time from the first purchase day to ``observation_end``;
  monetary_value = mean spend of the repeat purchase days (0 when frequency = 0);
times in ``unit``: days, or weeks = days / 7. Computed in DuckDB in one pass.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics.filters import Filters, customer_scope

UNIT_DAYS = {"days": 1.0, "weeks": 7.0}
DAYS_PER_MONTH = 365.25 / 12  # 30.44 days: how long "a month" is in CLV horizons


def summary(
    con: duckdb.DuckDBPyConnection,
    observation_end: dt.date,
    unit: str = "weeks",
    f: Filters | None = None,
    calibration_end: dt.date | None = None,
    customer_id: str | None = None,
) -> pd.DataFrame:
    """Columns customer_id, frequency, recency, T, monetary_value (and, with a
    ``calibration_end``, the summary at that date plus ``holdout_purchases``: distinct
    purchase days in (calibration_end, observation_end]). ``customer_id`` reads that one
    customer's purchases only (the Customer page)."""
    if unit not in UNIT_DAYS:
        raise ValueError(f"unit must be one of {', '.join(UNIT_DAYS)}")
    cut = calibration_end or observation_end
    scope, params = "", {}  # type: tuple[str, dict]
    if customer_id is not None:
        scope, params = "AND customer_id = $one", {"one": customer_id}
    elif f is not None:
        scope, params = customer_scope(f)
        scope = f"AND {scope}"
    sql = f"""
        WITH d AS (SELECT customer_id, CAST(ts AS DATE) AS day, sum(amount) AS spend FROM interactions
                   WHERE kind = 'purchase' AND CAST(ts AS DATE) <= $end {scope} GROUP BY 1, 2),
        cal AS (SELECT * FROM d WHERE day <= $cut),
        s AS (SELECT customer_id, min(day) AS first_day, max(day) AS last_day, count(*) - 1 AS frequency,
                     sum(coalesce(spend, 0)) - arg_min(coalesce(spend, 0), day) AS repeat_spend
              FROM cal GROUP BY 1),
        h AS (SELECT customer_id, count(*) AS holdout_purchases FROM d WHERE day > $cut GROUP BY 1)
        SELECT s.customer_id, s.frequency,
               date_diff('day', s.first_day, s.last_day) / $u AS recency,
               date_diff('day', s.first_day, CAST($cut AS DATE)) / $u AS T,
               CASE WHEN s.frequency > 0 THEN greatest(s.repeat_spend, 0) / s.frequency ELSE 0 END AS monetary_value,
               coalesce(h.holdout_purchases, 0) AS holdout_purchases
        FROM s LEFT JOIN h USING (customer_id)"""
    out = con.execute(sql, {**params, "end": observation_end, "cut": cut, "u": UNIT_DAYS[unit]}).df()
    out["frequency"] = out["frequency"].astype("int64")
    if calibration_end is None:
        out = out.drop(columns="holdout_purchases")
    return out
