"""Property tests: the SQL rule modules (lifecycle stages, the value pyramid) against
plain-Python oracles of their documented rules."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analytics import db
from analytics.loyalty import pyramid

# --- SQL rule modules against plain-Python oracles of their documented rules ----------------

AT = dt.date(2025, 6, 30)
history = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 1500), st.floats(1, 1e4)), min_size=1, max_size=120)


def _load(con, rows, churned=()):
    con.execute("DELETE FROM interactions")
    con.execute("DELETE FROM customers")
    con.executemany(
        "INSERT INTO customers (customer_id, churned, churn_date) VALUES (?, ?, ?)",
        [
            (f"C{c}", c in churned, AT - dt.timedelta(days=10) if c in churned else None)
            for c in sorted({r[0] for r in rows})
        ],
    )
    con.executemany(
        "INSERT INTO interactions (interaction_id, customer_id, ts, kind, amount) VALUES (?, ?, ?, 'purchase', ?)",
        [
            (f"i{k}", f"C{c}", dt.datetime.combine(AT, dt.time(12)) - dt.timedelta(days=d), a)
            for k, (c, d, a) in enumerate(rows)
        ],
    )


def _stage_oracle(days_ago: list[int], churned: bool, churn_days: int, h: int = 180) -> str:
    """analytics/lifecycle.py's docstring rules, in Python (purchases at noon, ``days_ago`` before AT)."""
    n, first, last = len(days_ago), max(days_ago), min(days_ago)
    recent = sum(d < h for d in days_ago)  # within the last H days of the as-of instant
    before = sum(h <= d < 2 * h for d in days_ago)
    if churned or last >= churn_days:  # last purchase more than N days before the as-of instant
        return "exit"
    if first < h or n == 1:
        return "acquisition"
    if recent < 0.5 * before:
        return "decline"
    if recent >= before + 1 and first < 730:
        return "growth"
    return "maturity"


@settings(max_examples=80, deadline=None, derandomize=True)
@given(history, st.sampled_from([60, 90, 180]), st.sets(st.integers(0, 60), max_size=5))
@example(
    [
        (1, 90, 5.0),
        (1, 400, 5.0),
        (2, 89, 1.0),
        (2, 500, 1.0),
        (3, 179, 1.0),
        (3, 180, 1.0),
        (3, 359, 1.0),
        (4, 729, 1.0),
        (4, 10, 1.0),
        (4, 20, 1.0),
        (5, 730, 1.0),
        (5, 5, 1.0),
        (5, 6, 1.0),
    ],
    90,
    set(),
)
def test_lifecycle_stages_follow_the_documented_rules(rows, churn_days, churned):
    from analytics.filters import Filters
    from analytics.loyalty import lifecycle

    with db.connect(":memory:") as con:
        _load(con, rows, churned)
        got = lifecycle.stages(con, Filters(AT, AT), AT, churn_days).set_index("customer_id")["stage"].to_dict()
    by_customer: dict = {}
    for c, d, _ in rows:
        by_customer.setdefault(f"C{c}", []).append(d)
    # boundaries are half a day away from every purchase (noon vs midnight), so no ties
    want = {c: _stage_oracle(d, int(c[1:]) in churned, churn_days) for c, d in by_customer.items()}
    assert got == want


@settings(max_examples=40, deadline=None, derandomize=True)
@given(history, st.tuples(st.floats(0.01, 0.3), st.floats(0.31, 0.6), st.floats(0.61, 0.95)))
def test_pyramid_tiers_rank_buyers_by_revenue(rows, cuts):
    from analytics.filters import Filters

    with db.connect(":memory:") as con:
        _load(con, rows)
        f = Filters(AT - dt.timedelta(days=1500), AT)
        pyr = pyramid.pyramid(con, f, cuts).set_index("tier")
    revenue: dict = {}
    for c, _, a in rows:
        revenue[c] = revenue.get(c, 0.0) + a
    ranked = sorted(revenue.values(), reverse=True)
    n = len(ranked)
    tiers = [
        "key" if i / n < cuts[0] else "important" if i / n < cuts[1] else "ordinary" if i / n < cuts[2] else "small"
        for i in range(n)
    ]
    for tier in pyramid.TIER_ORDER:
        assert pyr.loc[tier, "customers"] == tiers.count(tier)
    assert pyr["revenue"].sum() == pytest.approx(sum(ranked))
    assert pyr["revenue_share"].sum() == pytest.approx(1.0)
