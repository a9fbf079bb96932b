"""The DuckDB file: opening it (with a clear message for every way that fails), the one
owner of writes (``write_transaction``) and the data version.

The schema and its migrations are in ``analytics/schema.py`` (its names are re-exported
here). ``data_version`` is bumped by every write (import, demo build, reset, restore) so
caches keyed on it go stale at once.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import duckdb

from analytics import storage
from analytics.schema import (  # noqa: F401 — the schema, as db.TABLES etc.
    KEYS,
    SCHEMA_VERSION,
    TABLES,
    SchemaError,
    create_schema,
    get_meta,
    migrate,
    schema_version,
    set_meta,
)

#: DuckDB's memory cap (it spills to a temp folder beside the file past it). Measured at 1M
#: customers: the 9.7M-row import peaks at 1.4 GB RSS with 1GB (4.3 GB with DuckDB's default
#: of 80 % of RAM) and is no slower; see benchmarks/RESULTS.md.
MEMORY_LIMIT = os.environ.get("CSAT_MEMORY_LIMIT", "1GB")
#: The database when neither ``--db`` nor ``CSAT_DB`` names one.
DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "dashboard.duckdb"
T = TypeVar("T")


def database_path() -> str:
    """The database the app and the CLI use: ``CSAT_DB`` when set, else data/dashboard.duckdb.

    The one place that reads ``CSAT_DB`` (read on each call, so a test or a server can set it).
    """
    return os.environ.get("CSAT_DB") or str(DEFAULT_DB)


class DatabaseInUseError(RuntimeError):
    """Another process holds the database file for writing."""


class DatabaseOpenError(RuntimeError):
    """The path is not a database this program can open (missing, empty, a folder, damaged)."""


def connect(
    path: str | os.PathLike | None = None, read_only: bool = False, create: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open (and create or migrate) the database: a file, a DuckLake (``ducklake:…``, see
    analytics/storage.py) or ``":memory:"`` for a fresh one.

    Read-only opens (and ``create=False``) never create a file, a folder or a lake. An older
    schema is migrated first, also for a read-only open (opened for writing once to do it).
    Raises DatabaseInUseError, DatabaseOpenError or SchemaError with a one-line message.
    """
    target = str(path or database_path())
    lake = storage.is_lake(target)
    if lake:
        con = _open_lake(target, read_only, create)
    else:
        if target != ":memory:":
            _check_path(Path(target), create and not read_only)
        con = _open(target, read_only)
    con.execute("SET enable_progress_bar = false")
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", MEMORY_LIMIT, re.I):
        raise ValueError(f"CSAT_MEMORY_LIMIT={MEMORY_LIMIT!r}: expected a size such as 1GB or 512MB")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    if not read_only:
        if not lake:
            _clear_spill(con, target)
        migrate(con)
        return con
    version = schema_version(con)
    if version > SCHEMA_VERSION or version == SCHEMA_VERSION:
        migrate(con)  # a newer schema raises SchemaError; the current one returns at once
        return con
    con.close()  # an older file: migrate it once with write access, then read it
    with connect(target, read_only=False, create=False):
        pass
    return connect(target, read_only=True)


def _open_lake(target: str, read_only: bool, create: bool) -> duckdb.DuckDBPyConnection:
    """A DuckLake connection; its spill files go to a private temporary folder (there is no
    database file to put them beside)."""
    try:
        con = storage.open_lake(storage.parse(target), read_only, create)
    except storage.LakeError as exc:
        raise DatabaseOpenError(str(exc)) from None
    spill = Path(tempfile.gettempdir()) / f"csat-spill-{os.getpid()}"
    con.execute(f"SET temp_directory = {quote_literal(str(spill))}")
    return con


def _clear_spill(con: duckdb.DuckDBPyConnection, target: str) -> None:
    """Remove what a killed writer left in DuckDB's spill folder (``<file>.tmp``): this
    process holds the file's write lock, so no other process uses it, and this process's own
    spill files (``duckdb_temporary_files()``) are kept. Stale ones only cost disk (an import
    killed mid-sort leaves hundreds of MB)."""
    if target == ":memory:":
        return
    spill = Path(target + ".tmp")
    if spill.is_dir():
        in_use = {Path(p).name for (p,) in con.execute("SELECT path FROM duckdb_temporary_files()").fetchall()}
        for f in spill.iterdir():
            if f.is_file() and f.name not in in_use:
                f.unlink(missing_ok=True)
        try:
            spill.rmdir()
        except OSError:  # something else (a sub-folder): left alone
            pass


def _check_path(p: Path, create: bool) -> None:
    if p.is_dir():
        raise DatabaseOpenError(f"{p}: is a folder, not a database file")
    if not p.exists():
        if not create:
            raise DatabaseOpenError(f"{p}: no such database (create one with `python -m analytics demo` or an import)")
        p.parent.mkdir(parents=True, exist_ok=True)
    elif p.stat().st_size == 0:
        raise DatabaseOpenError(f"{p}: the file is empty (0 bytes), not a database")


