"""Complaints and silent defection (deck 000 / 001; domain.md §2).

Outcome classes of deck 000's table: complained and resolved quickly (within
``quick_hours``, default 48), complained and resolved later, complained and never resolved,
and dissatisfied customers who never complained (bottom two points of overall
satisfaction in a survey, no complaint on record). Repurchase = a purchase within the
following window (default 365 days).
"""
from __future__ import annotations

import duckdb
import pandas as pd

from .filters import Filters, customer_sql
from .repurchase import repurchase_after

OUTCOMES = ("resolved_quickly", "resolved", "unresolved", "silent_dissatisfied")
#: Deck 000's "still buy" share per outcome (投诉后的四种情况).
DECK_REPURCHASE = {"resolved_quickly": 0.82, "resolved": 0.54, "unresolved": 0.19, "silent_dissatisfied": 0.09}


def outcome_events_sql(f: Filters | None, quick_hours: float = 48) -> tuple[str, dict]:
    """Events per outcome class: complaints by how they were handled, plus silent dissatisfaction."""
    if f is not None:
        cust, params = customer_sql(f)
        scope, s_scope = f"AND customer_id IN ({cust})", f"AND s.customer_id IN ({cust})"
    else:
        scope, s_scope, params = "", "", {}
    sql = f"""
        SELECT customer_id, opened_at AS event_at,
               CASE WHEN resolved_at IS NULL THEN 'unresolved'
                    WHEN resolved_at - opened_at <= to_hours(CAST($quick_hours AS BIGINT)) THEN 'resolved_quickly'
                    ELSE 'resolved' END AS label
        FROM complaints WHERE true {scope}
        UNION ALL
        SELECT s.customer_id, s.answered_at AS event_at, 'silent_dissatisfied' AS label
        FROM surveys s WHERE s.overall_satisfaction <= s.scale_min + 1 {s_scope}
          AND NOT EXISTS (SELECT 1 FROM complaints k WHERE k.customer_id = s.customer_id)"""
    return sql, {**params, "quick_hours": quick_hours}


def outcome_repurchase(con: duckdb.DuckDBPyConnection, f: Filters | None = None, window_days: int = 365,
                       quick_hours: float = 48) -> pd.DataFrame:
    """Repurchase rate per outcome class with n and 95 % CI, beside deck 000's table."""
    sql, params = outcome_events_sql(f, quick_hours)
    out = repurchase_after(con, sql, params, window_days).rename(columns={"label": "outcome"})
    out = out.set_index("outcome").reindex(list(OUTCOMES)).reset_index()
    out["n"] = out["n"].fillna(0).astype(int)
    out["deck"] = out["outcome"].map(DECK_REPURCHASE)
    return out
