"""Housekeeping of the storage: ``python -m analytics maintain``.

A DuckLake grows with every write: each import adds Parquet files (and delete files for the
rows it replaced), every snapshot stays readable, and a killed writer leaves files no snapshot
refers to. ``maintain`` runs DuckLake's own maintenance calls in order
(https://ducklake.select/docs/stable/duckdb/maintenance/recommended_maintenance):
flush inlined rows to files, merge small adjacent files, rewrite files with many deletes,
expire snapshots older than ``keep``, delete the files they alone used, and delete files no
snapshot refers to that are older than ``keep`` (younger ones may belong to a write still
running in another process). A DuckDB file gets its interactions back in one customer order
(each import appends its own sorted run; ``schema.STORAGE_ORDER``) and is checkpointed (its
free blocks are reused).
"""

from __future__ import annotations

import time
from datetime import timedelta

import duckdb

from analytics import db
from analytics.schema import STORAGE_ORDER, cluster_all, is_lake

DEFAULT_KEEP = timedelta(hours=1)


def maintain(con: duckdb.DuckDBPyConnection, keep: timedelta = DEFAULT_KEEP) -> dict:
    """Compact and clean the open database; returns what it found and did (JSON-ready)."""
    t0 = time.perf_counter()
    if not is_lake(con):
        with db.write_transaction(con, bump=False):  # many small imports leave runs of rows: one order again
            cluster_all(con)
        con.execute("CHECKPOINT")
        return {
            "storage": "file",
            "clustered": list(STORAGE_ORDER),
            "checkpointed": True,
            "seconds": round(time.perf_counter() - t0, 2),
        }
    lake = db.scalar(con, "SELECT current_database()")
    name = db.quote_literal(lake)
    before = lake_files(con)
    snapshots_before = db.scalar(con, f"SELECT count(*) FROM ducklake_snapshots({name})")
    older = f"now() - INTERVAL '{int(keep.total_seconds())} seconds'"
    steps = [
        f"CALL ducklake_flush_inlined_data({name})",
        f"CALL ducklake_merge_adjacent_files({name})",
        f"CALL ducklake_rewrite_data_files({name})",
        f"CALL ducklake_expire_snapshots({name}, older_than => {older})",
        f"CALL ducklake_cleanup_old_files({name}, cleanup_all => true)",
        f"CALL ducklake_delete_orphaned_files({name}, older_than => {older})",
    ]
    for sql in steps:
        con.execute(sql)
    return {
        "storage": "ducklake",
        "files_before": before,
        "files_after": lake_files(con),
        "snapshots_before": snapshots_before,
        "snapshots_after": db.scalar(con, f"SELECT count(*) FROM ducklake_snapshots({name})"),
        "seconds": round(time.perf_counter() - t0, 2),
    }


def data_path(con: duckdb.DuckDBPyConnection) -> str:
    """Where the open lake keeps its data files (as the catalog says)."""
    lake = db.scalar(con, "SELECT current_database()")
    rows = con.execute(f"SELECT option_name, value FROM ducklake_options({db.quote_literal(lake)})").fetchall()
    return next(str(v) for k, v in rows if k == "data_path")


def lake_files(con: duckdb.DuckDBPyConnection) -> int:
    """Parquet files under the lake's data path, a folder or object storage (DuckDB's glob)."""
    folder = data_path(con).rstrip("/") + "/"
    return int(db.scalar(con, f"SELECT count(*) FROM glob({db.quote_literal(folder + '**/*.parquet')})") or 0)
