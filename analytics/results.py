"""Results kept in the database: an analytics call computed once per data version, then read.

A page's figures depend only on the data and the call's arguments, so what one process
computed (the app after a write, a warm run, another server on the same lake) every other
process reads instead of scanning ten million interactions again: after a restart the first
visitor of a page waits for a lookup, not for the query. Rows are keyed on the call's name,
a hash of its arguments and of the program's own source, and the data version; a write drops
the rows of older versions, and an upgraded program never reads what an older one computed.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics import db

#: Calls faster than this are not worth a row (a lookup costs about a millisecond);
#: ``CSAT_KEEP_AFTER_SECONDS`` changes it (0 keeps every result).
STORE_AFTER_SECONDS = 0.05
#: Larger results are recomputed rather than kept (the RFM-T summary of 1M customers is 45 MB).
MAX_BYTES = 96 * 1024 * 1024
#: Results up to this size are kept in ``results`` itself; larger ones in ``result_blobs``, with a
#: row in ``results`` whose payload is NULL. DuckDB reads a blob column a vector (2,048 rows) at a
#: time: with a few 40 MB payloads beside them, every small result took 20–40 ms to read (and
#: now and then 0.9 s); without them, under a millisecond.
INLINE_BYTES = 256 * 1024
#: A large payload is kept in parts of this size (one row each, ``part`` 0, 1, …): in one value,
#: a 30 MB result was one 30 MB block that DuckDB pinned whole to delete or roll back a row
#: beside it, and under a memory cap the failed rollback was fatal to the process.
PART_BYTES = 128 * 1024
#: A large result is kept only while DuckDB's buffer pool has this many times its size free: the
#: insert holds it in memory until the commit, and a rollback that cannot pin its blocks is fatal
#: to the process (the warm-up at its 512 MB cap, keeping a 30 MB RFM-T summary). Not kept, it
#: is computed again when asked for.
POOL_MARGIN = 4
#: What one data version may keep in all (``CSAT_KEPT_MB``): many filter combinations of
#: customer-level results stop being kept past it, so the database cannot grow without bound.
BUDGET_MB = 1024
_MISSING = object()


@dataclass(frozen=True)
class Result:
    """One computed call, ready to be kept."""

    name: str
    key: str
    data_version: int
    seconds: float
    payload: bytes


#: The code a kept result depends on: the analytics and the labels it carries (slides, reasons).
SOURCES = ("analytics", "locales")


@functools.cache
def program() -> str:
    """A fingerprint of the program's source (every ``.py`` under ``SOURCES``, read once per
    process): results computed by an older or newer version of the code are never served."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(p for folder in SOURCES for p in (root / folder).rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def key_of(args: tuple, kwargs: tuple) -> str:
    """A stable hash of a call's arguments and the program (their ``repr``: Filters, dates,
    numbers, strings and tuples print the same in every process, unlike ``hash``)."""
    return hashlib.sha256(repr((program(), args, kwargs)).encode()).hexdigest()[:32]


def load(con: duckdb.DuckDBPyConnection, name: str, key: str, data_version: int) -> object:
    """The kept result, or ``MISSING`` (also for a file made before the table existed, or a
    result pickled by a program whose classes changed since)."""
    where, params = "name = ? AND key = ? AND data_version = ?", [name, key, data_version]
    try:
        row = con.execute(f"SELECT payload FROM results WHERE {where}", params).fetchone()
        if row is not None and row[0] is None:  # a large one: kept apart, in parts
            parts = con.execute(f"SELECT payload FROM result_blobs WHERE {where} ORDER BY part", params).fetchall()
            row = (b"".join(p for (p,) in parts),) if parts else None
    except duckdb.CatalogException:
        return _MISSING
    if row is None or row[0] is None:
        return _MISSING
    try:
        return pickle.loads(row[0])
    except Exception:  # noqa: BLE001 — an unreadable row is a miss, recomputed and replaced
        return _MISSING


def missing(value: object) -> bool:
    return value is _MISSING


def prepare(name: str, key: str, data_version: int, value: object, seconds: float) -> Result | None:
    """The row to keep for a computed call, or None when it is too quick or too big to keep."""
    if seconds < float(os.environ.get("CSAT_KEEP_AFTER_SECONDS", STORE_AFTER_SECONDS)):
        return None
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 — an unpicklable result (a lock, a connection) stays in memory only
        return None
    if len(payload) > MAX_BYTES:
        return None
    return Result(name, key, data_version, seconds, payload)


