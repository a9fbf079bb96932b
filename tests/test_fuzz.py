"""hypothesis fuzzing: the CSV importer on arbitrary bytes and cells, and every formula module
on arbitrary valid inputs (invariants that must hold whatever the numbers)."""

from __future__ import annotations

import math
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import db, stats
from analytics.io.importer import FileReadError, ImportValidationError, import_file
from analytics.loyalty import pyramid
from analytics.satisfaction import gaps
from analytics.value import bgnbd, gamma_gamma
from analytics.value.retention import clv_existing, clv_new, customer_equity
from analytics.value.simple import deck_ltv, deck_table
from analytics.value.whatif import (
    WATERFALL_STEPS,
    Assumptions,
    Baseline,
    apply_levers,
    evaluate,
    lost_customer_cost,
    waterfall,
)
from tests.helpers import snapshot

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
rate = st.floats(0, 0.98)
money = st.floats(0, 1e6, allow_nan=False)


# --- the importer -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded():
    """A small database the fuzzed imports must either extend or leave exactly as it was."""
    con = db.connect(":memory:")
    con.execute("INSERT INTO customers (customer_id) VALUES ('C1'), ('C2')")
    con.execute(
        "INSERT INTO interactions VALUES ('I1', 'C1', TIMESTAMP '2024-01-02 10:00', 'purchase', 12.5, NULL, NULL)"
    )
    yield con
    con.close()


