"""Deck arithmetic and retention-based CLV against hand-computed values."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.value import SUPERMARKET, clv_existing, clv_new, customer_equity, deck_ltv, deck_table


def test_deck_numbers_exactly():
    assert deck_ltv(100, 10, 1) == 1000
    assert deck_ltv(100, 10, 10) == 10000
    assert round(deck_ltv(100, 10, 10, growth=0.10), 6) == 13310
    assert deck_ltv(**SUPERMARKET) == 208000
    rows = deck_table()
    assert [round(r.ltv, 6) for r in rows] == [1000, 10000, 13310]
    assert rows[2].ltv / rows[1].ltv == pytest.approx(1.331)  # +10 % on each factor compounds to +33.1 %


def test_gupta_lehmann_closed_forms():
    m, r, d = 100.0, 0.8, 0.1
    assert clv_existing(m, r, d) == pytest.approx(m * r / (1 + d - r))  # 266.67
    assert clv_new(m, r, d) == pytest.approx(m * (1 + d) / (1 + d - r))  # 366.67
    assert clv_new(m, r, d, acquisition_cost=50) == pytest.approx(m * (1 + d) / (1 + d - r) - 50)
    # hand-computed finite horizon: 100·0.8/1.1 + 100·0.64/1.21 + 100·0.512/1.331
    assert clv_existing(m, r, d, 3) == pytest.approx(72.7273 + 52.8926 + 38.4673, abs=1e-3)
    assert clv_new(m, r, d, 3) == pytest.approx(100 + 72.7273 + 52.8926, abs=1e-3)
    assert customer_equity(1000, m, r, d) == pytest.approx(1000 * m * r / (1 + d - r))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.floats(0, 1e5), st.floats(0, 0.98), st.floats(0, 0.5), st.integers(1, 200))
def test_finite_horizon_approaches_infinite(m, r, d, h):
    finite, infinite = clv_existing(m, r, d, h), clv_existing(m, r, d)
    assert 0 <= finite <= infinite * (1 + 1e-9) + 1e-9
    assert clv_new(m, r, d, h) >= finite - 1e-6 * max(1, finite)
    assert math.isfinite(clv_new(m, r, d, h))


def test_invalid_rates_rejected():
    with pytest.raises(ValueError):
        clv_existing(100, 1.2, 0.1)
    with pytest.raises(ValueError):
        deck_ltv(-1, 10, 1)
