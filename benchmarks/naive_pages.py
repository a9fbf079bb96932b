"""Straightforward pandas versions of the loyalty, retention, value, customer and training pages
(the first pages and the shared loading are in benchmarks/naive.py), and ``PAGES`` for them all."""

from __future__ import annotations

import pandas as pd

from analytics.filters import Filters
from benchmarks.naive import (
    Frames,
    _purchases,
    _scope,
    baseline,
    complaints_page,
    key_figures,
    overview_page,
    satisfaction_page,
)


def _period_revenue(t: Frames, f: Filters, bounds=None) -> pd.Series:
    lo, hi = (pd.Timestamp(x) for x in (bounds or f.bounds()))
    p = _purchases(t)
    p = p[(p.ts >= lo) & (p.ts < hi) & p.customer_id.isin(_scope(t, f))]
    return p.groupby("customer_id")["amount"].sum()


def _tiers(rev: pd.Series, cuts=(0.01, 0.20, 0.50)) -> pd.Series:
    rev = rev[rev > 0].sort_values(ascending=False)
    share = pd.Series(range(len(rev)), index=rev.index) / max(len(rev), 1)
    return pd.cut(share, [-1, *cuts, 2], right=False, labels=["key", "important", "ordinary", "small"]).astype(str)


def loyalty_page(t: Frames, f: Filters) -> dict:
    """pandas: Pareto curve, pyramid, tier migration, loyalty zones, RFM."""
    import numpy as np

    rev = _period_revenue(t, f)
    r = rev[rev > 0].sort_values(ascending=False)
    cum = np.concatenate([[0], r.cumsum().to_numpy()]) / r.sum()
    tiers = _tiers(rev)
    pyramid = r.groupby(tiers, observed=False).agg(["size", "sum"])
    prev = _tiers(_period_revenue(t, f, f.previous().bounds()))
    migration = pd.concat([prev.rename("source"), tiers.rename("target")], axis=1).fillna("none").value_counts()
    end = pd.Timestamp(f.bounds()[1])
    s = t.surveys[(t.surveys.answered_at < end) & t.surveys.customer_id.isin(_scope(t, f))]
    latest = s.sort_values("answered_at").groupby("customer_id").last()
    p = _purchases(t)
    orders = p[(p.ts >= end - pd.Timedelta(days=365)) & (p.ts < end)].groupby("customer_id").size()
    z = latest.join(orders.rename("orders")).fillna({"orders": 0})
    loyal = (z.orders >= 2) & (z.nps.fillna(10) >= 7)
    satisfied = z.overall_satisfaction >= z.scale_max - 1
    zone = np.select(
        [
            (z.overall_satisfaction >= z.scale_max) & loyal & (z.nps >= 9),
            satisfied & loyal,
            satisfied,
            loyal,
            z.overall_satisfaction <= z.scale_min,
        ],
        ["apostle", "loyalist", "mercenary", "hostage", "terrorist"],
        "defector",
    )
    q = (
        p[(p.ts < end) & p.customer_id.isin(_scope(t, f))]
        .groupby("customer_id")
        .agg(last=("ts", "max"), frequency=("ts", "size"), monetary=("amount", "sum"))
    )
    q["recency_days"] = (end - q["last"]).dt.days
    for col in ("recency_days", "frequency", "monetary"):
        q[col[0] + "_score"] = pd.qcut(q[col].rank(method="first"), 5, labels=False) + 1
    return {"curve": cum, "pyramid": pyramid, "migration": migration, "zones": pd.Series(zone).value_counts(), "rfm": q}


def _stages(t: Frames, f: Filters, at: pd.Timestamp, churn_days: int) -> pd.Series:
    p = _purchases(t)
    p = p[(p.ts < at) & p.customer_id.isin(_scope(t, f))]
    h = pd.Timedelta(days=180)
    g = (
        p.assign(recent=p.ts >= at - h, before=(p.ts >= at - 2 * h) & (p.ts < at - h))
        .groupby("customer_id")
        .agg(
            first=("ts", "min"),
            last=("ts", "max"),
            n=("ts", "size"),
            recent=("recent", "sum"),
            before=("before", "sum"),
        )
    )
    c = t.customers.set_index("customer_id").reindex(g.index)
    exit_ = (c.churned.fillna(False) & (c.churn_date.fillna(pd.Timestamp("1900-01-01")) < at)) | (
        g["last"] < at - pd.Timedelta(days=churn_days)
    )
    import numpy as np

    return pd.Series(
        np.select(
            [
                exit_,
                (g["first"] >= at - h) | (g.n == 1),
                g.recent < 0.5 * g.before,
                (g.recent >= g.before + 1) & (g["first"] >= at - pd.Timedelta(days=730)),
            ],
            ["exit", "acquisition", "decline", "growth"],
            "maturity",
        ),
        index=g.index,
    )


