"""Did the customer buy again after a moment of truth (a survey answer, a complaint)?

``repurchase_after(events)`` takes a SQL relation of events (customer_id, event_at, label) and
returns, per label, n and the share of customers with a purchase within ``window_days``
after the event, with a Wilson 95 % interval. Only events at least ``window_days`` before
the end of the data count, so every window is fully observed.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics import db
from analytics.stats import wilson_arrays


def data_end(con: duckdb.DuckDBPyConnection):
    """The last purchase in the data: from the per-customer value table when it is current
    (one row per customer, built with every write: 1M rows instead of a 9.7M-row scan, 0.4 s
    on a page view at 1M), else from the interactions themselves."""
    if db.versions(con).derived_current:
        return con.execute("SELECT max(last_purchase) FROM customer_value").fetchone()[0]
    return con.execute("SELECT max(ts) FROM interactions WHERE kind = 'purchase'").fetchone()[0]


def repurchase_after(
    con: duckdb.DuckDBPyConnection, events_sql: str, params: dict, window_days: int = 365
) -> pd.DataFrame:
    """Per label: n events, repurchases, rate, ci_low, ci_high."""
    end = data_end(con)
    if end is None:
        return pd.DataFrame(columns=["label", "n", "repurchased", "rate", "ci_low", "ci_high"])
    sql = f"""
        WITH e AS ({events_sql}),
        e2 AS (SELECT * FROM e WHERE event_at <= $end - to_days($window) AND customer_id IS NOT NULL),
        hit AS (SELECT DISTINCT e2.customer_id, e2.event_at, e2.label FROM e2 JOIN interactions i
                ON i.customer_id = e2.customer_id AND i.kind = 'purchase'
               AND i.ts > e2.event_at AND i.ts <= e2.event_at + to_days($window))
        SELECT e2.label, count(*) AS n, count(hit.customer_id) AS repurchased
        FROM e2 LEFT JOIN hit ON hit.customer_id = e2.customer_id
         AND hit.event_at = e2.event_at AND hit.label = e2.label
        GROUP BY 1 ORDER BY 1"""
    out = con.execute(sql, {**params, "end": end, "window": int(window_days)}).df()
    out["rate"] = out["repurchased"] / out["n"]
    out["ci_low"], out["ci_high"] = wilson_arrays(out["repurchased"], out["n"])
    return out
