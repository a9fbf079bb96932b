"""Import one file into one table: stage → map → type → validate → upsert, all or nothing.

``import_file`` is what the CLI and the Data page call. Nothing is written unless every
check passes; the write is one transaction that also logs the file and bumps the data
version. A file whose content hash is already in the import log is reported and skipped.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

import duckdb

from analytics import db, origin
from analytics.io import undo
from analytics.io.mapping import IMPORT_COLUMNS, REQUIRED, WIDE_RE, is_canonical, resolve_mapping  # noqa: F401
from analytics.io.merge import apply_merge, prepare_merge
from analytics.io.options import add_constants, merged_mapping, signature
from analytics.io.plan import (
    Plan,
    build_typed,
    infer_scale,
    parse_scale,
    plan_for,
    table_checks,
    type_checks,
)
from analytics.io.readers import FileReadError, Staged, stage_file
from analytics.io.rows import rows_for
from analytics.io.validate import ImportValidationError, duplicate_errors, q, run_checks, text_expr

__all__ = ["import_file", "ImportValidationError", "ImportWriteError", "FileReadError", "is_canonical", "parse_scale"]

_T = [time.perf_counter()]


def _tick(label: str) -> None:
    """With CSAT_PROFILE set, print how long each phase took (for benchmarks/RESULTS.md)."""
    if os.environ.get("CSAT_PROFILE"):
        now = time.perf_counter()
        print(f"  {label}: {now - _T[0]:.2f} s", file=sys.stderr)
        _T[0] = now


class Progress:
    """A small progress bar on stderr (silent when disabled); ``on_step(label, fraction)``
    lets the app draw its own."""

    def __init__(self, enabled: bool, steps: list[str], on_step=None):
        self.enabled, self.steps, self.i, self.t0 = enabled, steps, 0, time.perf_counter()
        self.on_step = on_step

    def step(self, label: str) -> None:
        _tick(label)
        if self.on_step:
            self.on_step(label, (self.steps.index(label) + 1) / len(self.steps))
        if not self.enabled:
            return
        self.i += 1
        n = len(self.steps)
        bar = "#" * (20 * self.i // n) + "-" * (20 - 20 * self.i // n)
        print(
            f"\r[{bar}] {self.i}/{n} {label:<10} {time.perf_counter() - self.t0:6.1f} s",
            end="" if self.i < n else "\n",
            file=sys.stderr,
            flush=True,
        )


def file_hash(path: Path) -> str:
    """sha256 of the file's bytes (a directory: of its Parquet files' names and bytes)."""
    h = hashlib.sha256()
    files = sorted(path.rglob("*.parquet")) if path.is_dir() else [path]
    for f in files:
        if path.is_dir():
            h.update(str(f.relative_to(path)).encode())
        with open(f, "rb") as fh:
            while chunk := fh.read(1 << 24):
                h.update(chunk)
    return h.hexdigest()


def _survey_consistency(con: duckdb.DuckDBPyConnection, plan: Plan) -> tuple[list, int]:
    """Long shape: response-level columns must agree across a response's rows."""
    level = [c for c in ("customer_id", "answered_at", "overall_satisfaction", "nps", "effort") if c in plan.headers]
    if "dimension" not in plan.headers or not level:
        return [], 0
    cond = " OR ".join(f"count(DISTINCT {q(c)}) > 1" for c in level)
    rows = con.execute(
        f"SELECT response_id, min(_line), max(_line) FROM _typed GROUP BY response_id HAVING {cond} ORDER BY 2"
    ).fetchall()
    return [
        (hi, plan.headers["response_id"], f"response {rid!r} has different response-level values than on line {lo}")
        for rid, lo, hi in rows[:20]
    ], len(rows)


def _attributes(con: duckdb.DuckDBPyConnection, staged: Staged, plan: Plan) -> None:
    """Keep every unmapped customers column as a numeric or categorical attribute."""
    for header in plan.extra:
        numeric = con.execute(
            f"SELECT count_if({text_expr(header)} IS NOT NULL AND TRY_CAST(trim({q(header)}) AS DOUBLE) IS NULL) = 0 "
            f"FROM {staged.table}"
        ).fetchone()[0]
        value = f"TRY_CAST(trim({q(header)}) AS DOUBLE), NULL" if numeric else f"NULL, {text_expr(header)}"
        con.execute(
            "DELETE FROM customer_attributes WHERE attribute = ? AND customer_id IN "
            f"(SELECT {q(plan.headers['customer_id'])} FROM {staged.table})",
            [header],
        )
        con.execute(
            f"INSERT INTO customer_attributes SELECT {text_expr(plan.headers['customer_id'])}, ?, {value} "
            f"FROM {staged.table} WHERE {text_expr(header)} IS NOT NULL",
            [header],
        )


