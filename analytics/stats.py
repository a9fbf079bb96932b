"""Small statistics used across modules: confidence intervals and suppression."""

from __future__ import annotations

import math

import numpy as np

Z95 = 1.959963984540054


def wilson_ci(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (Wilson 1927); (nan, nan) when n = 0."""
    if n <= 0:
        return float("nan"), float("nan")
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def wilson_arrays(k, n, z: float = Z95):
    """Vectorised Wilson interval."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def mean_ci(mean: float, sd: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Normal-approximation interval for a mean."""
    if n is None or n < 2 or sd is None or not np.isfinite(sd):
        return float("nan"), float("nan")
    half = z * sd / math.sqrt(n)
    return mean - half, mean + half


def ratio_ci(k1: float, n1: float, k2: float, n2: float, z: float = Z95) -> tuple[float, float, float]:
    """Risk ratio (k1/n1)/(k2/n2) with the Katz log interval; nan when undefined."""
    if min(k1, k2, n1, n2) <= 0:
        return float("nan"), float("nan"), float("nan")
    rr = (k1 / n1) / (k2 / n2)
    se = math.sqrt(1 / k1 - 1 / n1 + 1 / k2 - 1 / n2)
    return rr, rr * math.exp(-z * se), rr * math.exp(z * se)