def store(con: duckdb.DuckDBPyConnection, rows: Iterable[Result]) -> int:
    """Keep ``rows`` in one transaction (one lake commit for a batch), replacing the same keys;
    rows of a version older than the current one (a reader's old snapshot) and rows past the
    version's budget are skipped. Returns how many were kept.

    A plain transaction, not ``db.write_transaction``: it writes the results table alone (no
    meta, no derived table), so it never conflicts with a lake import committing meanwhile."""
    rows = list(rows)
    if not rows:
        return 0

    def write() -> int:
        con.execute("BEGIN TRANSACTION")
        try:
            if not _others_dropped:  # once per process: what older programs kept is never read
                drop_other_programs(con)
            kept = _insert(con, rows)
            con.execute("COMMIT")
            _others_dropped.append(True)
            return kept
        except BaseException:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:  # the failed statement already ended it
                pass
            raise

    return db.retry_busy(write)


def _insert(con: duckdb.DuckDBPyConnection, rows: list[Result]) -> int:
    current = db.data_version(con)
    room = float(os.environ.get("CSAT_KEPT_MB", BUDGET_MB)) * 1024 * 1024 - _bytes(con, current)
    keep = []
    for r in rows:
        if r.data_version == current and len(r.payload) <= room:
            keep.append(r)
            room -= len(r.payload)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    free = _pool_room(con)
    keep = [r for r in keep if len(r.payload) <= INLINE_BYTES or len(r.payload) * POOL_MARGIN <= free]
    for r in keep:
        at = [r.name, r.key, r.data_version]
        for table in TABLES:
            con.execute(f"DELETE FROM {table} WHERE name = ? AND key = ? AND data_version = ?", at)
        inline = len(r.payload) <= INLINE_BYTES
        payload = r.payload if inline else None
        con.execute(
            "INSERT INTO results (name, key, data_version, computed_at, seconds, payload, program) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [*at, now, r.seconds, payload, program()],
        )
        if not inline:
            parts = [r.payload[i : i + PART_BYTES] for i in range(0, len(r.payload), PART_BYTES)]
            con.executemany(
                "INSERT INTO result_blobs (name, key, data_version, part, bytes, payload) VALUES (?, ?, ?, ?, ?, ?)",
                [[*at, i, len(part), part] for i, part in enumerate(parts)],
            )
    return len(keep)


def _pool_room(con: duckdb.DuckDBPyConnection) -> int:
    """Bytes DuckDB's buffer pool can still take before its memory limit."""
    limit = _size(db.scalar(con, "SELECT current_setting('memory_limit')"))
    used = db.scalar(con, "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()")
    return int(limit - used)


_UNITS = {"": 1, "B": 1, "BYTES": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12}
_UNITS |= {"KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}


def _size(text: str) -> float:
    """DuckDB's ``953.6 MiB`` in bytes."""
    number, _, unit = str(text).strip().partition(" ")
    return float(number) * _UNITS[unit.strip().upper()]


#: Where kept results live: every one has a row in ``results``; the large ones' payloads are
#: in ``result_blobs``.
TABLES = ("results", "result_blobs")


def _bytes(con: duckdb.DuckDBPyConnection, version: int) -> int:
    """Bytes kept for the data version ``version`` (the large ones' sizes from their column:
    measuring their blobs would read them)."""
    return int(
        db.scalar(
            con,
            """SELECT (SELECT coalesce(sum(octet_length(payload)), 0) FROM results WHERE data_version = $v)
                    + (SELECT coalesce(sum(bytes), 0) FROM result_blobs WHERE data_version = $v)""",
            {"v": version},
        )
    )


_others_dropped: list[bool] = []  # set once this process dropped other programs' results


def drop_other_programs(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the results another program computed (an older version's, never read by this one:
    the program is in every key). They cost the first lookup after a start: DuckDB reads a blob
    column a vector at a time, theirs with the rest. Inside the caller's transaction."""
    others = "SELECT name, key, data_version FROM results WHERE program IS DISTINCT FROM ?"
    con.execute(f"DELETE FROM result_blobs WHERE (name, key, data_version) IN ({others})", [program()])
    con.execute("DELETE FROM results WHERE program IS DISTINCT FROM ?", [program()])


def prune(con: duckdb.DuckDBPyConnection) -> None:
    """Drop results of older data versions (right after a write's commit, see db.write_transaction)."""
    for table in TABLES:
        con.execute(f"DELETE FROM {table} WHERE data_version < ?", [db.data_version(con)])


def summary(con: duckdb.DuckDBPyConnection) -> dict:
    """How many results are kept for the current data version, and what they saved."""
    version = db.data_version(con)
    n, seconds = db.one(
        con, "SELECT count(*), coalesce(sum(seconds), 0) FROM results WHERE data_version = ?", [version]
    )
    return {"results": int(n), "seconds": round(float(seconds), 2), "bytes": _bytes(con, version)}
