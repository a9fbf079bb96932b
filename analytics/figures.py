"""The Overview's key figures from the raw counts and sums of a period (analytics/overview.py):
their definitions' n, small-group suppression, and the total of a dimension's groups."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

MIN_N = 10
FIGURES = ("active_customers", "revenue", "mean_gap", "csat", "nps", "complaint_rate", "retention_rate")
#: Which count is each figure's n.
N_OF = {
    "active_customers": "active_customers",
    "revenue": "active_customers",
    "mean_gap": "answers",
    "csat": "csat_n",
    "nps": "nps_n",
    "complaint_rate": "active_customers",
    "retention_rate": "retention_base",
}
#: Higher is better for every figure, which the segment table uses to mark best and worst.
HIGHER_IS_BETTER = {k: k != "complaint_rate" for k in FIGURES}


@dataclass
class Figure:
    """One key figure of a period: value (None when n < min_n), its n and the previous value."""

    key: str
    value: float | None
    n: int
    previous: float | None
    previous_n: int

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


#: The count columns of ``period_figures`` (prefixes): missing means none.
COUNTS = ("active", "retained", "retention_base", "answers", "csat_n", "nps_n", "complain", "csat_hits", "gap_share_n")


def total(raw: pd.DataFrame) -> pd.DataFrame:
    """The groups of ``period_figures`` added up: one row, the filtered customers as a whole.

    Exact for every figure (each is a count or a sum over disjoint groups); the scale is the
    groups' common one, or none when they differ."""
    out = raw.drop(columns="grp").sum(numeric_only=True, min_count=1).to_frame().T
    for period in ("cur", "prev"):
        lo, hi, n = (f"scale_min_{period}", f"scale_max_{period}", f"scales_{period}")
        if n in raw:
            pairs = raw.loc[raw[n] > 0, [lo, hi]].drop_duplicates()
            one = len(pairs) == 1 and (raw[n].fillna(0) <= 1).all()
            out[n] = 1 if one else (2 if len(pairs) else None)
            out[lo], out[hi] = (pairs.iloc[0, 0], pairs.iloc[0, 1]) if one else (None, None)
    return out.assign(grp="all")


def _ratio(num, den):
    """num / den, None when there is nothing to divide by."""
    return num / den if den and not pd.isna(num) else None


def finish(raw: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Figures per group and period from the raw counts and sums; values under ``min_n`` become NaN.

    CSAT counts responses with an overall score (``csat_n``), NPS those with an NPS answer."""
    rows = []
    for _, r in raw.iterrows():
        for period in ("cur", "prev"):
            active = r.get(f"active_{period}", 0)
            base = r.get(f"retention_base_{period}", 0)
            answers = r.get(f"answers_{period}", 0)
            vals = {
                "active_customers": active,
                "revenue": r.get(f"revenue_{period}"),
                "mean_gap": _ratio(r.get(f"gap_sum_{period}"), answers),
                "mean_gap_share": _ratio(r.get(f"gap_share_sum_{period}"), r.get(f"gap_share_n_{period}", 0)),
                "csat": _ratio(r.get(f"csat_hits_{period}", 0), r.get(f"csat_n_{period}", 0)),
                "nps": _ratio(100 * r.get(f"nps_net_{period}", 0), r.get(f"nps_n_{period}", 0)),
                "complaint_rate": _ratio(r.get(f"complainants_{period}", 0), active),
                "retention_rate": _ratio(r.get(f"retained_{period}", 0), base),
            }
            ns = {
                "active_customers": active,
                "answers": answers,
                "csat_n": r.get(f"csat_n_{period}", 0),
                "nps_n": r.get(f"nps_n_{period}", 0),
                "retention_base": base,
            }
            row = {"grp": r["grp"], "period": period}
            for key in FIGURES:
                n = int(ns[N_OF[key]] or 0)
                row[key] = vals[key] if n >= min_n and vals[key] is not None and not pd.isna(vals[key]) else None
                row[f"{key}_n"] = n
            row["mean_gap_share"] = vals["mean_gap_share"] if row["mean_gap"] is not None else None
            row["scale"] = (
                f"{r.get(f'scale_min_{period}'):g}–{r.get(f'scale_max_{period}'):g}"
                if pd.notna(r.get(f"scales_{period}")) and r.get(f"scales_{period}") == 1
                else None
            )
            rows.append(row)
    cols = ["grp", "period"] + [c for k in FIGURES for c in (k, f"{k}_n")] + ["mean_gap_share", "scale"]
    # figures are numbers, missing ones NaN (a column of None alone would be an untyped column)
    return pd.DataFrame(rows, columns=cols).astype({k: "float64" for k in [*FIGURES, "mean_gap_share"]})
