"""Complaints and silent defection (deck 000 / 001; docs/domain.md, "Complaints are information").

Outcome classes of deck 000's table: complained and resolved quickly (within
``quick_hours``, default 48), complained and resolved later, complained and never resolved,
and dissatisfied customers who never complained (bottom two points of overall
satisfaction in a survey, no complaint on record). Repurchase = a purchase within the
following window (default 365 days).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.filters import Filters, customer_scope
from analytics.satisfaction.repurchase import repurchase_after

OUTCOMES = ("resolved_quickly", "resolved", "unresolved", "silent_dissatisfied")
#: Deck 000's "still buy" share per outcome (投诉后的四种情况).
DECK_REPURCHASE = {"resolved_quickly": 0.82, "resolved": 0.54, "unresolved": 0.19, "silent_dissatisfied": 0.09}


def outcome_events_sql(f: Filters | None, quick_hours: float = 48) -> tuple[str, dict]:
    """Events per outcome class: complaints by how they were handled, plus silent dissatisfaction."""
    if f is not None:
        in_scope, params = customer_scope(f)
        scope, s_scope = f"AND {in_scope}", f"AND {customer_scope(f, 's.customer_id')[0]}"
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


def outcome_repurchase(
    con: duckdb.DuckDBPyConnection, f: Filters | None = None, window_days: int = 365, quick_hours: float = 48
) -> pd.DataFrame:
    """Repurchase rate per outcome class with n and 95 % CI, beside deck 000's table."""
    sql, params = outcome_events_sql(f, quick_hours)
    out = repurchase_after(con, sql, params, window_days).rename(columns={"label": "outcome"})
    out = out.set_index("outcome").reindex(list(OUTCOMES)).reset_index()
    out["n"] = pd.to_numeric(out["n"]).fillna(0).astype(int)  # an empty result has an untyped column
    out["deck"] = out["outcome"].map(DECK_REPURCHASE)
    return out


PRODUCT_CAUSES = {"product_quality", "packaging", "misuse_damage", "defect", "产品质量", "包装", "使用不当"}
SERVICE_CAUSES = {
    "exaggerated_ads",
    "after_sales",
    "staff_attitude",
    "staff_behaviour",
    "夸大宣传",
    "售后服务",
    "服务态度",
    "服务行为",
}
DECK_VOICE_RATE = 0.04  # deck 001: 4 % of dissatisfied customers speak up, 96 % leave silently


def _scope(f: Filters, alias: str = "k") -> tuple[str, dict]:
    scope, params = customer_scope(f, ".customer_id")
    start, end = f.bounds()
    return (
        f"{alias}{scope} AND {alias}.opened_at >= $start AND {alias}.opened_at < $end",
        {**params, "start": start, "end": end},
    )


def cause_family(cause: str | None) -> str:
    """Deck 001's split of complaint causes: product or service."""
    if cause in PRODUCT_CAUSES:
        return "product"
    if cause in SERVICE_CAUSES:
        return "service"
    return "other"


def complaint_summary(con: duckdb.DuckDBPyConnection, f: Filters) -> dict:
    """Complaints opened in the period, complainants per active customer, resolution times (hours)."""
    where, params = _scope(f)
    row = con.execute(
        f"""SELECT count(*), count(DISTINCT customer_id),
               median(date_diff('minute', opened_at, resolved_at) / 60.0),
               count(*) FILTER (WHERE resolved_at IS NULL)
        FROM complaints k WHERE {where}""",
        params,
    ).fetchone()
    scope, cparams = customer_scope(f)
    active = con.execute(
        f"""SELECT count(DISTINCT customer_id) FROM interactions
        WHERE ts >= $start AND ts < $end AND {scope}""",
        {**cparams, "start": params["start"], "end": params["end"]},
    ).fetchone()[0]
    return {
        "complaints": row[0],
        "complainants": row[1],
        "active_customers": active,
        "complaint_rate": row[1] / active if active else None,
        "median_hours_to_resolve": row[2],
        "unresolved": row[3],
    }