def _try_import(con, table: str, content: bytes, suffix: str = ".csv") -> None:
    """Import ``content``: a clean rejection must change nothing; success is fine too."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(content)
        before = snapshot(con)
        try:
            import_file(con, table, path)
        except (ImportValidationError, FileReadError) as exc:
            assert str(exc).startswith(path.name)
            assert snapshot(con) == before


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(["customers", "interactions", "surveys", "complaints"]))
def test_arbitrary_bytes_are_imported_or_cleanly_rejected(seeded, content, table):
    _try_import(seeded, table, content)


cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "NaN",
            "inf",
            "-1",
            "1e400",
            "2024-02-30",
            "0000-01-01",
            "=1+1",
            "'; DROP TABLE customers; --",
            "购买",
            "是",
            "5",
            "2024-01-01 25:61",
            "１２",
            "9" * 30,
        ]
    ),
)


@FUZZ
@given(
    st.lists(st.lists(cell, min_size=4, max_size=4), min_size=1, max_size=8),
    st.sampled_from(
        [
            ("customer_id", "ts", "kind", "amount"),
            ("customer_id", "name", "region", "churned"),
            ("response_id", "answered_at", "overall_satisfaction", "nps"),
        ]
    ),
    st.sampled_from([",", ";", "\t"]),
)
def test_arbitrary_cells_are_imported_or_cleanly_rejected(seeded, rows, header, delimiter):
    import csv
    import io

    table = {"ts": "interactions", "name": "customers", "answered_at": "surveys"}[header[1]]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    _try_import(seeded, table, buf.getvalue().encode("utf-8"))
    assert seeded.execute("SELECT count(*) FROM customers WHERE customer_id = 'C1'").fetchone()[0] == 1


# --- deck arithmetic and retention-based CLV ------------------------------------------------


@given(money, st.floats(0, 365), st.floats(0, 50), st.floats(0, 0.5))
def test_deck_ltv_grows_with_each_input(amount, frequency, years, growth):
    base = deck_ltv(amount, frequency, years, growth)
    assert base >= 0
    assert deck_ltv(amount * 2, frequency, years, growth) == pytest.approx(2 * base)
    assert deck_ltv(amount, frequency, years + 1, growth) >= base
    assert deck_ltv(amount, frequency, years, growth + 0.1) >= base


@given(st.floats(1, 1e4), st.floats(1, 50), st.integers(1, 30))
def test_deck_table_rows_are_products_of_their_factors(amount, frequency, years):
    one, whole, grown = deck_table(amount, frequency, years)
    for row in (one, whole, grown):
        assert row.ltv == pytest.approx(row.amount * row.frequency * row.years)
    assert whole.ltv == pytest.approx(one.ltv * years)
    assert grown.ltv == pytest.approx(whole.ltv * 1.1**3)  # deck 000: +10 % on each factor → +33.1 %


@given(money, rate, st.floats(0, 0.5), st.integers(1, 100))
def test_retention_clv_bounds(margin, retention, discount, horizon):
    finite, infinite = clv_existing(margin, retention, discount, horizon), clv_existing(margin, retention, discount)
    assert 0 <= finite <= infinite * (1 + 1e-9) + 1e-9
    assert clv_existing(margin, retention, discount, horizon + 1) >= finite - 1e-9
    assert clv_new(margin, retention, discount, horizon) >= finite - 1e-6  # the new customer pays first, now
    assert customer_equity(3, margin, retention, discount, horizon) == pytest.approx(3 * finite)
    if margin > 1e-6 and retention < 0.97:
        assert clv_existing(margin, retention + 0.01, discount) > infinite


@given(
    money,
    st.floats(0, 1000),
    rate,
    st.floats(0.01, 1),
    st.floats(0, 0.3),
    st.integers(1, 30),
    st.floats(0, 1e4),
    st.integers(0, 10**6),
)
def test_waterfall_steps_sum_to_the_total_change(order_value, orders, retention, margin, discount, years, cac, n):
    a = Assumptions(order_value, orders, retention, margin, discount, years, cac)
    b = Assumptions(order_value * 1.3, orders * 0.8, min(retention + 0.1, 0.98), margin, discount, years, cac)
    steps = waterfall(a, b, n)
    assert [s for s, _ in steps] == list(WATERFALL_STEPS)
    total = evaluate(b, n).equity - evaluate(a, n).equity
    assert sum(v for _, v in steps) == pytest.approx(total, rel=1e-9, abs=1e-6)


shares = st.floats(0, 1)


@given(shares, shares, shares, st.floats(0, 0.5), rate)
def test_service_levers_never_lower_retention_or_pass_the_cap(moved_c, moved_s, closed, complainers, retention):
    b = Baseline(
        Assumptions(100, 2, retention),
        1000,
        complainers,
        {"resolved_quickly": 0.4, "resolved": 0.4, "unresolved": 0.2},
        {"resolved_quickly": 0.82, "resolved": 0.54, "unresolved": 0.19},
        {},
        {4.0: 0.5, 5.0: 0.3},
        {4.0: 0.3, 5.0: 0.8},
        None,
        {"reliability": {"per_point": 0.1, "mean_shortfall": -0.4}},
    )
    a, effects = apply_levers(b, b.assumptions, moved_c, moved_s, "reliability", closed)
    assert all(v >= 0 for v in effects.values())
    assert retention - 1e-12 <= a.retention <= max(0.99, retention)


@given(money, st.floats(0, 20), st.floats(0, 30), st.floats(0, 1))
def test_lost_customer_cost_adds_up(clv, tells, retell, influence):
    c = lost_customer_cost(clv, tells, retell, influence)
    assert c["total"] == pytest.approx(c["lost_clv"] + c["word_of_mouth"])
    assert c["word_of_mouth"] >= 0 and c["people_reached"] == pytest.approx(tells * (1 + retell))


# --- statistics ----------------------------------------------------------------------------


@given(st.integers(1, 10**6).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_the_rate(kn):
    k, n = kn
    lo, hi = stats.wilson_ci(k, n)
    assert 0 <= lo <= k / n + 1e-12 and k / n - 1e-12 <= hi <= 1
    alo, ahi = stats.wilson_arrays([k], [n])
    assert alo[0] == pytest.approx(lo) and ahi[0] == pytest.approx(hi)


proportion = st.integers(1, 10**4).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n)))


@given(proportion, proportion)
def test_risk_ratio_interval_contains_the_ratio(one, two):
    (k1, n1), (k2, n2) = one, two
    rr, lo, hi = stats.ratio_ci(k1, n1, k2, n2)
    assert rr == pytest.approx((k1 / n1) / (k2 / n2))
    assert lo <= rr * (1 + 1e-9) and rr <= hi * (1 + 1e-9)


@given(st.floats(-1e6, 1e6), st.floats(0, 1e6), st.integers(2, 10**6))
def test_mean_interval_is_symmetric(mean, sd, n):
    lo, hi = stats.mean_ci(mean, sd, n)
    assert lo <= mean <= hi and (mean - lo) == pytest.approx(hi - mean)


# --- gap levels and the Pareto share --------------------------------------------------------


@given(st.lists(st.floats(-1, 1), min_size=1, max_size=200))
def test_every_gap_gets_exactly_one_of_five_levels_in_order(values):
    s = pd.Series(values)
    lv = gaps.levels(s)
    assert lv.isin(gaps.LEVELS).all()
    rank = lv.map({k: i for i, k in enumerate(gaps.LEVELS)})
    order = np.argsort(s.to_numpy(), kind="stable")
    assert (np.diff(rank.to_numpy()[order]) >= 0).all()  # a larger gap is never a lower level


@given(st.lists(st.floats(0.01, 1e6), min_size=1, max_size=300), st.floats(0, 1))
def test_pareto_share_is_monotone_and_at_least_proportional(revenue, share):
    rev = np.sort(np.array(revenue))[::-1]
    cum = np.concatenate([[0], np.cumsum(rev)]) / rev.sum()
    x = np.linspace(0, 1, 101)
    curve = pd.DataFrame({"customer_share": x, "revenue_share": np.interp(x * len(rev), np.arange(len(rev) + 1), cum)})
    top = pyramid.top_share(curve, share)
    assert share - 1e-9 <= top <= 1 + 1e-9  # the best x % of customers bring at least x % of revenue
    assert pyramid.top_share(curve, min(share + 0.1, 1)) >= top - 1e-12


# --- BG/NBD and Gamma-Gamma --------------------------------------------------------------------

params = st.floats(0.05, 20)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(params, params, params, params, st.integers(0, 50), st.floats(0, 1), st.floats(1, 200), st.floats(0, 100))
def test_bgnbd_outputs_are_probabilities_and_counts(r, alpha, a, b, x, share, T, horizon):
    tx = 0.0 if x == 0 else share * T
    m = bgnbd.BGNBD(r, alpha, a, b, 0.0, 1)
    p = m.probability_alive(np.array([x]), np.array([tx]), np.array([T]))[0]
    assert 0 <= p <= 1
    e = m.expected_purchases(horizon, np.array([x]), np.array([tx]), np.array([T]))[0]
    assert math.isfinite(e) and e >= 0
    ll = bgnbd.log_likelihood((r, alpha, a, b), np.array([x]), np.array([tx]), np.array([T]))
    assert not math.isnan(ll)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(params, params, params, st.integers(0, 30), st.floats(0, 1), st.floats(1, 200), st.floats(0.5, 100))
def test_bgnbd_expectations_are_continuous_through_a_equals_one(r, alpha, b, x, share, T, horizon):
    """E[Y(t)] and E[X(t)] divide by a − 1; at a = 1 the closed form is 0/0 with a finite limit,
    which the code must return (it once returned 0 there)."""
    tx = 0.0 if x == 0 else share * T
    at_one, near = bgnbd.BGNBD(r, alpha, 1.0, b, 0.0, 1), bgnbd.BGNBD(r, alpha, 1.001, b, 0.0, 1)
    args = (np.array([x]), np.array([tx]), np.array([T]))
    e1, e2 = at_one.expected_purchases(horizon, *args)[0], near.expected_purchases(horizon, *args)[0]
    assert e1 == pytest.approx(e2, rel=0.02, abs=1e-6)
    assert at_one.expected_purchases_new(horizon) == pytest.approx(
        near.expected_purchases_new(horizon), rel=0.02, abs=1e-6
    )


@settings(max_examples=60, deadline=None, derandomize=True)
@given(params, st.floats(1.05, 20), st.floats(0.1, 1000), st.integers(1, 50), st.floats(0.01, 1e5))
def test_gamma_gamma_spend_lies_between_prior_and_observed(p, q, g, x, z):
    m = gamma_gamma.GammaGamma(p, q, g, 0.0, 1)
    e = m.expected_spend(np.array([x]), np.array([z]))[0]
    lo, hi = sorted((m.population_mean, z))
    assert lo * (1 - 1e-9) <= e <= hi * (1 + 1e-9)  # a weighted mean of the two
    assert m.expected_spend(np.array([0]), np.array([0.0]))[0] == pytest.approx(m.population_mean)
    assert math.isfinite(gamma_gamma.log_likelihood((p, q, g), np.array([x]), np.array([z])))


def test_assumptions_are_frozen():
    a = Assumptions(1, 1, 0.5)
    assert replace(a, retention=0.6).retention == 0.6 and a.retention == 0.5
