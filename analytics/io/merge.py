"""Upsert a staged selection into a table: add new keys, replace changed rows, skip identical ones."""

from __future__ import annotations

import duckdb

from analytics import db
from analytics.schema import order_clause


def prepare_merge(
    con: duckdb.DuckDBPyConnection, target: str, select_sql: str, present: set[str], fresh: bool = False
) -> tuple[int, int, int]:
    """Stage ``_merge_<target>``: each new row marked add / upd / same against the table.

    Columns the file lacks keep their stored values. Built outside the write transaction
    (inserting from a table made inside it is more than twice as slow), in the table's storage
    order (``schema.STORAGE_ORDER``: sorting here, not in the insert, keeps 5 s of a 9.7M-row
    import out of the write lock). ``fresh``: against an
    empty table (the import replaces every row). Returns (added, updated, skipped).
    """
    cols = list(db.TABLES[target])
    key = db.KEYS[target]
    merged = ", ".join(f"n.{c}" if (c in present or c in key) else f"t.{c}" for c in cols)
    same = " AND ".join(f"n.{c} IS NOT DISTINCT FROM t.{c}" for c in cols if c in present and c not in key) or "true"
    on = " AND ".join(f"n.{k} = t.{k}" for k in key)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _merge_{target} AS SELECT {merged},
        CASE WHEN t.{key[0]} IS NULL THEN 'add' WHEN {same} THEN 'same' ELSE 'upd' END AS _action
        FROM ({select_sql}) n LEFT JOIN {f"(SELECT * FROM {target} WHERE false)" if fresh else target} t ON {on}
        {order_clause(target)}""")
    return con.execute(
        f"SELECT count_if(_action = 'add'), count_if(_action = 'upd'), count_if(_action = 'same') FROM _merge_{target}"
    ).fetchone()


def apply_merge(con: duckdb.DuckDBPyConnection, target: str, counts: tuple[int, int, int]) -> None:
    """Inside the transaction: replace changed rows, insert new ones, leave identical ones."""
    added, updated, skipped = counts
    cols = ", ".join(db.TABLES[target])
    key = db.KEYS[target]
    if updated:
        con.execute(
            f"DELETE FROM {target} t WHERE EXISTS (SELECT 1 FROM _merge_{target} m WHERE "
            "m._action = 'upd' AND " + " AND ".join(f"m.{k} = t.{k}" for k in key) + ")"
        )
    if added or updated:
        where = " WHERE _action <> 'same'" if skipped else ""
        ordered = bool(order_clause(target))
        was = db.scalar(con, "SELECT current_setting('preserve_insertion_order')")
        if ordered:  # staged in storage order and kept in it (the import lets other tables go parallel)
            con.execute("SET preserve_insertion_order = true")
        try:
            con.execute(f"INSERT INTO {target} SELECT {cols} FROM _merge_{target}{where}")
        finally:
            con.execute(f"SET preserve_insertion_order = {str(bool(was)).lower()}")


def content_id(con: duckdb.DuckDBPyConnection, content: str, table: str = "_typed") -> str:
    """SQL of a stable key for rows of ``table`` that have none (interactions): a hash of the
    row's content and its number among identical rows (``h<hash>-1``, ``-2`` …; identical rows
    in any order), so a re-import of the same export updates rows instead of adding them twice.
    Numbering is a window over every row (3.9 s at 9.7M rows); a file without identical rows
    (the usual export) is numbered 1 throughout, which a distinct count tells in 1.1 s."""
    digest = f"'h' || to_hex(hash({content})) || '-'"
    identical = con.execute(f"SELECT count(*) - count(DISTINCT hash({content})) FROM {table}").fetchone()[0]
    return f"{digest} || row_number() OVER (PARTITION BY hash({content}))" if identical else f"{digest} || '1'"