class ImportWriteError(RuntimeError):
    """A valid file could not be written (a full disk, a memory cap); nothing changed."""

    def __init__(self, file: str, cause: BaseException):
        text = str(cause).strip()
        reason = " ".join(text.split()) if text else type(cause).__name__
        super().__init__(f"{file}: could not be written, nothing changed ({reason})")


def import_file(
    con: duckdb.DuckDBPyConnection,
    table: str,
    path: Path | str,
    *,
    mapping: dict[str, str] | None = None,
    scale: str | tuple[float, float] | None = None,
    encoding: str = "auto",
    sheet: str | None = None,
    strict: bool = False,
    progress: bool = False,
    name: str | None = None,
    dry_run: bool = False,
    on_step=None,
    constants: dict[str, str] | None = None,
    replace_demo: bool = False,
) -> dict:
    """Validate and import ``path`` into ``table``; raise ImportValidationError / FileReadError.

    ``mapping`` is {file column: canonical column}; a header mapped to ``None`` is ignored.
    ``name`` is the file name to report (the Data page passes the uploaded name; the path is
    a temp file). ``dry_run`` validates and counts what would change, writing nothing.
    ``constants`` {column: value} fill a column the file lacks (``--set kind=purchase``).
    ``replace_demo`` drops every row (the demo) in the import's own transaction; otherwise an
    import into the demo marks it mixed (analytics/origin.py).
    """
    t0 = _T[0] = time.perf_counter()
    path = Path(path)
    name = name or path.name
    if table not in IMPORT_COLUMNS:
        raise ImportValidationError(name, [(None, None, f"unknown table {table!r}")], 1)
    bar = Progress(progress, ["hash", "read", "validate", "write"], on_step)
    constants = dict(constants or {})
    content_hash = file_hash(path) if path.exists() else ""
    import_key = signature(
        content_hash, mapping=mapping, scale=scale, sheet=sheet, encoding=encoding, constants=constants
    )
    bar.step("hash")
    seen = con.execute(
        "SELECT imported_at FROM import_log WHERE content_hash = ? AND table_name = ?", [import_key, table]
    ).fetchone()
    if seen and not replace_demo:
        bar.enabled and print(file=sys.stderr)
        return {
            "table": table,
            "file": name,
            "rows_added": 0,
            "rows_updated": 0,
            "rows_skipped": 0,
            "customers_created": 0,
            "seconds": round(time.perf_counter() - t0, 3),
            "already_imported": str(seen[0]),
        }
    try:
        declared = parse_scale(scale) if isinstance(scale, str) else scale
    except ValueError as exc:
        raise ImportValidationError(name, [(None, None, str(exc))], 1) from None
    staged = stage_file(con, path, encoding=encoding, sheet=sheet, name=name, lazy=True)
    bar.step("read")
    try:
        mapping = {**merged_mapping(mapping, constants), **add_constants(con, staged, constants, name)}
        plan = plan_for(table, staged, mapping, name)
        build_typed(con, staged, plan)
        if not staged.rows:
            raise FileReadError(name, "the file has a header but no data rows")
        if table == "customers" and plan.extra:
            staged.materialize(con)  # attributes read it once per column
        _tick("typed")
        used_scale = declared or (infer_scale(con, plan) if table == "surveys" else None)
        errors, total = run_checks(
            con,
            "_typed",
            type_checks(plan) + table_checks(plan, used_scale),
            {c.replace(".", "__"): h for c, h in plan.headers.items()},
        )
        _tick("checks")
        key = (
            ["response_id", "dimension"]
            if table == "surveys" and "dimension" in plan.headers
            else [k for k in db.KEYS["surveys" if table == "surveys" else table] if k in plan.headers]
        )
        if key and not total:
            dup, n_dup = duplicate_errors(con, "_typed", key, plan.headers)
            errors, total = errors + dup, total + n_dup
            _tick("duplicates")
        if table == "surveys" and not total:
            inc, n_inc = _survey_consistency(con, plan)
            errors, total = errors + inc, total + n_inc
        unknown = 0
        if table != "customers" and "customer_id" in plan.headers and not total:
            known = "SELECT customer_id FROM customers" + (" WHERE false" if replace_demo else "")  # replaced: none
            unknown_sql = f"FROM _typed WHERE customer_id IS NOT NULL AND customer_id NOT IN ({known})"
            unknown = con.execute(f"SELECT count(DISTINCT customer_id) {unknown_sql}").fetchone()[0]
            if unknown and strict:
                rows = con.execute(f"SELECT _line, customer_id {unknown_sql} ORDER BY _line LIMIT 20").fetchall()
                n_rows = con.execute(f"SELECT count(*) {unknown_sql}").fetchone()[0]
                errors += [
                    (ln, plan.headers["customer_id"], f"unknown customer {cid!r} (--strict)") for ln, cid in rows
                ]
                total += n_rows
        if total:
            raise ImportValidationError(name, errors[:20], total)
        bar.step("validate")
        try:
            result = db.retry_busy(  # a lake's SQLite catalog busy with another server's commit: again
                lambda: _write(
                    con, plan, staged, name, (content_hash, import_key), used_scale, unknown, dry_run, replace_demo
                )
            )
        except (duckdb.Error, OSError) as exc:  # a full disk, a memory cap: rolled back
            raise ImportWriteError(name, exc) from None
        bar.step("write")
    finally:
        for drop in ("VIEW IF EXISTS _typed", "TABLE IF EXISTS _typed_rows"):
            try:
                con.execute(f"DROP {drop}")
            except duckdb.Error:  # the write's own error matters, not the clean-up's
                pass
        staged.drop(con)
    result["seconds"] = round(time.perf_counter() - t0, 3)
    if used_scale:
        result["scale"] = f"{used_scale[0]:g}-{used_scale[1]:g}"
    return result


