"""Satisfaction = experience − expectation (deck 002's triangle law; SERVQUAL's gap 5).

Gaps are in the survey's own scale points and, so surveys on different scales compare,
as a share of the scale's range (gap / (max − min)). The five levels of deck 002 come from
a response's mean gap share with thresholds that can be changed.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from analytics.filters import Filters, customer_sql, is_unfiltered
from analytics.stats import Z95

#: The five SERVQUAL dimensions (Parasuraman, Zeithaml & Berry 1988) the demo and the wide
#: survey template use; imported surveys may name others.
SERVQUAL_DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
LEVELS = ("very_dissatisfied", "dissatisfied", "neutral", "satisfied", "very_satisfied")
#: Upper bounds of the first four levels, as a share of the scale's range (a 1–5 scale: ±1, ±0.2 points).
DEFAULT_THRESHOLDS = (-0.25, -0.05, 0.05, 0.25)
GROUPS = {"region": "c.region", "segment": "c.segment", "channel": "c.channel", "tier": "v.tier"}


def answers_sql(f: Filters, group: str | None = None) -> tuple[str, dict]:
    """Answers in the period: response_id, customer_id, answered_at, dimension, expectation,
    experience, gap, gap_share, overall_satisfaction, nps, scale_min, scale_max (and grp)."""
    params: dict = {"start": f.bounds()[0], "end": f.bounds()[1]}
    join, grp = "", "'all'"
    if not is_unfiltered(f) or group:
        cust, cparams = customer_sql(f)
        params.update(cparams)
        join = f"JOIN ({cust}) fc ON fc.customer_id = s.customer_id"
        if group:
            join = (
                f"JOIN ({cust}) fc ON fc.customer_id = s.customer_id JOIN customers c ON c.customer_id = s.customer_id"
                + (" JOIN customer_value v ON v.customer_id = s.customer_id" if group == "tier" else "")
            )
            grp = GROUPS[group]
    sql = f"""SELECT s.response_id, s.customer_id, s.answered_at, a.dimension, a.expectation, a.experience,
                     a.experience - a.expectation AS gap,
                     (a.experience - a.expectation) / (s.scale_max - s.scale_min) AS gap_share,
                     s.overall_satisfaction, s.nps, s.scale_min, s.scale_max, {grp} AS grp
              FROM surveys s JOIN survey_answers a USING (response_id) {join}
              WHERE s.answered_at >= $start AND s.answered_at < $end
                AND a.expectation IS NOT NULL AND a.experience IS NOT NULL"""
    return sql, params


def by_dimension(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int = 10) -> pd.DataFrame:
    """Per dimension: n, mean expectation, mean experience, mean gap with 95 % CI, gap share."""
    sql, params = answers_sql(f)
    out = con.execute(
        f"""SELECT dimension, count(*) AS n, avg(expectation) AS mean_expectation,
                 avg(experience) AS mean_experience, avg(gap) AS mean_gap, stddev_samp(gap) AS sd,
                 avg(gap_share) AS mean_gap_share
          FROM ({sql}) GROUP BY 1 ORDER BY mean_gap""",
        params,
    ).df()
    half = Z95 * out["sd"] / np.sqrt(out["n"])
    out["ci_low"], out["ci_high"] = out["mean_gap"] - half, out["mean_gap"] + half
    small = out["n"] < min_n
    out.loc[small, ["mean_expectation", "mean_experience", "mean_gap", "ci_low", "ci_high", "mean_gap_share"]] = np.nan
    return out.drop(columns="sd")


def by_group(con: duckdb.DuckDBPyConnection, f: Filters, group: str, min_n: int = 10) -> pd.DataFrame:
    """Mean gap per group × dimension (a heatmap), groups under ``min_n`` answers suppressed."""
    sql, params = answers_sql(f, group)
    out = con.execute(
        f"""SELECT grp AS "group", dimension, count(*) AS n, avg(gap) AS mean_gap,
                                 avg(gap_share) AS mean_gap_share
                          FROM ({sql}) GROUP BY 1, 2""",
        params,
    ).df()
    out.loc[out["n"] < min_n, ["mean_gap", "mean_gap_share"]] = np.nan
    return out


def trend(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int = 10) -> pd.DataFrame:
    """Mean gap per month and dimension over the period."""
    sql, params = answers_sql(f)
    out = con.execute(
        f"""SELECT date_trunc('month', answered_at) AS month, dimension, count(*) AS n,
                                 avg(gap) AS mean_gap FROM ({sql}) GROUP BY 1, 2 ORDER BY 1, 2""",
        params,
    ).df()
    out.loc[out["n"] < min_n, "mean_gap"] = np.nan
    return out


def responses(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per response: mean gap and gap share over its dimensions, overall score, NPS."""
    sql, params = answers_sql(f)
    return con.execute(
        f"""SELECT response_id, any_value(customer_id) AS customer_id, any_value(answered_at) AS answered_at,
                 avg(gap) AS gap, avg(gap_share) AS gap_share, any_value(overall_satisfaction) AS overall,
                 any_value(nps) AS nps, any_value(scale_min) AS scale_min, any_value(scale_max) AS scale_max
          FROM ({sql}) GROUP BY response_id""",
        params,
    ).df()


def levels(gap_share: pd.Series, thresholds: tuple[float, float, float, float] = DEFAULT_THRESHOLDS) -> pd.Series:
    """Deck 002's five levels from each response's mean gap share."""
    t = sorted(thresholds)
    codes = np.searchsorted(np.asarray(t), gap_share.to_numpy(), side="left")
    # a gap exactly on a threshold belongs to the level above it, except the neutral band's lower edge
    return pd.Series(np.asarray(LEVELS)[codes], index=gap_share.index)


def level_shares(resp: pd.DataFrame, thresholds=DEFAULT_THRESHOLDS) -> dict:
    if resp.empty:
        return {lvl: 0.0 for lvl in LEVELS}
    counts = levels(resp["gap_share"], thresholds).value_counts(normalize=True)
    return {lvl: float(counts.get(lvl, 0.0)) for lvl in LEVELS}


def summary(con: duckdb.DuckDBPyConnection, f: Filters, thresholds=DEFAULT_THRESHOLDS) -> dict:
    """Headline figures of the gap: responses, mean gap, shares above/below/at zero, correlation
    of a response's mean gap with its overall satisfaction, responses per rounded gap."""
    resp = responses(con, f)
    if resp.empty:
        return {
            "responses": 0,
            "mean_gap": None,
            "mean_gap_share": None,
            "share_positive": None,
            "share_negative": None,
            "share_zero": None,
            "levels": level_shares(resp),
            "corr_gap_overall": None,
            "gap_counts": {},
        }
    ok = resp.dropna(subset=["overall"])
    corr = float(np.corrcoef(ok["gap"], ok["overall"])[0, 1]) if len(ok) > 2 and ok["gap"].std() > 0 else None
    return {
        "responses": int(len(resp)),
        "mean_gap": float(resp["gap"].mean()),
        "mean_gap_share": float(resp["gap_share"].mean()),
        "share_positive": float((resp["gap"] > 0).mean()),
        "share_negative": float((resp["gap"] < 0).mean()),
        "share_zero": float((resp["gap"] == 0).mean()),
        "levels": level_shares(resp, thresholds),
        "corr_gap_overall": corr,
        # responses per mean gap rounded to 0.1 point (the training deck's histogram)
        "gap_counts": {float(k): int(v) for k, v in resp["gap"].round(1).value_counts().sort_index().items()},
    }
