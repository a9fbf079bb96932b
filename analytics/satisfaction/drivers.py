"""What to fix first: key drivers of overall satisfaction, and Kano layers from the data.

Drivers: a linear regression (scikit-learn) of overall satisfaction on each dimension's
experience score, standardised, so a coefficient is "points of overall satisfaction per
standard deviation of this dimension" — the importance axis of an importance ×
performance quadrant whose other axis is the dimension's mean gap.

Kano (deck 002/000's three need layers) by penalty-reward contrast analysis (Brandt 1987;
Mittal, Ross & Baldasare 1998): regress overall satisfaction on, per dimension, a dummy for
"below expectation" (gap < 0) and one for "above expectation" (gap > 0), "met" (gap = 0)
being the reference. Penalty = −coef(below), reward = coef(above).
  basic (基本需求, must-be):     penalty clearly larger than reward;
  surprise (惊喜需求, attractive): reward clearly larger than penalty;
  expected (期望需求, one-dimensional): both matter about equally;
  indifferent: neither moves satisfaction.
"Clearly larger" = more than ``ratio`` (default 2) times; "matters" = above ``floor``
(default 5 % of the scale's range: 0.2 points on a 1–5 scale).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.preprocessing import StandardScaler


def widen(answers: pd.DataFrame) -> pd.DataFrame:
    """Long answers (one row per response × dimension) → one row per response with
    ``experience|<dimension>`` and ``gap|<dimension>`` columns (what
    ``satisfaction.responses_wide`` returns straight from DuckDB)."""
    wide = answers.pivot_table(index="response_id", columns="dimension", values=["experience", "gap"], aggfunc="mean")
    wide.columns = [f"{v}|{d}" for v, d in wide.columns]
    keep = [c for c in ("overall_satisfaction", "scale_min", "scale_max") if c in answers]
    return wide.join(answers.groupby("response_id")[keep].first()).reset_index()


def _wide(responses: pd.DataFrame, value: str) -> pd.DataFrame:
    """One row per complete response, one column per dimension, plus the overall score."""
    if "dimension" in responses:
        responses = widen(responses)
    cols = {c: c.split("|", 1)[1] for c in responses.columns if c.startswith(value + "|")}
    return responses[list(cols) + ["overall_satisfaction"]].rename(columns=cols).dropna()


def _dimension_means(responses: pd.DataFrame, value: str) -> pd.Series:
    if "dimension" in responses:
        return responses.groupby("dimension")[value].mean()
    cols = [c for c in responses.columns if c.startswith(value + "|")]
    return responses[cols].mean().rename(lambda c: c.split("|", 1)[1])


def key_drivers(answers: pd.DataFrame, min_n: int = 30) -> pd.DataFrame:
    """Per dimension: standardised effect on overall satisfaction, mean experience, mean gap.
    ``answers``: long answers or one row per response (see ``widen``)."""
    data = _wide(answers, "experience")
    dims = [c for c in data.columns if c != "overall_satisfaction"]
    if len(data) < max(min_n, len(dims) + 2) or not dims:
        return pd.DataFrame(columns=["dimension", "importance", "mean_experience", "mean_gap", "n"])
    x = StandardScaler().fit_transform(data[dims])
    model = LinearRegression().fit(x, data["overall_satisfaction"])
    gaps = _dimension_means(answers, "gap")
    out = pd.DataFrame(
        {
            "dimension": dims,
            "importance": model.coef_,
            "mean_experience": data[dims].mean().to_numpy(),
            "mean_gap": gaps.reindex(dims).to_numpy(),
            "n": len(data),
        }
    )
    out["r2"] = model.score(x, data["overall_satisfaction"])
    # quadrant: fix first = important and below expectation
    imp_mid = out["importance"].median()
    out["quadrant"] = np.select(
        [(out["importance"] >= imp_mid) & (out["mean_gap"] < 0), (out["importance"] >= imp_mid), (out["mean_gap"] < 0)],
        ["fix_first", "keep_up", "watch"],
        "maintain",
    )
    return out.sort_values("importance", ascending=False, ignore_index=True)


def kano(answers: pd.DataFrame, ratio: float = 2.0, floor: float | None = None, min_n: int = 30) -> pd.DataFrame:
    """Penalty, reward and the Kano class per dimension (see module docstring)."""
    if floor is None:
        span = (answers["scale_max"] - answers["scale_min"]).median() if "scale_max" in answers else 4.0
        span = 4.0 if pd.isna(span) else span
        floor = 0.05 * float(span)
    gap = _wide(answers, "gap")
    dims = [c for c in gap.columns if c != "overall_satisfaction"]
    if len(gap) < max(min_n, 2 * len(dims) + 2) or not dims:
        return pd.DataFrame(columns=["dimension", "penalty", "reward", "n_below", "n_above", "kano"])
    cols, names = [], []
    for d in dims:
        cols += [(gap[d] < 0).astype(float), (gap[d] > 0).astype(float)]
        names += [f"{d}|below", f"{d}|above"]
    x = pd.concat(cols, axis=1)
    x.columns = names
    model = LinearRegression().fit(x, gap["overall_satisfaction"])
    coef = dict(zip(names, model.coef_))
    rows = []
    for d in dims:
        penalty, reward = -coef[f"{d}|below"], coef[f"{d}|above"]
        p, r = max(penalty, 0.0), max(reward, 0.0)
        if p < floor and r < floor:
            cls = "indifferent"
        elif p > ratio * r:
            cls = "basic"
        elif r > ratio * p:
            cls = "surprise"
        else:
            cls = "expected"
        rows.append(
            {
                "dimension": d,
                "penalty": penalty,
                "reward": reward,
                "n_below": int((gap[d] < 0).sum()),
                "n_above": int((gap[d] > 0).sum()),
                "kano": cls,
            }
        )
    return pd.DataFrame(rows)
