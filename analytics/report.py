"""``python -m analytics report --json``: one JSON object of key figures, one section a capability."""
from __future__ import annotations

import duckdb

from . import db


def data_section(con: duckdb.DuckDBPyConnection) -> dict:
    """Rows per table, the date range of interactions and survey/complaint coverage."""
    first, last = con.execute("SELECT min(ts), max(ts) FROM interactions").fetchone()
    with_surveys, with_complaints = con.execute("""
        SELECT (SELECT count(DISTINCT customer_id) FROM surveys WHERE customer_id IS NOT NULL),
               (SELECT count(DISTINCT customer_id) FROM complaints)""").fetchone()
    return {
        "rows": db.table_counts(con),
        "date_range": {"first": first.isoformat() if first else None, "last": last.isoformat() if last else None},
        "customers_with_surveys": with_surveys,
        "customers_with_complaints": with_complaints,
        "data_version": db.data_version(con),
        "schema_version": db.schema_version(con),
    }


#: Section name → builder. Capabilities add themselves here.
SECTIONS = {"data": data_section}


def build_report(con: duckdb.DuckDBPyConnection) -> dict:
    """Every section's key figures."""
    return {name: build(con) for name, build in SECTIONS.items()}
