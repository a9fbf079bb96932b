"""Customer lifetime value: the deck's arithmetic, retention-based CLV, BG/NBD + Gamma-Gamma."""

from analytics.value.bgnbd import BGNBD
from analytics.value.clv import (
    CLVModels,
    CLVResult,
    discounted_clv,
    fit_clv,
    fit_models,
    holdout_check,
    value_customers,
)
from analytics.value.errors import ColumnError, ConvergenceError
from analytics.value.gamma_gamma import GammaGamma
from analytics.value.retention import clv_existing, clv_new, customer_equity
from analytics.value.simple import SUPERMARKET, deck_ltv, deck_table
from analytics.value.summary import summary

__all__ = [
    "BGNBD",
    "GammaGamma",
    "ColumnError",
    "ConvergenceError",
    "clv_existing",
    "clv_new",
    "customer_equity",
    "deck_ltv",
    "deck_table",
    "SUPERMARKET",
    "summary",
    "CLVResult",
    "CLVModels",
    "fit_models",
    "value_customers",
    "discounted_clv",
    "fit_clv",
    "holdout_check",
]
