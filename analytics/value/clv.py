"""Per-customer lifetime value from BG/NBD + Gamma-Gamma, and the holdout check.

Discounted CLV over a horizon of H months (Fader, Hardie & Lee 2005b, "RFM and CLV"; as in
lifetimes' ``customer_lifetime_value``):
    CLV_i = Σ_{m=1..H} margin · E[M_i] · (E[Y_i(t_m)] − E[Y_i(t_{m−1})]) / (1 + d_m)^m
with t_m = m months in the model's unit (a month = 365.25/12 days) and the monthly rate
d_m = (1 + d)^(1/12) − 1 from the annual discount rate d.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from analytics.filters import Filters
from analytics.value import bgnbd, gamma_gamma
from analytics.value.summary import DAYS_PER_MONTH, UNIT_DAYS, summary


@dataclass
class CLVResult:
    unit: str
    observation_end: dt.date
    bgnbd: bgnbd.BGNBD
    gamma_gamma: gamma_gamma.GammaGamma
    customers: pd.DataFrame  # one row per customer with p_alive, expected_purchases, expected_spend, clv
    horizon_months: int
    discount: float
    margin: float

    def report(self) -> dict:
        c = self.customers
        return {
            "customers": int(len(c)),
            "repeaters": int((c["frequency"] > 0).sum()),
            "unit": self.unit,
            "bgnbd": self.bgnbd.as_dict(),
            "gamma_gamma": self.gamma_gamma.as_dict(),
            "mean_p_alive": float(c["p_alive"].mean()),
            "total_clv": float(c["clv"].sum()),
            "horizon_months": self.horizon_months,
            "discount": self.discount,
            "margin": self.margin,
            "observation_end": self.observation_end.isoformat(),
        }


def discounted_clv(
    model: bgnbd.BGNBD,
    spend: np.ndarray,
    frequency,
    recency,
    T,
    unit: str,
    horizon_months: int = 12,
    discount: float = 0.10,
    margin: float = 1.0,
) -> np.ndarray:
    """CLV per customer over ``horizon_months`` with an annual ``discount`` rate."""
    per_month = DAYS_PER_MONTH / UNIT_DAYS[unit]
    monthly = (1 + discount) ** (1 / 12) - 1
    months = np.arange(1, int(horizon_months) + 1)
    total = model.expected_purchases_at(months * per_month, frequency, recency, T, weights=(1 + monthly) ** -months)[0]
    return np.clip(margin * spend * total, 0, None)


@dataclass(frozen=True)
class CLVModels:
    """BG/NBD and Gamma-Gamma fitted on the customers' purchases up to ``observation_end``."""

    unit: str
    observation_end: dt.date
    bgnbd: bgnbd.BGNBD
    gamma_gamma: gamma_gamma.GammaGamma
    customers: int
    #: predicted vs actual repeat purchases after ``calibration_end`` (``holdout_check``), when made
    holdout: pd.DataFrame | None = None
    calibration_end: dt.date | None = None


def fit_models(
    con: duckdb.DuckDBPyConnection,
    observation_end: dt.date,
    unit: str = "weeks",
    f: Filters | None = None,
    progress=None,
) -> CLVModels:
    """Fit both models by maximum likelihood on the summary of ``f``'s customers."""
    return _fit(summary(con, observation_end, unit, f), observation_end, unit, progress)


def _fit(s: pd.DataFrame, observation_end: dt.date, unit: str, progress=None) -> CLVModels:
    if len(s) < 20:
        raise ValueError(f"too few customers with purchases to fit ({len(s)})")
    model = bgnbd.fit(s["frequency"], s["recency"], s["T"], progress=progress)
    return CLVModels(unit, observation_end, model, gamma_gamma.fit(s["frequency"], s["monetary_value"]), len(s))


def value_customers(
    con: duckdb.DuckDBPyConnection,
    models: CLVModels,
    observation_end: dt.date,
    f: Filters | None = None,
    horizon_months: int = 12,
    discount: float = 0.10,
    margin: float = 1.0,
    customer_id: str | None = None,
    rfm: pd.DataFrame | None = None,
) -> CLVResult:
    """Score ``f``'s customers (or one) with fitted models: no fit, one summary query (none
    when ``rfm``, that query's result kept from before, is given: it is not changed)."""
    s = rfm.copy() if rfm is not None else summary(con, observation_end, models.unit, f, customer_id=customer_id)
    return _value(models, s, observation_end, horizon_months, discount, margin)


def _value(
    models: CLVModels, s: pd.DataFrame, observation_end: dt.date, horizon_months: int, discount: float, margin: float
) -> CLVResult:
    model, gg, unit = models.bgnbd, models.gamma_gamma, models.unit
    horizon_t = horizon_months * DAYS_PER_MONTH / UNIT_DAYS[unit]
    s["p_alive"] = model.probability_alive(s["frequency"], s["recency"], s["T"])
    s["expected_purchases"] = model.expected_purchases(horizon_t, s["frequency"], s["recency"], s["T"])
    s["expected_spend"] = np.nan_to_num(gg.expected_spend(s["frequency"], s["monetary_value"]), nan=0.0)
    s["clv"] = discounted_clv(
        model,
        s["expected_spend"].to_numpy(),
        s["frequency"],
        s["recency"],
        s["T"],
        unit,
        horizon_months,
        discount,
        margin,
    )
    return CLVResult(unit, observation_end, model, gg, s, horizon_months, discount, margin)


def fit_clv(
    con: duckdb.DuckDBPyConnection,
    observation_end: dt.date,
    unit: str = "weeks",
    f: Filters | None = None,
    horizon_months: int = 12,
    discount: float = 0.10,
    margin: float = 1.0,
    progress=None,
) -> CLVResult:
    """Summarise, fit both models and value every customer (no NaN or negative values)."""
    s = summary(con, observation_end, unit, f)
    models = _fit(s, observation_end, unit, progress)
    return _value(models, s, observation_end, horizon_months, discount, margin)


def holdout_check(
    con: duckdb.DuckDBPyConnection,
    calibration_end: dt.date,
    observation_end: dt.date,
    unit: str = "weeks",
    f: Filters | None = None,
    max_frequency: int = 7,
) -> pd.DataFrame:
    """Fit on the calibration period; mean predicted vs actual repeat purchases in the holdout
    window, by calibration frequency (max_frequency+ pooled) — FHL 2005, fig. 3. The
    calibration fit's parameters are in ``.attrs["calibration_bgnbd"]`` (compare them with
    the paper's, which are fitted on the calibration period too)."""
    if calibration_end >= observation_end:
        raise ValueError(
            f"the calibration end {calibration_end} must be before the observation end {observation_end}"
            " (the last purchase day unless --observation-end says otherwise): no holdout to check"
        )
    s = summary(con, observation_end, unit, f, calibration_end=calibration_end)
    model = bgnbd.fit(s["frequency"], s["recency"], s["T"])
    t = (observation_end - calibration_end).days / UNIT_DAYS[unit]
    s["predicted"] = model.expected_purchases(t, s["frequency"], s["recency"], s["T"])
    s["group"] = np.minimum(s["frequency"], max_frequency)
    out = (
        s.groupby("group")
        .agg(customers=("customer_id", "size"), actual=("holdout_purchases", "mean"), predicted=("predicted", "mean"))
        .reset_index()
    )
    out.attrs["calibration_bgnbd"] = model.as_dict()
    return out
