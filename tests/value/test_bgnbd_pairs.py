"""BG/NBD's expectation evaluated once per distinct (x, T) pair equals eq. 10 evaluated per
customer, and the discounted sum over periods equals the month-by-month one."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from analytics.value.bgnbd import BGNBD
from analytics.value.clv import discounted_clv

MODEL = BGNBD(r=0.243, alpha=4.414, a=0.793, b=2.426, loglik=0.0, n=0)  # FHL 2005, CDNOW


def eq10(m: BGNBD, t, x, tx, T):
    """Fader, Hardie & Lee (2005) eq. 10, per customer, written out."""
    hyp = special.hyp2f1(m.r + x, m.b + x, m.a + m.b + x - 1, t / (m.alpha + T + t))
    top = (m.a + m.b + x - 1) / (m.a - 1) * (1 - ((m.alpha + T) / (m.alpha + T + t)) ** (m.r + x) * hyp)
    alive = 1 + (x > 0) * m.a / (m.b + x - 1) * ((m.alpha + T) / (m.alpha + tx)) ** (m.r + x)
    return top / alive


@pytest.fixture
def customers():
    rng = np.random.default_rng(3)
    n = 5_000  # many share (x, T): the path that evaluates each pair once
    x = rng.integers(0, 12, n).astype(float)
    T = rng.integers(1, 60, n) / 7 * 7.0
    tx = np.where(x > 0, T * rng.uniform(0, 1, n), 0.0)
    return x, tx, T


def test_once_per_pair_equals_per_customer(customers):
    x, tx, T = customers
    for t in (4.0, 39.0, 52.0):
        assert np.allclose(MODEL.expected_purchases(t, x, tx, T), eq10(MODEL, t, x, tx, T), rtol=1e-10, atol=1e-12)


def test_discounted_clv_equals_the_month_by_month_sum(customers):
    x, tx, T = customers
    spend = np.full(len(x), 50.0)
    per_month = 30.4375 / 7
    monthly = 1.1 ** (1 / 12) - 1
    cum = [eq10(MODEL, m * per_month, x, tx, T) for m in range(13)]
    by_month = sum((cum[m] - cum[m - 1]) / (1 + monthly) ** m for m in range(1, 13))
    assert np.allclose(discounted_clv(MODEL, spend, x, tx, T, "weeks", 12, 0.10, 0.3), 0.3 * 50 * by_month, rtol=1e-9)


def test_scalars_stay_scalars():
    assert np.ndim(MODEL.expected_purchases(39, 2, 30.43, 38.86)) == 0
