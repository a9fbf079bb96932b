"""Gamma-Gamma: how much a customer spends per purchase.

Fader & Hardie (2013), "The Gamma-Gamma model of monetary value" (note), after Colombo &
Jiang (1999). Column contract: ``frequency`` (x > 0 repeat purchases) and
``monetary_value`` (z̄, their mean value). Spend per purchase ~ Gamma(p, ν), ν ~ Gamma(q, γ).

Individual log-likelihood (dropping no parameter-dependent term):
    lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄)
Conditional expectation:  E[M | x, z̄] = p(γ + x z̄) / (px + q − 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from analytics.value.errors import ColumnError, ConvergenceError, check_columns


@dataclass(frozen=True)
class GammaGamma:
    p: float
    q: float
    gamma: float
    loglik: float
    n: int

    def as_dict(self) -> dict:
        return {"p": self.p, "q": self.q, "gamma": self.gamma}

    @property
    def population_mean(self) -> float:
        """E[M] for a customer with no repeat purchase: pγ / (q − 1)."""
        return self.p * self.gamma / (self.q - 1) if self.q > 1 else float("nan")

    def expected_spend(self, frequency, monetary_value) -> np.ndarray:
        """E[M | x, z̄] per purchase; the population mean where x = 0."""
        x = np.asarray(frequency, dtype=float)
        z = np.asarray(monetary_value, dtype=float)
        cond = self.p * (self.gamma + x * z) / (self.p * x + self.q - 1)
        return np.where(x > 0, cond, self.population_mean)


def log_likelihood(params, x, z) -> float:
    p, q, g = params
    px = p * x
    ll = (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * np.log(g)
        + (px - 1) * np.log(z)
        + px * np.log(x)
        - (px + q) * np.log(g + x * z)
    )
    return float(np.sum(ll))


def fit(frequency, monetary_value, maxiter: int = 500) -> GammaGamma:
    """Maximum likelihood on the repeat buyers (x > 0, z̄ > 0), log-parameters bounded."""
    x = np.asarray(frequency, dtype=float)
    z = np.asarray(monetary_value, dtype=float)
    check_columns({"frequency": x, "monetary_value": z})
    keep = (x > 0) & (z > 0)
    x, z = x[keep], z[keep]
    if len(x) < 10:
        raise ColumnError(f"Gamma-Gamma needs at least 10 repeat buyers with spend, got {len(x)}")
    n = len(x)

    def nll(logp):
        return -log_likelihood(np.exp(logp), x, z) / n

    start = np.log([1.0, 2.0, max(float(np.mean(z)), 1e-3)])
    res = optimize.minimize(
        nll, start, method="L-BFGS-B", bounds=[(-8, 10)] * 3, options={"maxiter": maxiter, "ftol": 1e-13, "gtol": 1e-9}
    )
    if not np.isfinite(res.fun) or (not res.success and "ABNORMAL" not in str(res.message).upper()):
        raise ConvergenceError(f"Gamma-Gamma did not converge: {res.message}")
    p, q, g = np.exp(res.x)
    return GammaGamma(float(p), float(q), float(g), float(-res.fun * n), n)
