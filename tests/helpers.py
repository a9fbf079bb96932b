"""Helpers the tests share (fixtures live in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from analytics import db

ROOT = Path(__file__).resolve().parent.parent


def snapshot(c) -> tuple:
    """Everything an import could change: row counts, attributes, the log and data version."""
    counts = tuple(sorted(db.table_counts(c).items()))
    extra = tuple(c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("customer_attributes", "import_log"))
    return counts, extra, db.data_version(c)