def _open(target: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(target, read_only=read_only)
    except duckdb.Error as exc:
        text = str(exc)
        if "lock" in text.lower():
            holder = re.search(r"held in (.+?) \(PID (\d+)\)", text)
            who = f"process {holder.group(2)} ({Path(holder.group(1)).name})" if holder else "another process"
            raise DatabaseInUseError(
                f"{target}: the database is in use by {who}; a file has one writing process at a time "
                "(several processes can share data through a DuckLake, see docs/scaling.md)"
            ) from None
        if "not a valid DuckDB database" in text:
            raise DatabaseOpenError(f"{target}: not a DuckDB database (damaged, or another kind of file)") from None
        if "Permission denied" in text:
            raise DatabaseOpenError(f"{target}: no permission to open the file") from None
        first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
        raise DatabaseOpenError(f"{target}: cannot open the database ({first})") from None


def quote_literal(text: str) -> str:
    """``text`` as a SQL string literal ('it''s')."""
    return "'" + str(text).replace("'", "''") + "'"


def one(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> tuple:
    """The one row of an aggregate query (an aggregate without GROUP BY always returns one)."""
    row = con.execute(sql, params).fetchone()
    if row is None:
        raise LookupError(f"no row from: {sql[:80]}")
    return row


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: object = None):
    """The first value of ``one``'s row: a count, a max, a setting."""
    return one(con, sql, params)[0]


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
    data, derived = one(  # derived: the version every derived table is of (None if they differ)
        con,
        """SELECT max(value) FILTER (WHERE key = 'data_version'),
                  CASE WHEN max(value) FILTER (WHERE key = 'customer_value_version')
                            = max(value) FILTER (WHERE key = 'signals_version')
                       THEN max(value) FILTER (WHERE key = 'customer_value_version') END FROM meta""",
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
    from analytics.loyalty import signals, tiers  # derived tables live with their idea; db is below it

    con.execute("BEGIN TRANSACTION")
    write = Write(con, set(changed))
    try:
        yield write
        if bump:
            bump_data_version(con)
        tiers.after_write(con, write.changed)
        signals.after_write(con, write.changed)
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:  # the failed statement already ended the transaction: keep its error
            pass
        raise
    if bump:
        _drop_old_results(con)


def _drop_old_results(con: duckdb.DuckDBPyConnection) -> None:
    """After a write's commit, in a transaction of its own: the older versions' kept results
    (analytics/results.py). Not inside the write, where an app server keeping a result in the
    same table at that moment would make a lake import fail on a conflict; if this loses such
    a race, the next write drops them (they are never read: their version is past)."""
    from analytics import results

    try:
        con.execute("BEGIN TRANSACTION")
        results.prune(con)
        con.execute("COMMIT")
    except duckdb.Error:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass


#: Errors of a lake's catalog that mean "another writer was committing": worth one more try.
_BUSY = ("database is locked", "conflict", "could not serialize")


def retry_busy(write: Callable[[], T], attempts: int = 6) -> T:
    """Run ``write`` (a whole transaction) again, with a growing pause, while it fails only
    because another process or thread was committing to the same lake (SQLite catalogs return
    "database is locked" instead of waiting in that case: DuckLake issue #1309)."""
    for attempt in range(attempts):
        try:
            return write()
        except duckdb.Error as exc:
            if attempt + 1 == attempts or not any(b in str(exc).lower() for b in _BUSY):
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def bump_data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Mark the data as changed (call inside the writing transaction)."""
    new = data_version(con) + 1
    set_meta(con, "data_version", str(new))
    return new


def is_read_only(con: duckdb.DuckDBPyConnection) -> bool:
    """True for a connection opened read-only (a second process): derived tables go to TEMP."""
    return bool(
        scalar(con, "SELECT bool_or(readonly) FROM duckdb_databases() WHERE database_name = current_database()")
    )


def replace_rows(con: duckdb.DuckDBPyConnection, table: str, select_sql: str, params: object = None) -> None:
    """``table`` := the rows of ``select_sql``, inside the caller's transaction. An existing
    table is emptied and refilled rather than re-created: on a lake, DDL in an import's
    transaction conflicts with whatever another server commits meanwhile (a kept result), and
    the import would fail; rows alone never conflict there. A read-only connection gets a TEMP
    table of its own."""
    exists = scalar(
        con,
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND database_name = current_database()",
        [table],
    )
    if is_read_only(con):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {select_sql}", params)
    elif exists:
        con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO {table} BY NAME {select_sql}", params)
    else:
        con.execute(f"CREATE TABLE {table} AS {select_sql}", params)


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """A brand-new file: never written, no customer, no import (the app then builds the demo).
    A file emptied by ``clear`` has been written, so the demo does not come back."""
    rows = scalar(con, "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM import_log)")
    return rows == 0 and data_version(con) == 0


def import_log(con: duckdb.DuckDBPyConnection):
    """Every import, newest first (a DataFrame)."""
    return con.execute("SELECT * FROM import_log ORDER BY imported_at DESC").df()


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per canonical table."""
    return {t: scalar(con, f"SELECT count(*) FROM {t}") for t in TABLES}
