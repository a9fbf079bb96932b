"""Customer lifetime value: the deck's arithmetic, retention-based CLV, BG/NBD + Gamma-Gamma.

Names are imported from their modules when first asked for: a page that needs the deck's
arithmetic does not wait for scipy (BG/NBD, Gamma-Gamma) after a server start."""

from __future__ import annotations

import importlib

# eager: the function shares its module's name, and a lazy name would be shadowed by the
# submodule once anything imports it (duckdb and pandas only)
from analytics.value.summary import summary

#: public name → the module of this package that defines it
_WHERE = {
    "BGNBD": "bgnbd",
    "GammaGamma": "gamma_gamma",
    "ColumnError": "errors",
    "ConvergenceError": "errors",
    "clv_existing": "retention",
    "clv_new": "retention",
    "customer_equity": "retention",
    "deck_ltv": "simple",
    "deck_table": "simple",
    "SUPERMARKET": "simple",
    "CLVResult": "clv",
    "CLVModels": "clv",
    "fit_models": "clv",
    "value_customers": "clv",
    "discounted_clv": "clv",
    "fit_clv": "clv",
    "holdout_check": "clv",
}
__all__ = [*_WHERE, "summary"]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
