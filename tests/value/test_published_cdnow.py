"""BG/NBD and Gamma-Gamma against the published CDNOW estimates (Fader, Hardie & Lee 2005; 2013)."""

import pandas as pd
import pytest

from analytics.value import bgnbd, gamma_gamma
from tests.helpers import ROOT

CDNOW = pd.read_csv(ROOT / "tests" / "fixtures" / "cdnow_summary.csv")


@pytest.fixture(scope="module")
def model():
    return bgnbd.fit(CDNOW["x"], CDNOW["t_x"], CDNOW["T"])


def test_params_match_fader_hardie_lee(model):
    for name, published in {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}.items():
        assert getattr(model, name) == pytest.approx(published, rel=0.005), name
    assert model.loglik == pytest.approx(-9582.4, rel=0.005)


def test_customer_one_matches_published(model):
    # customer 1: x = 2, t_x = 30.43, T = 38.86
    assert model.probability_alive(2, 30.43, 38.86) == pytest.approx(0.727, abs=0.001)
    assert model.expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=0.001)


def test_no_repeat_customer_is_alive_with_certainty(model):
    assert model.probability_alive(0, 0, 38.86) == 1.0


def test_expected_purchases_never_negative_or_nan(model):
    import numpy as np

    out = model.expected_purchases(52, CDNOW["x"], CDNOW["t_x"], CDNOW["T"])
    assert np.all(np.isfinite(out)) and np.all(out >= 0)


def test_gamma_gamma_matches_published():
    g = gamma_gamma.fit(CDNOW["x"], CDNOW["zbar"])
    assert g.n == 946
    assert g.p == pytest.approx(6.25, rel=0.01)
    assert g.q == pytest.approx(3.74, rel=0.01)
    assert g.gamma == pytest.approx(15.44, rel=0.01)


def test_gamma_gamma_conditional_spend_is_a_weighted_mean():
    g = gamma_gamma.GammaGamma(6.25, 3.74, 15.44, 0, 0)
    x, z = 3, 40.0
    w = g.p * x / (g.p * x + g.q - 1)
    assert g.expected_spend(x, z) == pytest.approx((1 - w) * g.population_mean + w * z)


def test_bad_columns_raise_named_errors():
    from analytics.value import ColumnError

    with pytest.raises(ColumnError, match="recency"):
        bgnbd.fit([1, 2], [float("nan"), 1], [3, 3])
    with pytest.raises(ValueError, match="recency <= T"):
        bgnbd.fit([1, 2], [5, 1], [3, 3])
