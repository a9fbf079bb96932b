"""Satisfaction → retention (deck 003, Xerox: a 5 is six times as likely to repurchase as a 4).

Repurchase rate by overall satisfaction score, on the survey's own scale, and the ratio
of the top score's rate to the next score's, with a Katz 95 % interval.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.filters import Filters, customer_scope
from analytics.satisfaction.repurchase import repurchase_after
from analytics.stats import ratio_ci

DECK_TOP_VS_NEXT = 6.0  # deck 003 (Xerox)


def score_repurchase(
    con: duckdb.DuckDBPyConnection,
    f: Filters | None = None,
    window_days: int = 365,
    scale: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Per overall score: n answers, repurchase rate within ``window_days``, 95 % CI.

    Uses the responses on ``scale`` (default: the most common scale in the data).
    """
    if scale is None:
        row = con.execute(
            "SELECT scale_min, scale_max FROM surveys GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return pd.DataFrame(columns=["score", "n", "repurchased", "rate", "ci_low", "ci_high"])
        scale = row
    scope, params = "", {}
    if f is not None:
        scope, params = customer_scope(f)
        scope = f"AND {scope}"
    sql = f"""SELECT customer_id, answered_at AS event_at, CAST(overall_satisfaction AS VARCHAR) AS label FROM surveys
              WHERE overall_satisfaction IS NOT NULL AND scale_min = $smin AND scale_max = $smax {scope}"""
    out = repurchase_after(con, sql, {**params, "smin": scale[0], "smax": scale[1]}, window_days)
    out = out.rename(columns={"label": "score"})
    out["score"] = out["score"].astype(float)
    return out.sort_values("score", ignore_index=True)


def top_vs_next(table: pd.DataFrame) -> dict:
    """Ratio of the top score's repurchase rate to the next score's ('a 5 is worth six 4s')."""
    if len(table) < 2:
        return {"ratio": float("nan"), "ci_low": float("nan"), "ci_high": float("nan"), "deck": DECK_TOP_VS_NEXT}
    top, nxt = table.iloc[-1], table.iloc[-2]
    rr, lo, hi = ratio_ci(top["repurchased"], top["n"], nxt["repurchased"], nxt["n"])
    return {
        "ratio": rr,
        "ci_low": lo,
        "ci_high": hi,
        "top": top["score"],
        "next": nxt["score"],
        "n_top": int(top["n"]),
        "n_next": int(nxt["n"]),
        "deck": DECK_TOP_VS_NEXT,
    }


def csat_nps(con: duckdb.DuckDBPyConnection, f: Filters) -> dict:
    """CSAT (top-two box of overall), NPS (% 9–10 − % 0–6) with a 95 % CI, mean effort; period-filtered.

    NPS variance per answer: p + d − (p − d)², with p, d the promoter and detractor shares.
    """
    import math

    from analytics.stats import Z95, wilson_ci

    scope, params = customer_scope(f)
    start, end = f.bounds()
    row = con.execute(
        f"""SELECT count(overall_satisfaction),
               sum(CASE WHEN overall_satisfaction >= scale_max - 1 THEN 1 ELSE 0 END),
               count(nps), sum(CASE WHEN nps >= 9 THEN 1 ELSE 0 END), sum(CASE WHEN nps <= 6 THEN 1 ELSE 0 END),
               avg(effort), count(effort)
        FROM surveys WHERE answered_at >= $start AND answered_at < $end
          AND ({scope} {"OR customer_id IS NULL" if not params else ""})""",
        {**params, "start": start, "end": end},
    ).fetchone()
    n_c, top2, n_n, prom, detr, effort, n_e = (v or 0 for v in row)
    csat = top2 / n_c if n_c else None
    c_lo, c_hi = wilson_ci(top2, n_c)
    if n_n:
        p, d = prom / n_n, detr / n_n
        nps = 100 * (p - d)
        half = 100 * Z95 * math.sqrt(max(p + d - (p - d) ** 2, 0) / n_n)
    else:
        nps, half = None, float("nan")
    return {
        "csat": csat,
        "csat_n": n_c,
        "csat_ci": [c_lo, c_hi],
        "nps": nps,
        "nps_n": n_n,
        "nps_ci": [nps - half, nps + half] if nps is not None else [None, None],
        "promoters": prom / n_n if n_n else None,
        "detractors": detr / n_n if n_n else None,
        "effort": effort if n_e else None,
        "effort_n": n_e,
    }


def latest_vs_mean(con: duckdb.DuckDBPyConnection, f: Filters | None = None, window_days: int = 365) -> dict:
    """Deck 000: the latest interaction counts more than the average. For customers with two or
    more answers, how well does the latest overall score vs the mean score rank who bought again
    within ``window_days`` after the latest answer (ROC AUC)?"""
    from sklearn.metrics import roc_auc_score

    from analytics.satisfaction.repurchase import data_end

    scope, params = "", {}
    if f is not None:
        scope, params = customer_scope(f)
        scope = f"AND {scope}"
    end = data_end(con)
    if end is None:  # no purchases: nothing says who bought again
        return {"customers": 0, "auc_latest": None, "auc_mean": None}
    df = con.execute(
        f"""WITH s AS (SELECT customer_id, answered_at, overall_satisfaction FROM surveys
                WHERE overall_satisfaction IS NOT NULL AND customer_id IS NOT NULL {scope}),
            c AS (SELECT customer_id, count(*) n, avg(overall_satisfaction) AS mean_score,
                         arg_max(overall_satisfaction, answered_at) AS latest_score, max(answered_at) AS last_at
                  FROM s GROUP BY 1 HAVING count(*) >= 2)
        SELECT c.*, EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = c.customer_id AND i.kind = 'purchase'
                            AND i.ts > c.last_at AND i.ts <= c.last_at + to_days($w)) AS bought
        FROM c WHERE last_at <= $end - to_days($w)""",
        {**params, "w": window_days, "end": end},
    ).df()
    if len(df) < 30 or df["bought"].nunique() < 2:
        return {"customers": int(len(df)), "auc_latest": None, "auc_mean": None}
    return {
        "customers": int(len(df)),
        "auc_latest": float(roc_auc_score(df["bought"], df["latest_score"])),
        "auc_mean": float(roc_auc_score(df["bought"], df["mean_score"])),
    }


def responses_wide(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """The period's responses, one row each: overall score, scale, and per dimension
    ``experience|<dimension>`` and ``gap|<dimension>`` (pivoted in DuckDB for the driver models)."""
    from analytics.satisfaction.gaps import answers_sql

    sql, params = answers_sql(f)
    dims = [r[0] for r in con.execute("SELECT DISTINCT dimension FROM survey_answers ORDER BY 1").fetchall()]
    dim_params = {f"dim{i}": d for i, d in enumerate(dims)}  # names from the data: bound, never spliced
    cols = "".join(
        f", avg(experience) FILTER (WHERE dimension = $dim{i}) AS e{i}, "
        f"avg(gap) FILTER (WHERE dimension = $dim{i}) AS g{i}"
        for i in range(len(dims))
    )
    out = con.execute(
        f"""SELECT response_id, first(overall_satisfaction) AS overall_satisfaction,
            first(scale_min) AS scale_min, first(scale_max) AS scale_max {cols}
        FROM ({sql}) GROUP BY response_id""",
        {**params, **dim_params},
    ).df()
    names = {f"e{i}": f"experience|{d}" for i, d in enumerate(dims)} | {f"g{i}": f"gap|{d}" for i, d in enumerate(dims)}
    return out.rename(columns=names)


def answers_frame(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """The period's survey answers (one row per response × dimension) for the driver models."""
    from analytics.satisfaction.gaps import answers_sql

    sql, params = answers_sql(f)
    return con.execute(sql, params).df()


def gap_retention_effects(
    con: duckdb.DuckDBPyConnection, f: Filters | None = None, window_days: int = 365, min_n: int = 200
) -> dict:
    """Per dimension: the change in one-year repurchase per scale point of gap (a linear
    probability model of repurchase on all dimensions' gaps, least squares) and the mean
    shortfall (mean of min(gap, 0)). Empty when fewer than ``min_n`` answered responses."""
    import numpy as np

    from analytics.satisfaction.repurchase import data_end

    scope, params = "", {}
    if f is not None:
        scope, params = customer_scope(f, "s.customer_id")
        scope = f"AND {scope}"
    end = data_end(con)
    if end is None:
        return {}
    df = con.execute(
        f"""SELECT s.response_id, a.dimension, a.experience - a.expectation AS gap,
            EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = s.customer_id AND i.kind = 'purchase'
                    AND i.ts > s.answered_at AND i.ts <= s.answered_at + to_days($w)) AS bought
        FROM surveys s JOIN survey_answers a USING (response_id)
        WHERE s.customer_id IS NOT NULL AND s.answered_at <= $end - to_days($w) {scope}""",
        {**params, "w": window_days, "end": end},
    ).df()
    if df.empty:
        return {}
    wide = df.pivot_table(index="response_id", columns="dimension", values="gap").dropna()
    if len(wide) < min_n:
        return {}
    y = df.groupby("response_id")["bought"].first().reindex(wide.index).astype(float).to_numpy()
    x = np.column_stack([np.ones(len(wide)), wide.to_numpy()])
    beta = np.linalg.lstsq(x, y, rcond=None)[0][1:]
    short = wide.clip(upper=0).mean()
    return {d: {"per_point": float(b), "mean_shortfall": float(short[d])} for d, b in zip(wide.columns, beta)}
