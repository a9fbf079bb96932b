"""Exports people open in Excel: CSV with formula injection defused."""

from __future__ import annotations

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Prefix text that Excel would run as a formula (= + - @) with a quote (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (so Excel shows Chinese correctly), text cells defused."""
    clean = frame.copy()
    for col in clean.columns:
        if clean[col].dtype == object:
            clean[col] = clean[col].map(safe_cell)
    clean.columns = [safe_cell(str(c)) for c in clean.columns]
    return clean.to_csv(index=False).encode("utf-8-sig")