def retention_page(t: Frames, f: Filters, churn_days: int = 90) -> dict:
    """pandas: lifecycle stages and flows, cohort retention, survival curves, early warnings."""
    at = pd.Timestamp(f.end) + pd.Timedelta(days=1)
    now, before = _stages(t, f, at, churn_days), _stages(t, f, at - pd.Timedelta(days=365), churn_days)
    flows = pd.concat([before.rename("source"), now.rename("target")], axis=1).dropna(subset=["target"]).fillna("new")
    p = _purchases(t)
    p = p[p.customer_id.isin(_scope(t, f))].assign(m=lambda d: d.ts.dt.to_period("M"))
    cohort = p.groupby("customer_id")["m"].min().rename("cohort")
    a = p[["customer_id", "m"]].drop_duplicates().join(cohort, on="customer_id")
    a["k"] = (a.m - a.cohort).apply(lambda x: x.n)
    table = a[a.k <= 12].groupby(["cohort", "k"]).size().unstack().div(cohort.value_counts(), axis=0)
    end = t.interactions.ts.max()
    life = (
        p.groupby("customer_id")
        .agg(first=("ts", "min"), last=("ts", "max"))
        .join(t.customers.set_index("customer_id")[["segment", "churned", "churn_date"]])
    )
    stop = pd.to_datetime(life.churn_date).where(life.churned.fillna(False) & life.churn_date.notna(), end)
    life["days"] = (stop - life["first"]).dt.days.clip(lower=1)
    from lifelines import KaplanMeierFitter

    medians = {
        seg: KaplanMeierFitter().fit(g["days"], g["churned"].fillna(False)).median_survival_time_
        for seg, g in life.groupby("segment")
    }
    d = p[p.ts < end].assign(day=lambda x: x.ts.dt.normalize())[["customer_id", "day"]].drop_duplicates()
    d = d.sort_values(["customer_id", "day"])
    d["gap"] = d.groupby("customer_id")["day"].diff().dt.days
    w = d.groupby("customer_id").agg(usual=("gap", "median"), last=("day", "max"))
    w["overdue"] = (end.normalize() - w["last"]).dt.days > 1.5 * w.usual
    return {
        "stages": now.value_counts(),
        "flows": flows.value_counts(),
        "cohorts": table,
        "medians": medians,
        "warnings": w[w["last"] >= end - pd.Timedelta(days=365)],
    }


def lifetime_value_page(t: Frames, f: Filters) -> dict:
    return baseline(t, f)


def customer_page(t: Frames, f: Filters, one: str = "C0000042") -> dict:
    """pandas: one customer's profile, standing and timeline."""
    rev = _purchases(t).groupby("customer_id")["amount"].sum()
    tier = _tiers(rev).get(one)
    return {
        "row": t.customers[t.customers.customer_id == one],
        "tier": tier,
        "events": t.interactions[t.interactions.customer_id == one].sort_values("ts"),
        "complaints": t.complaints[t.complaints.customer_id == one],
        "surveys": t.surveys[t.surveys.customer_id == one].merge(t.answers, on="response_id"),
    }


def training_page(t: Frames, f: Filters) -> None:
    """pandas: the slides quote the overview, satisfaction, complaints and loyalty numbers."""
    key_figures(t, f)
    satisfaction_page(t, f)
    complaints_page(t, f)
    loyalty_page(t, f)
    baseline(t, f)


PAGES = {
    "overview": overview_page,
    "satisfaction": satisfaction_page,
    "complaints": complaints_page,
    "loyalty": loyalty_page,
    "retention": retention_page,
    "lifetime_value": lifetime_value_page,
    "customer": customer_page,
    "training": training_page,
}
