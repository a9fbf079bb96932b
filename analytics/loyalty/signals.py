"""Early-warning signals kept per customer: built inside every write, read on a page view.

Deck 004's warnings as of the data's end (analytics/loyalty/churn.py ``early_warnings``) and
the default churn threshold (the 90th percentile of every customer's purchase gaps) both walk
every purchase day in the base: 10M interactions at a million customers, seconds per view.
They depend only on the data, so each write computes them once, in its own transaction (as
``customer_value`` is, analytics/loyalty/tiers.py), and a page filters one row per customer.
"""

from __future__ import annotations

import duckdb

from analytics import db

#: Tables whose rows move a signal (customers only scope them, at read time).
SOURCES = frozenset({"interactions", "complaints", "surveys"})


def after_write(con: duckdb.DuckDBPyConnection, changed: set[str] | frozenset[str]) -> None:
    """Rebuild the signals when the write touched what they are computed from (or they were
    never built); otherwise carry them to the new data version. A read-only connection keeps
    nothing: its readers compute the signals from the history."""
    if db.is_read_only(con):
        return
    if changed & SOURCES or db.get_meta(con, "signals_version") is None or not _exists(con):
        build(con)
    db.set_meta(con, "signals_version", str(db.data_version(con)))


def build(con: duckdb.DuckDBPyConnection) -> None:
    """``customer_warnings`` and the kept churn threshold from the data as it is in this
    transaction (the caller owns it)."""
    from analytics.loyalty import churn

    con.execute(f"CREATE OR REPLACE TEMP TABLE _purchase_gaps AS {churn.purchase_gaps()}")  # read twice
    try:
        sql, params = churn.warnings_query(con, "TRUE", {}, gaps="_purchase_gaps")
        db.replace_rows(con, "customer_warnings", sql, params)
        db.set_meta(con, "churn_days", str(churn.churn_days_from_gaps(con, gaps="_purchase_gaps")))
    finally:
        con.execute("DROP TABLE IF EXISTS _purchase_gaps")


def current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the kept signals are of this snapshot's data version (a file written by an
    older program has none: callers then compute them from the history)."""
    row = db.one(
        con,
        """SELECT max(value) FILTER (WHERE key = 'signals_version'),
                  max(value) FILTER (WHERE key = 'data_version') FROM meta""",
    )
    return row[0] is not None and row[0] == (row[1] or "0")


def kept_churn_days(con: duckdb.DuckDBPyConnection) -> int | None:
    """The churn threshold the last write kept, or None when it is not of this data version."""
    if not current(con):
        return None
    days = db.get_meta(con, "churn_days")
    return int(days) if days is not None else None


def _exists(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'customer_warnings'").fetchone()[
            0
        ]
    )
