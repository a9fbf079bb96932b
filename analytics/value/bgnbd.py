"""BG/NBD: how many more purchases, and is the customer still alive?

Fader, Hardie & Lee (2005), "Counting your customers the easy way: an alternative to the
Pareto/NBD model", Marketing Science 24(2), 275–284. Column contract: ``frequency`` (x,
repeat purchases), ``recency`` (t_x, time of the last purchase since the first) and ``T``
(time from the first purchase to the end of observation), all in one explicit unit.

Likelihood (their eq. 6), computed in log space:
    ln L = A1 + A2 + ln(exp(A3) + 1{x>0} exp(A4))
    A1 = lnΓ(r+x) − lnΓ(r) + r ln α
    A2 = lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x)
    A3 = −(r+x) ln(α+T)
    A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special

from analytics.value.errors import ConvergenceError, check_columns

PARAMS = ("r", "alpha", "a", "b")


@dataclass(frozen=True)
class BGNBD:
    """Fitted BG/NBD parameters and the log-likelihood at the optimum."""

    r: float
    alpha: float
    a: float
    b: float
    loglik: float
    n: int

    def as_dict(self) -> dict:
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b, "loglik": self.loglik}

    def probability_alive(self, frequency, recency, T) -> np.ndarray:
        """P(alive | x, t_x, T) (FHL 2005, eq. 12); 1 for customers with no repeat purchase."""
        x, tx, T = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
        log_ratio = (
            np.log(self.a)
            - np.log(np.maximum(self.b + x - 1, 1e-12))
            + (self.r + x) * (np.log(self.alpha + T) - np.log(self.alpha + tx))
        )
        return np.where(x > 0, 1.0 / (1.0 + np.exp(np.minimum(log_ratio, 700))), 1.0)

    def expected_purchases(self, t, frequency, recency, T) -> np.ndarray:
        """E[Y(t) | x, t_x, T]: expected purchases in the next ``t`` periods (FHL 2005, eq. 10)."""
        shape = np.broadcast(np.asarray(frequency), np.asarray(recency), np.asarray(T)).shape
        return self.expected_purchases_at([t], frequency, recency, T)[0].reshape(shape)

    def expected_purchases_at(self, ts, frequency, recency, T, weights=None) -> np.ndarray:
        """E[Y(t) | x, t_x, T] for each ``t`` in ``ts`` (rows) and customer (columns), eq. 10:

            E = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
                / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))

        With ``weights`` (one per t), one row instead: Σ_i w_i · (E(t_i) − E(t_{i−1})), the
        purchases of each period between the ts weighted (discounted) and summed (E(t_0) = 0).

        The bracket depends on x and T only, and a million customers hold ~33k distinct (x, T)
        pairs (705k distinct (x, t_x, T)): the hypergeometric function, nearly all of the cost,
        is evaluated once per pair and t, and the sum over periods is taken per pair too
        (a 1M-customer, 12-month CLV 2.2 → 0.2 s).
        """
        x, tx, T = (np.ravel(v).astype(float) for v in np.broadcast_arrays(frequency, recency, T))
        r, alpha, a, b = self.r, self.alpha, _off_one(self.a), self.b
        (ux, uT), inverse = _distinct(x, T)
        terms = np.empty((len(ts), len(ux)))
        for i, t in enumerate(ts):
            z = t / (alpha + uT + t)
            hyp = special.hyp2f1(r + ux, b + ux, a + b + ux - 1, z)
            terms[i] = 1 - np.exp((r + ux) * (np.log(alpha + uT) - np.log(alpha + uT + t))) * hyp
        if weights is not None:
            terms = (np.asarray(weights, dtype=float)[:, None] * np.diff(terms, axis=0, prepend=0.0)).sum(axis=0)[None]
        log_ratio = (
            np.log(a) - np.log(np.maximum(b + x - 1, 1e-12)) + (r + x) * (np.log(alpha + T) - np.log(alpha + tx))
        )
        scale = (a + b + x - 1) / (a - 1) / (1 + np.where(x > 0, np.exp(np.minimum(log_ratio, 700)), 0.0))
        return np.clip(np.nan_to_num(scale * terms[:, inverse], nan=0.0, posinf=0.0), 0.0, None)

    def expected_purchases_new(self, t) -> float:
        """E[X(t)] for a new customer (FHL 2005, eq. 7)."""
        r, alpha, a, b = self.r, self.alpha, _off_one(self.a), self.b
        z = t / (alpha + t)
        return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * special.hyp2f1(r, b, a + b - 1, z))


def _distinct(x: np.ndarray, T: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """The distinct (x, T) pairs and, per customer, the index of its pair (hash factorisation
    of each column, then of the pair's two codes as one integer: ~60 ms at 1M)."""
    if len(x) < 64:
        return (x, T), np.arange(len(x))
    cx, vx = pd.factorize(x)
    cT, vT = pd.factorize(T)
    codes, pairs = pd.factorize(cx.astype(np.int64) * len(vT) + cT)
    return (vx[pairs // len(vT)], vT[pairs % len(vT)]), codes


def _off_one(a: float) -> float:
    """The expectation formulas (eqs. 7 and 10) divide by a − 1 and have a removable 0/0
    singularity at a = 1 (there the hypergeometric term is exactly 1 − 1): evaluate a hair
    away from it, where the closed form is accurate to about 1e-9 relative."""
    return a if abs(a - 1.0) > 1e-6 else 1.0 + 1e-6


def log_likelihood(params, x, tx, T, weights=None) -> float:
    """Sum of individual log-likelihoods (eq. 6) at ``params`` = (r, alpha, a, b)."""
    r, alpha, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b) - special.gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-12)) - (r + x) * np.log(alpha + tx), -np.inf)
    ll = a1 + a2 + np.logaddexp(a3, a4)
    return float(np.sum(ll * weights) if weights is not None else np.sum(ll))


