"""The DuckDB file: connection, versioned schema and the data version.

The schema is created by code. ``SCHEMA_VERSION`` is stored in the ``meta`` table and
``migrate`` brings an older file up to date, one step per version. ``data_version`` is
bumped by every write (import, demo build, reset) so caches keyed on it go stale at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

SCHEMA_VERSION = 1
#: DuckDB's memory cap (it spills to a temp folder beside the file past it). Measured at 1M
#: customers: the 9.7M-row import peaks at 1.4 GB RSS with 1GB (4.3 GB with DuckDB's default
#: of 80 % of RAM) and is no slower; see benchmarks/RESULTS.md.
MEMORY_LIMIT = os.environ.get("CSAT_MEMORY_LIMIT", "1GB")
#: The database when neither ``--db`` nor ``CSAT_DB`` names one.
DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "dashboard.duckdb"

#: Canonical columns of each importable table, in order, with their DuckDB types.
TABLES: dict[str, dict[str, str]] = {
    "customers": {
        "customer_id": "VARCHAR",
        "name": "VARCHAR",
        "signup_date": "DATE",
        "region": "VARCHAR",
        "segment": "VARCHAR",
        "channel": "VARCHAR",
        "churned": "BOOLEAN",
        "churn_date": "DATE",
    },
    "interactions": {
        "interaction_id": "VARCHAR",
        "customer_id": "VARCHAR",
        "ts": "TIMESTAMP",
        "kind": "VARCHAR",
        "amount": "DOUBLE",
        "channel": "VARCHAR",
        "touchpoint": "VARCHAR",
    },
    "surveys": {
        "response_id": "VARCHAR",
        "customer_id": "VARCHAR",
        "answered_at": "TIMESTAMP",
        "overall_satisfaction": "DOUBLE",
        "nps": "INTEGER",
        "effort": "DOUBLE",
        "scale_min": "DOUBLE",
        "scale_max": "DOUBLE",
        "survey": "VARCHAR",
    },
    "survey_answers": {
        "response_id": "VARCHAR",
        "dimension": "VARCHAR",
        "expectation": "DOUBLE",
        "experience": "DOUBLE",
    },
    "complaints": {
        "complaint_id": "VARCHAR",
        "customer_id": "VARCHAR",
        "opened_at": "TIMESTAMP",
        "resolved_at": "TIMESTAMP",
        "outcome": "VARCHAR",
        "cause": "VARCHAR",
        "channel": "VARCHAR",
    },
}

#: The key of each table (used for upserts and duplicate checks).
KEYS: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id",),
    "interactions": ("interaction_id",),
    "surveys": ("response_id",),
    "survey_answers": ("response_id", "dimension"),
    "complaints": ("complaint_id",),
}

_EXTRA_DDL = [
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS customer_attributes (
        customer_id VARCHAR, attribute VARCHAR, value_num DOUBLE, value_text VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS import_log (
        file_name VARCHAR, content_hash VARCHAR, table_name VARCHAR, rows BIGINT,
        rows_added BIGINT, rows_updated BIGINT, rows_skipped BIGINT, customers_created BIGINT,
        imported_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS scenarios (
        name VARCHAR PRIMARY KEY, params VARCHAR, created_at TIMESTAMP)""",
]


def database_path() -> str:
    """The database the app and the CLI use: ``CSAT_DB`` when set, else data/dashboard.duckdb.

    The one place that reads ``CSAT_DB`` (read on each call, so a test or a server can set it).
    """
    return os.environ.get("CSAT_DB") or str(DEFAULT_DB)


class DatabaseInUseError(RuntimeError):
    """Another process holds the database file for writing."""


