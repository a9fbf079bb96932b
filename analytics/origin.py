"""Whose data is this: the demo, the company's own, or both mixed.

The app builds the demo on a brand-new file so its first command shows something; the first
import must then not silently mix 5,000 invented customers into a company's own (issue 15).
``meta.demo`` says the demo was built (``customers=… seed=…``); an import that keeps it marks
the file ``mixed``; an import that replaces it, or ``clear``, removes the demo rows and the
mark in the same transaction as the write.
"""

from __future__ import annotations

from typing import Literal

import duckdb

from analytics import db
from analytics.io.undo import UNDO_STATE

Origin = Literal["empty", "demo", "mixed", "own"]

#: Every table that holds data or something computed from it (scenarios are settings: kept).
DATA_TABLES = (
    *db.TABLES,
    "customer_attributes",
    "import_log",
    "churn_scores",
    "comment_scores",
    "model_fits",
    *UNDO_STATE,
)


class DemoDataError(Exception):
    """An import into the demo without saying whether to replace it or add to it."""


def origin(con: duckdb.DuckDBPyConnection) -> Origin:
    """``demo`` (only the demo), ``mixed`` (demo plus imports), ``own`` or ``empty``."""
    mark = db.get_meta(con, "demo")
    if mark:
        return "mixed" if mark.startswith("mixed") else "demo"
    return "empty" if not db.scalar(con, "SELECT count(*) FROM customers") else "own"


def holds_demo(con: duckdb.DuckDBPyConnection) -> bool:
    return origin(con) in ("demo", "mixed")


def clear_rows(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Inside the caller's write transaction: delete every data row and the demo mark.
    Returns the tables changed (for ``write_transaction``'s derived-table rebuild)."""
    for table in DATA_TABLES:
        con.execute(f"DELETE FROM {table}")
    con.execute("DELETE FROM meta WHERE key = 'demo'")
    return set(db.TABLES)


def clear(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Empty the database in one transaction (``python -m analytics clear``, the Data page).
    Returns the rows each data table held. The file stays a written one: the app does not
    rebuild the demo on it (``db.is_empty`` is for brand-new files only)."""
    before = db.table_counts(con)
    with db.write_transaction(con) as write:
        write.changed |= clear_rows(con)
        db.set_meta(con, "cleared_at", db.scalar(con, "SELECT CAST(now()::TIMESTAMP AS VARCHAR)"))
    return before


def mark_mixed(con: duckdb.DuckDBPyConnection) -> None:
    """Inside an import's transaction that keeps the demo: say so (the banner stays)."""
    mark = db.get_meta(con, "demo")
    if mark and not mark.startswith("mixed"):
        db.set_meta(con, "demo", f"mixed {mark}")