def _compress(x, tx, T):
    """Identical (x, t_x, T) rows share one likelihood term (weights = counts)."""
    stacked = np.stack([x, tx, T], axis=1)
    uniq, counts = np.unique(stacked, axis=0, return_counts=True)
    return uniq[:, 0], uniq[:, 1], uniq[:, 2], counts.astype(float)


def fit(frequency, recency, T, progress=None, maxiter: int = 500) -> BGNBD:
    """Maximum likelihood with L-BFGS-B on log-parameters (bounded to e^-8 … e^8).

    Raises ConvergenceError when the optimiser does not converge.
    """
    x, tx, T = (np.asarray(v, dtype=float) for v in (frequency, recency, T))
    check_columns({"frequency": x, "recency": tx, "T": T})
    if np.any(tx > T + 1e-9) or np.any(x < 0) or np.any((x == 0) & (tx > 0)):
        raise ValueError("BG/NBD needs 0 <= recency <= T, frequency >= 0 and recency = 0 when frequency = 0")
    ux, utx, uT, w = _compress(x, tx, T)
    n = len(x)
    calls = [0]

    def nll(logp):
        calls[0] += 1
        if progress and calls[0] % 25 == 0:
            progress(calls[0])
        return -log_likelihood(np.exp(logp), ux, utx, uT, w) / n

    start = np.log([1.0, max(float(np.mean(T)), 1e-3), 1.0, 1.0])
    res = optimize.minimize(
        nll, start, method="L-BFGS-B", bounds=[(-8, 8)] * 4, options={"maxiter": maxiter, "ftol": 1e-12, "gtol": 1e-8}
    )
    if not res.success and "ABNORMAL" not in str(res.message).upper():
        raise ConvergenceError(f"BG/NBD did not converge: {res.message}")
    if not np.isfinite(res.fun):
        raise ConvergenceError("BG/NBD log-likelihood is not finite at the optimum")
    r, alpha, a, b = np.exp(res.x)
    return BGNBD(float(r), float(alpha), float(a), float(b), float(-res.fun * n), n)
