"""The schema, created by code and versioned.

``SCHEMA_VERSION`` is stored in the ``meta`` table; ``migrate`` brings an older file up one
step at a time, each step in its own transaction, and refuses a file made by a newer program.
Step 1 creates every table; step 2 adds any canonical column an early file lacks (files of
the first releases were stamped 1 without ``customers.churned`` / ``churn_date``); step 3
adds ``model_fits``, step 4 ``churn_scores`` (analytics/fits.py) and step 5 the free-text
columns ``surveys.comment`` and ``complaints.description`` with ``comment_scores``
(analytics/voice/); step 6 numbers the import log (``import_id``) and adds what undoing an
import needs (``import_undo`` and one ``import_replaced_<table>`` per table, analytics/io/undo.py);
step 7 adds ``results``, analytics calls kept per data version (analytics/results.py); step 8
rewrites ``interactions`` in its storage order (``STORAGE_ORDER``); step 9 adds ``result_blobs``,
where kept results of more than ``results.INLINE_BYTES`` go; step 10 keeps those in parts and
notes the program that computed a result.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import duckdb

SCHEMA_VERSION = 10


class SchemaError(RuntimeError):
    """The file's schema is newer than this program, or a migration step failed."""


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
        "comment": "VARCHAR",  # free text (意见 / feedback): read by analytics/voice/
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
        "description": "VARCHAR",  # free text (投诉内容 / description): read by analytics/voice/
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
        imported_at TIMESTAMP, import_id BIGINT)""",
    """CREATE TABLE IF NOT EXISTS churn_scores (
        key VARCHAR, customer_id VARCHAR, churn_probability DOUBLE, value_365 DOUBLE, reasons VARCHAR,
        revenue_at_risk DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS model_fits (
        name VARCHAR, key VARCHAR, data_version BIGINT, fitted_at TIMESTAMP, seconds DOUBLE, payload BLOB,
        PRIMARY KEY (name, key))""",
    """CREATE TABLE IF NOT EXISTS comment_scores (
        source VARCHAR, id VARCHAR, customer_id VARCHAR, written_at TIMESTAMP, sentiment DOUBLE, theme INTEGER,
        cause VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS scenarios (
        name VARCHAR PRIMARY KEY, params VARCHAR, created_at TIMESTAMP)""",
    # what undoing an import needs: keys it added, tables it filled from empty, rows it replaced
    """CREATE TABLE IF NOT EXISTS import_undo (
        import_id BIGINT, target VARCHAR, kind VARCHAR, k1 VARCHAR, k2 VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS results (
        name VARCHAR, key VARCHAR, data_version BIGINT, computed_at TIMESTAMP, seconds DOUBLE, payload BLOB,
        program VARCHAR, PRIMARY KEY (name, key, data_version))""",
    # kept results too large to sit beside the small ones (analytics/results.py: ``INLINE_BYTES``),
    # in parts of at most ``results.PART_BYTES``
    """CREATE TABLE IF NOT EXISTS result_blobs (
        name VARCHAR, key VARCHAR, data_version BIGINT, part INTEGER, bytes BIGINT, payload BLOB,
        PRIMARY KEY (name, key, data_version, part))""",
]
#: The order a table's rows are written in. DuckDB skips every row group whose min/max cannot
#: match a filter (zone maps), so interactions kept in customer order put one customer's events
#: in one or two row groups: the Customer page reads them in ~1 ms instead of scanning ~10M rows
#: (68 ms at 1M customers), and per-customer work (purchase gaps, RFM, stages) reads clustered
#: input, 15–30 % faster for a new filter at 1M (benchmarks/RESULTS.md, 2026-12-04 c). Every
#: write appends its rows in this order; ``cluster`` re-sorts a whole table.
STORAGE_ORDER: dict[str, tuple[str, ...]] = {"interactions": ("customer_id", "ts")}

#: Tables whose replaced rows an import keeps for its undo.
UNDO_TABLES = ("customers", "interactions", "surveys", "survey_answers", "complaints", "customer_attributes")


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table that does not exist yet."""
    for table, cols in TABLES.items():
        body = ", ".join(f"{c} {t}" for c, t in cols.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({body})")
    lake = is_lake(con)
    for ddl in _EXTRA_DDL:
        con.execute(re.sub(r",?\s+PRIMARY KEY(\s*\([^)]*\))?", "", ddl) if lake else ddl)
    for table in UNDO_TABLES:
        # the table's own columns and the import's id (a later step adding a column adds it here too)
        shadow = f"import_replaced_{table}"
        con.execute(f"CREATE TABLE IF NOT EXISTS {shadow} AS SELECT *, 0::BIGINT AS import_id FROM {table} LIMIT 0")


def order_clause(table: str, columns: list[str] | None = None) -> str:
    """`` ORDER BY …`` for rows written to ``table`` (empty when it has no storage order, or when
    the selected ``columns`` lack one of the order's)."""
    order = STORAGE_ORDER.get(table, ())
    if not order or (columns is not None and not set(order) <= set(columns)):
        return ""
    return " ORDER BY " + ", ".join(order)


def cluster(con: duckdb.DuckDBPyConnection, table: str = "interactions") -> None:
    """Rewrite ``table`` in its storage order, inside the caller's transaction (the rows and the
    data version do not change: nothing computed from them goes stale)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _cluster AS SELECT * FROM {table}{order_clause(table)}")
    con.execute(f"DELETE FROM {table}")
    con.execute(f"INSERT INTO {table} SELECT * FROM _cluster")
    con.execute("DROP TABLE _cluster")


def cluster_all(con: duckdb.DuckDBPyConnection) -> None:
    """Every table with a storage order, re-sorted (migration step 8, ``maintain``)."""
    for table in STORAGE_ORDER:
        cluster(con, table)


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the connection's database is a DuckLake, which has no key constraints (the
    program keeps keys unique itself: delete, then insert)."""
    row = con.execute("SELECT type FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return row is not None and row[0] == "ducklake"


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version stored in the file (0 for an empty file)."""
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'").fetchone()
    has_meta = row is not None and row[0]
    if not has_meta:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def add_missing_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Every canonical column of every table, added where an older file lacks it."""
    create_schema(con)
    for table, cols in TABLES.items():
        have = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
        for col, kind in cols.items():
            if col not in have:
                con.execute(f"ALTER TABLE {table} ADD COLUMN {col} {kind}")


def add_churn_scores(con: duckdb.DuckDBPyConnection) -> None:
    """``churn_scores``; churn fits stored before it have no scores, so they are dropped (the
    next write or page view refits them, with their scores)."""
    create_schema(con)
    con.execute("DELETE FROM model_fits WHERE name = 'churn'")


def number_imports(con: duckdb.DuckDBPyConnection) -> None:
    """``import_log.import_id`` (earlier imports numbered by time; they cannot be undone, having
    kept nothing to undo with) and the undo tables."""
    have = {r[0] for r in con.execute("DESCRIBE import_log").fetchall()}
    if "import_id" not in have:
        con.execute("ALTER TABLE import_log ADD COLUMN import_id BIGINT")
        con.execute("""UPDATE import_log SET import_id = n FROM (SELECT rowid AS r,
                       row_number() OVER (ORDER BY imported_at, rowid) AS n FROM import_log) o WHERE rowid = o.r""")
    create_schema(con)


def add_result_blobs(con: duckdb.DuckDBPyConnection) -> None:
    """``result_blobs``; the results kept so far are dropped: an older program computed them
    (never served: their keys hold its fingerprint), and their large payloads would stay
    beside the small ones until the next write."""
    create_schema(con)
    con.execute("DELETE FROM results")


def part_result_blobs(con: duckdb.DuckDBPyConnection) -> None:
    """``result_blobs`` in parts, and ``results.program``. A 40 MB payload in one value is one
    40 MB block that DuckDB pins whole to write, delete or roll back a row beside it, and under a
    memory cap a rollback that cannot pin is fatal to the process (the warm-up beside 38 kept
    RFM-T summaries). The program that computed a result lets a newer one drop it (an older
    program's results are never read, but were read past: the first lookup after a start read
    1,063 of them). Everything kept so far is dropped: an older program computed it."""
    for table in ("results", "result_blobs"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    create_schema(con)


#: Step n brings a file from version n − 1 to n.
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {
    1: create_schema,
    2: add_missing_columns,
    3: create_schema,  # model_fits
    4: add_churn_scores,
    5: add_missing_columns,  # surveys.comment, complaints.description, comment_scores
    6: number_imports,
    7: create_schema,  # results
    8: cluster_all,  # interactions in customer order
    9: add_result_blobs,
    10: part_result_blobs,
}


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the file to ``SCHEMA_VERSION``, one step (one transaction) at a time."""
    version = schema_version(con)
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"the database has schema version {version}, newer than this program's {SCHEMA_VERSION}: "
            "update the program (pip install -r requirements.txt) before opening it"
        )
    for step in range(version + 1, SCHEMA_VERSION + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            MIGRATIONS[step](con)
            set_meta(con, "schema_version", str(step))
            if get_meta(con, "data_version") is None:
                set_meta(con, "data_version", "0")
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise SchemaError(f"migrating the database to schema {step} failed, nothing changed ({exc})") from None


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("DELETE FROM meta WHERE key = ?", [key])
    con.execute("INSERT INTO meta VALUES (?, ?)", [key, value])
