"""Retention-based customer lifetime value (Gupta & Lehmann 2003; Gupta, Lehmann & Stuart 2004).

Margin m per period, retention r per period, discount rate d per period.
  existing customer (margin at the end of each period):  CLV = Σ_{t=1..H} m r^t/(1+d)^t  →  m r/(1+d−r)
  new customer (first margin now):                        CLV = Σ_{t=0..H−1} m r^t/(1+d)^t → m(1+d)/(1+d−r)
A new customer's value net of acquisition cost subtracts it once. Customer equity is the
sum over the current base.
"""

from __future__ import annotations

import math


def _check(margin: float, retention: float, discount: float) -> None:
    if not 0 <= retention < 1 + discount:
        raise ValueError("retention must be within [0, 1 + discount)")
    if discount <= -1:
        raise ValueError("discount rate must be above -100 %")


def clv_existing(margin: float, retention: float, discount: float, horizon: float | None = None) -> float:
    """Value of a customer we have now; ``horizon`` in periods (None = infinite)."""
    _check(margin, retention, discount)
    q = retention / (1 + discount)
    if horizon is None or math.isinf(horizon):
        return margin * retention / (1 + discount - retention)
    h = int(horizon)
    return margin * (q * (1 - q**h) / (1 - q) if q != 1 else h)


def clv_new(
    margin: float, retention: float, discount: float, horizon: float | None = None, acquisition_cost: float = 0.0
) -> float:
    """Value of a customer about to be won (first margin now), net of the acquisition cost."""
    _check(margin, retention, discount)
    q = retention / (1 + discount)
    if horizon is None or math.isinf(horizon):
        gross = margin * (1 + discount) / (1 + discount - retention)
    else:
        h = int(horizon)
        gross = margin * ((1 - q**h) / (1 - q) if q != 1 else h)
    return gross - acquisition_cost


def customer_equity(
    customers: float, margin: float, retention: float, discount: float, horizon: float | None = None
) -> float:
    """Sum of the existing customers' CLV (a homogeneous base)."""
    return customers * clv_existing(margin, retention, discount, horizon)