def resolution_times(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Hours to resolve each resolved complaint in the period, with channel and cause."""
    where, params = _scope(f)
    return con.execute(
        f"""SELECT date_diff('minute', opened_at, resolved_at) / 60.0 AS hours, channel, cause
        FROM complaints k WHERE {where} AND resolved_at IS NOT NULL""",
        params,
    ).df()


def resolution_by(con: duckdb.DuckDBPyConnection, f: Filters, by: str, min_n: int = 10) -> pd.DataFrame:
    """Median hours to resolve, share resolved within 48 h and n per channel or cause."""
    if by not in ("channel", "cause"):
        raise ValueError(by)
    where, params = _scope(f)
    out = con.execute(
        f"""SELECT {by} AS "group", count(*) AS n,
               median(date_diff('minute', opened_at, resolved_at) / 60.0) AS median_hours,
               avg(CASE WHEN resolved_at IS NULL THEN 0.0
                        WHEN resolved_at - opened_at <= INTERVAL 48 HOUR THEN 1.0 ELSE 0.0 END) AS share_quick,
               avg(CASE WHEN resolved_at IS NULL THEN 1.0 ELSE 0.0 END) AS share_unresolved
        FROM complaints k WHERE {where} GROUP BY 1 ORDER BY n DESC""",
        params,
    ).df()
    out.loc[out["n"] < min_n, ["median_hours", "share_quick", "share_unresolved"]] = None
    return out


def cause_pareto(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Causes by count, cumulative share, and deck 001's product / service family."""
    where, params = _scope(f)
    out = con.execute(
        f"""SELECT coalesce(cause, 'unknown') AS cause, count(*) AS n FROM complaints k
        WHERE {where} GROUP BY 1 ORDER BY n DESC, cause""",
        params,
    ).df()
    total = out["n"].sum()
    out["share"] = out["n"] / total if total else 0.0
    out["cumulative"] = out["share"].cumsum()
    out["family"] = out["cause"].map(cause_family)
    return out


def voice_rate(con: duckdb.DuckDBPyConnection, f: Filters) -> dict:
    """Of the customers who were dissatisfied in a survey in the period (bottom two points), the
    share who ever complained — beside deck 001's 4 %."""
    scope, params = customer_scope(f)
    start, end = f.bounds()
    k, n = con.execute(
        f"""WITH d AS (SELECT DISTINCT customer_id FROM surveys
            WHERE overall_satisfaction <= scale_min + 1 AND answered_at >= $start AND answered_at < $end
              AND {scope})
        SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM complaints c WHERE c.customer_id = d.customer_id)),
               count(*) FROM d""",
        {**params, "start": start, "end": end},
    ).fetchone()
    from analytics.stats import wilson_ci

    lo, hi = wilson_ci(k, n)
    return {
        "voice_rate": k / n if n else None,
        "n": n,
        "complained": k,
        "ci_low": lo,
        "ci_high": hi,
        "deck": DECK_VOICE_RATE,
    }


def open_complaints(con: duckdb.DuckDBPyConnection, f: Filters, threshold_hours: float = 48) -> pd.DataFrame:
    """Unresolved complaints older than the threshold at the end of the data, oldest first."""
    scope, params = customer_scope(f)
    return con.execute(
        f"""WITH now_ AS (SELECT greatest((SELECT max(ts) FROM interactions),
                                                         (SELECT max(opened_at) FROM complaints)) AS t)
        SELECT complaint_id, customer_id, opened_at, cause, channel,
               round(date_diff('minute', opened_at, (SELECT t FROM now_)) / 60.0, 1) AS age_hours
        FROM complaints WHERE resolved_at IS NULL AND {scope}
          AND date_diff('minute', opened_at, (SELECT t FROM now_)) / 60.0 > $h
        ORDER BY opened_at""",
        {**params, "h": float(threshold_hours)},
    ).df()