def connect(path: str | os.PathLike | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and create or migrate) the database file; ``":memory:"`` gives a fresh one."""
    target = str(path or database_path())
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(target, read_only=read_only)
    except duckdb.IOException as exc:  # the file lock of another process
        raise DatabaseInUseError(f"{target}: the database is in use by another process ({exc})") from exc
    con.execute("SET enable_progress_bar = false")
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", MEMORY_LIMIT, re.I):
        raise ValueError(f"CSAT_MEMORY_LIMIT={MEMORY_LIMIT!r}: expected a size such as 1GB or 512MB")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    if not read_only:
        migrate(con)
    return con


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table that does not exist yet."""
    for table, cols in TABLES.items():
        body = ", ".join(f"{c} {t}" for c, t in cols.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({body})")
    for ddl in _EXTRA_DDL:
        con.execute(ddl)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version stored in the file (0 for an empty file)."""
    has_meta = scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'")
    if not has_meta:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the file to ``SCHEMA_VERSION``. Version 1 is the first: create everything."""
    version = schema_version(con)
    if version > SCHEMA_VERSION:
        raise RuntimeError(f"database schema {version} is newer than this program ({SCHEMA_VERSION})")
    if version == SCHEMA_VERSION:
        return
    create_schema(con)
    # Future steps go here: `if version < 2: ...` each in its own transaction.
    set_meta(con, "schema_version", str(SCHEMA_VERSION))
    if get_meta(con, "data_version") is None:
        set_meta(con, "data_version", "0")


def one(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> tuple:
    """The one row of an aggregate query (an aggregate without GROUP BY always returns one)."""
    row = con.execute(sql, params).fetchone()
    if row is None:
        raise LookupError(f"no row from: {sql[:80]}")
    return row


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: object = None):
    """The first value of ``one``'s row: a count, a max, a setting."""
    return one(con, sql, params)[0]


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A counter that changes on every write; caches key on it."""
    return int(get_meta(con, "data_version") or 0)


@dataclass(frozen=True)
class Versions:
    """The data version (bumped by every write) and the one the derived tables were built on."""

    data: int
    derived: int | None

    @property
    def derived_current(self) -> bool:
        return self.derived == self.data


def versions(con: duckdb.DuckDBPyConnection) -> Versions:
    """Both versions in one read (the app checks them at the start of every script run)."""
    data, derived = one(
        con,
        """SELECT max(value) FILTER (WHERE key = 'data_version'),
                  max(value) FILTER (WHERE key = 'customer_value_version') FROM meta""",
    )
    return Versions(int(data or 0), None if derived is None else int(derived))


@dataclass
class Write:
    """What a write transaction changes: the tables named in ``changed`` get their derived
    per-customer tables rebuilt before the commit (add to it as the write learns more)."""

    con: duckdb.DuckDBPyConnection
    changed: set[str] = field(default_factory=set)


@contextmanager
def write_transaction(
    con: duckdb.DuckDBPyConnection, changed: Iterable[str] = (), bump: bool = True
) -> Iterator[Write]:
    """One write, all or nothing (the shape of sqlite-utils' ``Database.atomic()``).

    BEGIN → the caller's statements → bump the data version → rebuild the derived tables the
    change touches → COMMIT; on any error ROLLBACK and re-raise the error itself. Readers thus
    see data, derived tables and the version change together, and every cache keyed on the
    version goes stale at once. ``bump=False`` only brings derived tables up to date.
    """
    from analytics.loyalty import tiers  # derived tables live with their idea; db is below it

    con.execute("BEGIN TRANSACTION")
    write = Write(con, set(changed))
    try:
        yield write
        if bump:
            bump_data_version(con)
        tiers.after_write(con, write.changed)
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:  # the failed statement already ended the transaction: keep its error
            pass
        raise


def bump_data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Mark the data as changed (call inside the writing transaction)."""
    new = data_version(con) + 1
    set_meta(con, "data_version", str(new))
    return new


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """No customer and no import yet: a brand-new file (the app then builds the demo)."""
    return scalar(con, "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM import_log)") == 0


def import_log(con: duckdb.DuckDBPyConnection):
    """Every import, newest first (a DataFrame)."""
    return con.execute("SELECT * FROM import_log ORDER BY imported_at DESC").df()


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per canonical table."""
    return {t: scalar(con, f"SELECT count(*) FROM {t}") for t in TABLES}
