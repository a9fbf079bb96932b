"""Satisfaction → retention (deck 003, Xerox: a 5 is six times as likely to repurchase as a 4).

Repurchase rate by overall satisfaction score, on the survey's own scale, and the ratio
of the top score's rate to the next score's, with a Katz 95 % interval.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from .filters import Filters, customer_sql
from .repurchase import repurchase_after
from .stats import ratio_ci

DECK_TOP_VS_NEXT = 6.0  # deck 003 (Xerox)


def score_repurchase(con: duckdb.DuckDBPyConnection, f: Filters | None = None, window_days: int = 365,
                     scale: tuple[float, float] | None = None) -> pd.DataFrame:
    """Per overall score: n answers, repurchase rate within ``window_days``, 95 % CI.

    Uses the responses on ``scale`` (default: the most common scale in the data).
    """
    if scale is None:
        row = con.execute("SELECT scale_min, scale_max FROM surveys GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1"
                          ).fetchone()
        if row is None:
            return pd.DataFrame(columns=["score", "n", "repurchased", "rate", "ci_low", "ci_high"])
        scale = row
    scope, params = "", {}
    if f is not None:
        cust, params = customer_sql(f)
        scope = f"AND customer_id IN ({cust})"
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
    return {"ratio": rr, "ci_low": lo, "ci_high": hi, "top": top["score"], "next": nxt["score"],
            "n_top": int(top["n"]), "n_next": int(nxt["n"]), "deck": DECK_TOP_VS_NEXT}
