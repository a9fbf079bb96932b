"""Straightforward pandas versions of the same work, for the side-by-side ratios.

Written the way a competent analyst would in a notebook: load the tables into DataFrames
once, then filter, merge and group in pandas. Loading is timed separately.
"""

from __future__ import annotations

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
    return Frames(
        con.execute("SELECT * FROM customers").df(),
        con.execute("SELECT * FROM interactions").df(),
        con.execute("SELECT * FROM surveys").df(),
        con.execute("SELECT * FROM survey_answers").df(),
        con.execute("SELECT * FROM complaints").df(),
    )


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
    k = t.complaints[
        (t.complaints.opened_at >= cs) & (t.complaints.opened_at < ce) & t.complaints.customer_id.isin(ids)
    ]
    nps = s["nps"].dropna()
    return {
        "active_customers": len(a_cur),
        "revenue": cur.loc[cur.kind == "purchase", "amount"].sum(),
        "mean_gap": (a.experience - a.expectation).mean(),
        "csat": (s.overall_satisfaction >= s.scale_max - 1).mean(),
        "nps": 100 * ((nps >= 9).mean() - (nps <= 6).mean()),
        "complaint_rate": k.customer_id.nunique() / max(len(a_cur), 1),
        "retention_rate": len(a_cur & a_prev) / max(len(a_prev), 1),
        "prev_active": len(a_prev),
        "prev_retention": len(a_prev & a_prev2) / max(len(a_prev2), 1),
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


def import_csv(path: str, con: duckdb.DuckDBPyConnection) -> None:
    """pandas: read, parse, validate the same rules, then insert."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["ts"] = pd.to_datetime(frame["ts"], format="mixed")
    frame["amount"] = pd.to_numeric(frame["amount"].replace("", None).str.replace(",", ""), errors="coerce")
    bad = (frame["amount"] < 0) | (frame["ts"] > pd.Timestamp.now()) | (frame["customer_id"] == "")
    if bad.any():
        raise ValueError("invalid rows")
    frame["kind"] = frame["kind"].str.lower()
    con.execute("CREATE OR REPLACE TABLE naive_interactions AS SELECT * FROM frame")


def rfm_t_summary(con: duckdb.DuckDBPyConnection, end) -> pd.DataFrame:
    """pandas: transactions → frequency, recency, T, monetary per customer (weeks)."""
    p = con.execute("SELECT customer_id, ts, amount FROM interactions WHERE kind = 'purchase'").df()
    p["day"] = p["ts"].dt.normalize()
    d = p.groupby(["customer_id", "day"], as_index=False)["amount"].sum()
    g = d.groupby("customer_id")
    first, last, n = g["day"].min(), g["day"].max(), g["day"].size()
    first_spend = d.sort_values("day").groupby("customer_id")["amount"].first()
    return pd.DataFrame(
        {
            "frequency": n - 1,
            "recency": (last - first).dt.days / 7,
            "T": (pd.Timestamp(end) - first).dt.days / 7,
            "monetary": ((g["amount"].sum() - first_spend) / (n - 1)).where(n > 1, 0),
        }
    )


def _scope(t: Frames, f: Filters) -> set:
    """The filtered customers' ids (region / segment / channel)."""
    c = t.customers
    mask = pd.Series(True, index=c.index)
    for dim in ("region", "segment", "channel"):
        if getattr(f, dim):
            mask &= c[dim].isin(getattr(f, dim))
    return set(c.loc[mask, "customer_id"])


def _purchases(t: Frames) -> pd.DataFrame:
    return t.interactions[t.interactions.kind == "purchase"][["customer_id", "ts", "amount"]]


def _repurchase(t: Frames, events: pd.DataFrame, window_days: int = 365) -> pd.Series:
    """Per label: share of events (customer_id, event_at, label) followed by a purchase within the window."""
    end = t.interactions.ts.max()
    e = events[events.event_at <= end - pd.Timedelta(days=window_days)].reset_index(drop=True)
    e["event"] = e.index
    m = e.merge(_purchases(t), on="customer_id")
    hit = m[(m.ts > m.event_at) & (m.ts <= m.event_at + pd.Timedelta(days=window_days))]["event"].unique()
    e["bought"] = e.event.isin(hit)
    return e.groupby("label")["bought"].agg(["mean", "size"])


def _outcome_events(t: Frames, quick_hours: float = 48) -> pd.DataFrame:
    k = t.complaints
    hours = (k.resolved_at - k.opened_at).dt.total_seconds() / 3600
    label = (
        pd.Series("resolved", index=k.index)
        .mask(hours <= quick_hours, "resolved_quickly")
        .mask(k.resolved_at.isna(), "unresolved")
    )
    s = t.surveys[
        (t.surveys.overall_satisfaction <= t.surveys.scale_min + 1) & ~t.surveys.customer_id.isin(set(k.customer_id))
    ]
    return pd.concat(
        [
            pd.DataFrame({"customer_id": k.customer_id, "event_at": k.opened_at, "label": label}),
            pd.DataFrame({"customer_id": s.customer_id, "event_at": s.answered_at, "label": "silent_dissatisfied"}),
        ],
        ignore_index=True,
    )


def _answers(t: Frames, f: Filters) -> pd.DataFrame:
    cs, ce = (pd.Timestamp(x) for x in f.bounds())
    s = t.surveys[(t.surveys.answered_at >= cs) & (t.surveys.answered_at < ce)]
    a = s.merge(t.answers, on="response_id")
    a["gap"] = a.experience - a.expectation
    return a


def assumptions(t: Frames, f: Filters) -> dict:
    """Order value, orders a year, yearly retention of the active customers (the CLV tile)."""
    end = pd.Timestamp(f.end)
    p = _purchases(t)
    p = p[
        p.customer_id.isin(_scope(t, f)) & (p.ts > end - pd.Timedelta(days=730)) & (p.ts <= end + pd.Timedelta(days=1))
    ]
    this = p[p.ts > end - pd.Timedelta(days=365)]
    last_ids, this_ids = set(p.loc[p.ts <= end - pd.Timedelta(days=365), "customer_id"]), set(this.customer_id)
    return {
        "aov": this.amount.mean(),
        "freq": len(this) / max(len(this_ids), 1),
        "retention": len(last_ids & this_ids) / max(len(last_ids), 1),
    }


def baseline(t: Frames, f: Filters) -> dict:
    """Retention-based CLV inputs: order value, orders a year, yearly retention, complaint and
    score repurchase rates (analytics/clv/whatif.py::measure_baseline)."""
    scores = t.surveys[["customer_id", "answered_at", "overall_satisfaction"]].rename(
        columns={"answered_at": "event_at", "overall_satisfaction": "label"}
    )
    return {
        **assumptions(t, f),
        "outcomes": _repurchase(t, _outcome_events(t)),
        "scores": _repurchase(t, scores.dropna()),
    }


def overview_page(t: Frames, f: Filters) -> None:
    key_figures(t, f)
    monthly_trend(t, f)
    for period in (f, f.previous()):
        assumptions(t, period)
    segment_table(t, f, "region")


def satisfaction_page(t: Frames, f: Filters) -> dict:
    """pandas: the Satisfaction page's numbers (gaps, levels, trend, groups, drivers, repurchase)."""
    a = _answers(t, f)
    by_dim = a.groupby("dimension")["gap"].agg(["mean", "std", "count"])
    per_resp = a.groupby("response_id")["gap"].mean()
    trend = a.groupby(a.answered_at.dt.to_period("M"))["gap"].mean()
    by_region = (
        a.merge(t.customers[["customer_id", "region"]], on="customer_id").groupby(["region", "dimension"])["gap"].mean()
    )
    wide = a.pivot_table(index="response_id", columns="dimension", values="gap").dropna()
    y = a.groupby("response_id")["overall_satisfaction"].first().reindex(wide.index)
    x = (wide - wide.mean()) / wide.std()
    import numpy as np

    coef = np.linalg.lstsq(np.column_stack([np.ones(len(x)), x.to_numpy()]), y.to_numpy(), rcond=None)[0]
    s = t.surveys
    nps = s.loc[s.answered_at.between(*(pd.Timestamp(v) for v in f.bounds())), "nps"].dropna()
    scores = (
        s[["customer_id", "answered_at", "overall_satisfaction"]]
        .rename(columns={"answered_at": "event_at", "overall_satisfaction": "label"})
        .dropna()
    )
    return {
        "by_dim": by_dim,
        "share_negative": (per_resp < 0).mean(),
        "trend": trend,
        "by_region": by_region,
        "drivers": coef,
        "nps": 100 * ((nps >= 9).mean() - (nps <= 6).mean()),
        "repurchase": _repurchase(t, scores),
    }


def complaints_page(t: Frames, f: Filters) -> dict:
    """pandas: the Complaints page's numbers."""
    cs, ce = (pd.Timestamp(x) for x in f.bounds())
    ids = _scope(t, f)
    k = t.complaints[
        (t.complaints.opened_at >= cs) & (t.complaints.opened_at < ce) & t.complaints.customer_id.isin(ids)
    ]
    hours = (k.resolved_at - k.opened_at).dt.total_seconds() / 3600
    s = t.surveys
    dis = set(
        s.loc[
            (s.overall_satisfaction <= s.scale_min + 1)
            & (s.answered_at >= cs)
            & (s.answered_at < ce)
            & s.customer_id.isin(ids),
            "customer_id",
        ]
    )
    now = max(t.interactions.ts.max(), t.complaints.opened_at.max())
    open_ = t.complaints[t.complaints.resolved_at.isna() & t.complaints.customer_id.isin(ids)]
    open_ = open_[(now - open_.opened_at).dt.total_seconds() / 3600 > 48].sort_values("opened_at")
    causes = k.cause.fillna("unknown").value_counts()
    return {
        "n": len(k),
        "median_hours": hours.median(),
        "voice": len(dis & set(t.complaints.customer_id)) / max(len(dis), 1),
        "outcomes": _repurchase(t, _outcome_events(t)),
        "pareto": (causes / causes.sum()).cumsum(),
        "by_channel": k.assign(h=hours).groupby("channel")["h"].agg(["median", "size"]),
        "open": open_,
    }
