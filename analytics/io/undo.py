"""Undo an import: the last one, then the one before — an undo stack, all or nothing.

While an import writes, ``record`` keeps (in the same transaction) what taking it back needs:
the keys it added, the old version of every row it replaced, and which tables it filled from
empty (undoing those empties them: the first 10M-row import keeps no keys at all). ``undo``
restores exactly that, in one write transaction, and removes the import from the log, so the
same file can then be imported again with a better mapping. Only the newest import can be
undone: a later import may have changed the same rows again. An import that replaced the
demo undoes to an empty database (the Data page restores the demo). Imports made before
this existed (schema < 6) kept nothing and cannot be undone.
"""

from __future__ import annotations

import duckdb

from analytics import db
from analytics.io.merge import Merge
from analytics.schema import UNDO_TABLES, order_clause

#: Every table holding undo state (cleared by a demo build, a restore and ``clear``).
UNDO_STATE = ("import_undo", *(f"import_replaced_{t}" for t in UNDO_TABLES))


class UndoError(ValueError):
    """The import cannot be undone (not the newest, unknown, or from before undo existed)."""


def _key(table: str) -> tuple[str, ...]:
    return tuple(db.KEYS[table])


def next_id(con: duckdb.DuckDBPyConnection) -> int:
    return int(db.scalar(con, "SELECT coalesce(max(import_id), 0) + 1 FROM import_log"))


def record(con: duckdb.DuckDBPyConnection, import_id: int, merges: list[Merge]) -> None:
    """Inside the import's transaction, before its merges are applied: what each merge is about
    to add and replace in its target table."""
    for merge in merges:
        t, key = merge.target, _key(merge.target)
        if not db.scalar(con, f"SELECT count(*) FROM (SELECT 1 FROM {t} LIMIT 1)"):
            con.execute("INSERT INTO import_undo VALUES (?, ?, 'was_empty', NULL, NULL)", [import_id, t])
            continue
        k2 = key[1] if len(key) > 1 else "NULL"
        if merge.added:
            con.execute(
                f"INSERT INTO import_undo SELECT ?, ?, 'added', {key[0]}, {k2} FROM ({merge.additions()})",
                [import_id, t],
            )
        if not merge.updated:  # nothing replaced: the table is not read (10M rows, 1 s)
            continue
        on = " AND ".join(f"m.{k} = o.{k}" for k in key)
        con.execute(
            f"""INSERT INTO import_replaced_{t} SELECT o.*, ? FROM {t} o
                WHERE EXISTS (SELECT 1 FROM _merge_{t} m WHERE m._action = 'upd' AND {on})""",
            [import_id],
        )


def record_bare_customers(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Before the import creates bare customers for unknown ids: which ones it will create."""
    if not db.scalar(con, "SELECT count(*) FROM (SELECT 1 FROM customers LIMIT 1)"):
        con.execute("INSERT INTO import_undo VALUES (?, 'customers', 'was_empty', NULL, NULL)", [import_id])
        return
    con.execute(
        """INSERT INTO import_undo SELECT DISTINCT ?, 'customers', 'added', customer_id, NULL FROM _typed
           WHERE customer_id IS NOT NULL AND customer_id NOT IN (SELECT customer_id FROM customers)""",
        [import_id],
    )


def record_attributes(con: duckdb.DuckDBPyConnection, import_id: int, pairs_sql: str) -> None:
    """Before a customers file writes attributes: the (customer, attribute) pairs it writes
    (``pairs_sql`` selects them) and their old values."""
    con.execute(
        f"INSERT INTO import_undo SELECT DISTINCT ?, 'customer_attributes', 'pair', customer_id, attribute "
        f"FROM ({pairs_sql})",
        [import_id],
    )
    con.execute(
        f"""INSERT INTO import_replaced_customer_attributes SELECT a.*, ? FROM customer_attributes a
            WHERE (a.customer_id, a.attribute) IN (SELECT customer_id, attribute FROM ({pairs_sql}))""",
        [import_id],
    )


def undoable(con: duckdb.DuckDBPyConnection) -> int | None:
    """The import that ``undo`` would take back now (the newest, if it kept its undo), or None."""
    row = con.execute("SELECT import_id FROM import_log ORDER BY imported_at DESC, import_id DESC LIMIT 1").fetchone()
    if not row or row[0] is None:
        return None
    kept = db.scalar(con, "SELECT count(*) FROM import_undo WHERE import_id = ?", [row[0]])
    return int(row[0]) if kept else None


def undo(con: duckdb.DuckDBPyConnection, import_id: int) -> dict:
    """Take back import ``import_id`` (the newest) in one transaction; returns what it removed."""
    logged = con.execute("SELECT file_name, table_name FROM import_log WHERE import_id = ?", [import_id]).fetchone()
    if logged is None:
        raise UndoError(f"import {import_id}: no such import in the log")
    newest = undoable(con)
    if newest != import_id:
        raise UndoError(
            f"import {import_id} ({logged[0]}): only the newest import can be undone"
            + (f" (import {newest} first)" if newest else " and it kept nothing to undo with")
        )
    before = db.table_counts(con)
    with db.write_transaction(con) as write:
        for t in UNDO_TABLES:
            kinds = {
                r[0]
                for r in con.execute(
                    "SELECT DISTINCT kind FROM import_undo WHERE import_id = ? AND target = ?", [import_id, t]
                ).fetchall()
            }
            if not kinds and not db.scalar(
                con, f"SELECT count(*) FROM import_replaced_{t} WHERE import_id = ?", [import_id]
            ):
                continue
            write.changed.add(t)
            if "was_empty" in kinds:
                con.execute(f"DELETE FROM {t}")
                continue
            key = ("customer_id", "attribute") if t == "customer_attributes" else _key(t)
            match = " AND ".join(f"u.k{i + 1} = {t}.{k}" for i, k in enumerate(key))
            con.execute(
                f"""DELETE FROM {t} WHERE EXISTS (SELECT 1 FROM import_undo u WHERE u.import_id = $id
                    AND u.target = '{t}' AND u.kind IN ('added', 'pair') AND {match})""",
                {"id": import_id},
            )
            old = f"import_replaced_{t}"
            cols = ", ".join(db.TABLES[t]) if t in db.TABLES else "customer_id, attribute, value_num, value_text"
            same = " AND ".join(f"r.{k} = {t}.{k}" for k in key)
            con.execute(
                f"DELETE FROM {t} WHERE EXISTS (SELECT 1 FROM {old} r WHERE r.import_id = $id AND {same})",
                {"id": import_id},
            )
            con.execute(
                f"INSERT INTO {t} SELECT {cols} FROM {old} WHERE import_id = $id{order_clause(t)}", {"id": import_id}
            )
        for table in UNDO_STATE:
            con.execute(f"DELETE FROM {table} WHERE import_id = ?", [import_id])
        con.execute("DELETE FROM import_log WHERE import_id = ?", [import_id])
        if not db.scalar(con, "SELECT count(*) FROM import_log"):
            mark = db.get_meta(con, "demo")
            if mark and mark.startswith("mixed "):
                db.set_meta(con, "demo", mark[len("mixed ") :])  # the demo alone again
    after = db.table_counts(con)
    return {
        "undone": import_id,
        "file": logged[0],
        "table": logged[1],
        "rows_removed": {t: before[t] - after[t] for t in before if before[t] != after[t]},
    }
