"""Straightforward pandas versions of the same work, for the side-by-side ratios.

Written the way a competent analyst would in a notebook: load the tables into DataFrames
once, then filter, merge and group in pandas. Loading is timed separately.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.filters import Filters


@dataclass
class Frames:
    customers: pd.DataFrame
    interactions: pd.DataFrame
    surveys: pd.DataFrame
    answers: pd.DataFrame
    complaints: pd.DataFrame


def load(con: duckdb.DuckDBPyConnection) -> Frames:
    return Frames(con.execute("SELECT * FROM customers").df(), con.execute("SELECT * FROM interactions").df(),
                  con.execute("SELECT * FROM surveys").df(), con.execute("SELECT * FROM survey_answers").df(),
                  con.execute("SELECT * FROM complaints").df())


def key_figures(t: Frames, f: Filters) -> dict:
    cs, ce = (pd.Timestamp(x) for x in f.bounds())
    ps, pe = (pd.Timestamp(x) for x in f.previous().bounds())
    pps, _ = (pd.Timestamp(x) for x in f.previous().previous().bounds())
    c = t.customers
    mask = pd.Series(True, index=c.index)
    for dim in ("region", "segment", "channel"):
        if getattr(f, dim):
            mask &= c[dim].isin(getattr(f, dim))
    ids = set(c.loc[mask, "customer_id"])
    i = t.interactions[t.interactions["customer_id"].isin(ids)]
    cur = i[(i.ts >= cs) & (i.ts < ce)]
    prev = i[(i.ts >= ps) & (i.ts < pe)]
    prev2 = i[(i.ts >= pps) & (i.ts < ps)]
    a_cur, a_prev, a_prev2 = set(cur.customer_id), set(prev.customer_id), set(prev2.customer_id)
    s = t.surveys[(t.surveys.answered_at >= cs) & (t.surveys.answered_at < ce)]
    a = s.merge(t.answers, on="response_id")
    k = t.complaints[(t.complaints.opened_at >= cs) & (t.complaints.opened_at < ce) & t.complaints.customer_id.isin(ids)]
    nps = s["nps"].dropna()
    return {
        "active_customers": len(a_cur), "revenue": cur.loc[cur.kind == "purchase", "amount"].sum(),
        "mean_gap": (a.experience - a.expectation).mean(),
        "csat": (s.overall_satisfaction >= s.scale_max - 1).mean(),
        "nps": 100 * ((nps >= 9).mean() - (nps <= 6).mean()),
        "complaint_rate": k.customer_id.nunique() / max(len(a_cur), 1),
        "retention_rate": len(a_cur & a_prev) / max(len(a_prev), 1),
        "prev_active": len(a_prev), "prev_retention": len(a_prev & a_prev2) / max(len(a_prev2), 1),
    }


def segment_table(t: Frames, f: Filters, dimension: str) -> pd.DataFrame:
    rows = []
    for value in t.customers[dimension].dropna().unique():
        rows.append({"group": value, **key_figures(t, f.narrowed(dimension, value))})
    return pd.DataFrame(rows)


def monthly_trend(t: Frames, f: Filters, months: int = 12) -> pd.DataFrame:
    end = pd.Timestamp(f.end) + pd.Timedelta(days=1)
    lo = (pd.Timestamp(f.end).to_period("M") - (months - 1)).to_timestamp()
    i = t.interactions[(t.interactions.ts >= lo - pd.DateOffset(months=1)) & (t.interactions.ts < end)].copy()
    i["month"] = i.ts.dt.to_period("M")
    cm = i.groupby(["customer_id", "month"]).agg(revenue=("amount", "sum")).reset_index()
    active = cm.groupby("month").agg(active=("customer_id", "size"), revenue=("revenue", "sum"))
    prev = cm.assign(month=cm.month + 1)[["customer_id", "month"]]
    retained = cm.merge(prev, on=["customer_id", "month"]).groupby("month").size()
    s = t.surveys[(t.surveys.answered_at >= lo) & (t.surveys.answered_at < end)].copy()
    s["month"] = s.answered_at.dt.to_period("M")
    sat = s.groupby("month").agg(csat=("overall_satisfaction", lambda x: (x >= 4).mean()), nps=("nps", "mean"))
    a = s.merge(t.answers, on="response_id")
    gap = (a.experience - a.expectation).groupby(a.month).mean()
    return active.join(retained.rename("retained")).join(sat).join(gap.rename("gap"))


def timed(fn, *args, repeat: int = 1):
    best = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(*args)
        best.append(time.perf_counter() - t0)
    return out, sorted(best)[len(best) // 2]


def satisfaction_page(t: Frames, f: Filters) -> dict:
    """pandas: the Satisfaction and Complaints pages' core numbers."""
    cs, ce = (pd.Timestamp(x) for x in f.bounds())
    s = t.surveys[(t.surveys.answered_at >= cs) & (t.surveys.answered_at < ce)]
    a = s.merge(t.answers, on="response_id")
    a["gap"] = a.experience - a.expectation
    by_dim = a.groupby("dimension")["gap"].agg(["mean", "std", "count"])
    per_resp = a.groupby("response_id")["gap"].mean()
    nps = s["nps"].dropna()
    # repurchase within 365 days after each complaint, by outcome
    end = t.interactions.ts.max()
    k = t.complaints[t.complaints.opened_at <= end - pd.Timedelta(days=365)].copy()
    hours = (k.resolved_at - k.opened_at).dt.total_seconds() / 3600
    k["label"] = "resolved"
    k.loc[hours <= 48, "label"] = "resolved_quickly"
    k.loc[k.resolved_at.isna(), "label"] = "unresolved"
    p = t.interactions[t.interactions.kind == "purchase"][["customer_id", "ts"]]
    m = k.merge(p, on="customer_id")
    hit = m[(m.ts > m.opened_at) & (m.ts <= m.opened_at + pd.Timedelta(days=365))][["complaint_id"]].drop_duplicates()
    k["bought"] = k.complaint_id.isin(hit.complaint_id)
    return {"by_dim": by_dim, "share_negative": (per_resp < 0).mean(),
            "nps": 100 * ((nps >= 9).mean() - (nps <= 6).mean()), "outcomes": k.groupby("label")["bought"].mean()}
