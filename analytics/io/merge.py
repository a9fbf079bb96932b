"""Upsert a staged selection into a table: add new keys, replace changed rows, skip identical ones."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from analytics import db
from analytics.schema import order_clause


@dataclass
class Merge:
    """One target table's share of an import: the file's rows (``rows``, SQL giving the table's
    columns) and what they do to it. ``_merge_<target>`` holds only the rows whose key the table
    already has (each 'upd' or 'same'); the rest are added straight from ``rows``."""

    target: str
    rows: str
    added: int = 0
    updated: int = 0
    skipped: int = 0
    in_order: str | None = None  # ``rows`` computed in the table's storage order (None: not order-keeping)

    @property
    def counts(self) -> tuple[int, int, int]:
        return self.added, self.updated, self.skipped

    def additions(self) -> str:
        """SQL: the file's rows whose key the table does not have, in the table's columns."""
        cols = ", ".join(f"n.{c}" for c in db.TABLES[self.target])
        if not (self.updated or self.skipped):  # no key matched: every row is new
            return f"SELECT {cols} FROM ({self.rows}) n"
        on = " AND ".join(f"n.{k} = m.{k}" for k in db.KEYS[self.target])
        return f"SELECT {cols} FROM ({self.rows}) n ANTI JOIN _merge_{self.target} m ON {on}"


def prepare_merge(
    con: duckdb.DuckDBPyConnection,
    target: str,
    select_sql: str,
    in_order: str | None,
    present: set[str],
    fresh: bool = False,
) -> Merge:
    """Stage ``_merge_<target>``: the file's rows whose key the table has, each marked upd or
    same, and count what the import adds, replaces and skips.

    Columns the file lacks keep their stored values. Built outside the write transaction
    (inserting from a table made inside it is more than twice as slow). The added rows are not
    copied here: the write inserts them from the file's rows in one sorted pass (at 9.7M new
    rows, staging them sorted and then inserting cost 1.5 s more). ``fresh``: against an empty
    table (the import replaces every row).
    """
    cols = list(db.TABLES[target])
    key = db.KEYS[target]
    merged = ", ".join(f"n.{c}" if (c in present or c in key) else f"t.{c}" for c in cols)
    same = " AND ".join(f"n.{c} IS NOT DISTINCT FROM t.{c}" for c in cols if c in present and c not in key) or "true"
    on = " AND ".join(f"n.{k} = t.{k}" for k in key)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _merge_{target} AS SELECT {merged},
        CASE WHEN {same} THEN 'same' ELSE 'upd' END AS _action
        FROM ({select_sql}) n JOIN {target} t ON {on}{" WHERE false" if fresh else ""}""")
    total = db.scalar(con, f"SELECT count(*) FROM ({select_sql})")
    updated, skipped = con.execute(
        f"SELECT count(*) FILTER (_action = 'upd'), count(*) FILTER (_action = 'same') FROM _merge_{target}"
    ).fetchone()
    return Merge(target, select_sql, total - updated - skipped, updated, skipped, in_order)


def apply_merge(con: duckdb.DuckDBPyConnection, merge: Merge) -> None:
    """Inside the transaction: replace changed rows, insert new ones, leave identical ones;
    what is inserted goes in the table's storage order (``schema.STORAGE_ORDER``)."""
    target = merge.target
    cols = ", ".join(db.TABLES[target])
    if merge.updated:
        con.execute(
            f"DELETE FROM {target} t WHERE EXISTS (SELECT 1 FROM _merge_{target} m WHERE "
            "m._action = 'upd' AND " + " AND ".join(f"m.{k} = t.{k}" for k in db.KEYS[target]) + ")"
        )
    parts = [f"SELECT {cols} FROM _merge_{target} WHERE _action = 'upd'"] if merge.updated else []
    parts += [merge.additions()] if merge.added else []
    if not parts:
        return
    ordered = order_clause(target)
    rows = f"SELECT * FROM ({' UNION ALL '.join(parts)}){ordered}"
    if ordered and merge.in_order and not (merge.updated or merge.skipped):
        rows = merge.in_order  # only new rows: read in order, their ids computed after the sort
    was = db.scalar(con, "SELECT current_setting('preserve_insertion_order')")
    if ordered:  # kept in storage order (the import lets other tables go parallel)
        con.execute("SET preserve_insertion_order = true")
    try:
        con.execute(f"INSERT INTO {target} {rows}")
    finally:
        con.execute(f"SET preserve_insertion_order = {str(bool(was)).lower()}")


def content_id(con: duckdb.DuckDBPyConnection, content: str, table: str = "_typed") -> tuple[str, bool]:
    """SQL of a stable key for rows of ``table`` that have none (interactions): a hash of the
    row's content and its number among identical rows (``h<hash>-1``, ``-2`` …; identical rows
    in any order), so a re-import of the same export updates rows instead of adding them twice.
    Numbering is a window over every row (3.9 s at 9.7M rows); a file without identical rows
    (the usual export) is numbered 1 throughout, which a distinct count tells in 1.1 s.
    Also returns whether the key is numbered by a window (which does not keep the rows' order)."""
    digest = f"'h' || to_hex(hash({content})) || '-'"
    identical = con.execute(f"SELECT count(*) - count(DISTINCT hash({content})) FROM {table}").fetchone()[0]
    if identical:
        return f"{digest} || row_number() OVER (PARTITION BY hash({content}))", True
    return f"{digest} || '1'", False
