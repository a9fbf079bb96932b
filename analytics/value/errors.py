"""Errors and column checks shared by the CLV models."""

from __future__ import annotations

import numpy as np


class ConvergenceError(ValueError):
    """A maximum-likelihood fit did not converge; the message says which model and why.

    A ValueError: the data given cannot be fitted, so callers catch it with the other bad-input
    errors (too few customers, an empty period) and never need a bare ``except Exception``.
    """


class ColumnError(ValueError):
    """A model's input misses a column of its contract or holds invalid values."""


def check_columns(columns: dict) -> None:
    """Every named column present, same length, finite and non-negative."""
    lengths = {len(np.atleast_1d(v)) for v in columns.values()}
    if len(lengths) > 1:
        raise ColumnError(f"columns {', '.join(columns)} differ in length")
    for name, values in columns.items():
        arr = np.asarray(values, dtype=float)
        if arr.size == 0:
            raise ColumnError(f"column {name!r} is empty")
        if not np.all(np.isfinite(arr)):
            raise ColumnError(f"column {name!r} holds missing or infinite values")
        if np.any(arr < 0):
            raise ColumnError(f"column {name!r} holds negative values")