def _write(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    staged: Staged,
    name: str,
    hashes: tuple[str, str],
    scale: tuple[float, float] | None,
    unknown: int,
    dry_run: bool = False,
    replace_demo: bool = False,
) -> dict:
    """Prepare the merges, then one transaction: (demo dropped,) bare customers, upserts,
    attributes, log, data version. ``hashes``: the file's (for generated ids) and the import's."""
    content_hash, key = hashes
    present = set(plan.headers)
    targets: dict[str, set[str]] = {}
    if plan.table == "surveys":
        targets["surveys"] = present | {"scale_min", "scale_max", "survey", "response_id"}
        targets["survey_answers"] = {"response_id", "dimension", "expectation", "experience"}
    elif plan.table == "interactions":
        targets["interactions"] = present | {"interaction_id", "kind"}
    else:
        targets[plan.table] = present
    # stored tables need no particular order; letting DuckDB write in parallel is faster
    con.execute("SET preserve_insertion_order = false")
    try:
        merges = {
            t: prepare_merge(con, t, *rows_for(con, plan, t, name, content_hash, scale), cols, fresh=replace_demo)
            for t, cols in targets.items()
        }
        _tick("prepare merge")
        added, updated, skipped = merges[plan.table].counts
        result = {
            "table": plan.table,
            "file": name,
            "rows_added": added,
            "rows_updated": updated,
            "rows_skipped": skipped,
            "customers_created": unknown,
            "ignored_columns" if plan.table != "customers" else "attributes": plan.extra,
        }
        if replace_demo:
            result["demo_replaced"] = True
        if dry_run:
            return {**result, "dry_run": True}
        with db.write_transaction(con, merges) as write:
            if replace_demo:
                write.changed |= origin.clear_rows(con)
            else:
                origin.mark_mixed(con)
            import_id = undo.next_id(con)
            if plan.table != "customers" and "customer_id" in plan.headers and unknown:
                undo.record_bare_customers(con, import_id)
                con.execute(
                    "INSERT INTO customers (customer_id) SELECT DISTINCT customer_id FROM _typed "
                    "WHERE customer_id IS NOT NULL AND customer_id NOT IN (SELECT customer_id FROM customers)"
                )
            _tick("bare customers")
            undo.record(con, import_id, list(merges.values()))
            _tick("undo record")
            for merge in merges.values():
                apply_merge(con, merge)
            _tick("apply merge")
            if plan.table == "customers" and plan.extra:
                extras = ", ".join("(" + db.quote_literal(h) + ")" for h in plan.extra)
                undo.record_attributes(
                    con,
                    import_id,
                    f"SELECT DISTINCT {text_expr(plan.headers['customer_id'])} AS customer_id, a AS attribute "
                    f"FROM {staged.table} CROSS JOIN (VALUES {extras}) v(a)",
                )
                _attributes(con, staged, plan)
            con.execute(
                "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, ?)",
                [name, key, plan.table, staged.rows, added, updated, skipped, unknown, import_id],
            )
            result["import_id"] = import_id
            if unknown:
                write.changed.add("customers")
        _tick("derived tables, commit")
    finally:
        con.execute("SET preserve_insertion_order = true")
        for t in targets:
            con.execute(f"DROP TABLE IF EXISTS _merge_{t}")
    return result
