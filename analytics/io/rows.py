"""The rows an import writes to each target table, as SQL over the typed file (``_typed``)."""

from __future__ import annotations

import duckdb

from analytics import db
from analytics.io.mapping import WIDE_RE
from analytics.io.merge import content_id
from analytics.io.plan import Plan, column_sql
from analytics.io.validate import q
from analytics.schema import order_clause


def rows_for(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    target: str,
    name: str,
    content_hash: str,
    scale: tuple[float, float] | None,
) -> tuple[str, str | None]:
    """SQL selecting the canonical rows of ``target`` from ``_typed``, and the same rows computed
    from ``_typed`` read in the table's storage order when computing them keeps that order
    (the write sorts the file's columns, not the rows with their ids: 0.5 s less at 10M rows)."""
    cols = db.TABLES[target]
    if target == "interactions":
        exprs = {c: column_sql(plan, c) for c in cols}
        content = ", ".join(
            exprs[c] if c != "kind" else "kind_norm"
            for c in ("customer_id", "ts", "kind", "amount", "channel", "touchpoint")
        )
        exprs["kind"] = "kind_norm"
        windowed = False
        if "interaction_id" not in plan.headers:
            exprs["interaction_id"], windowed = content_id(con, content)
        select = "SELECT " + ", ".join(f"{e} AS {c}" for c, e in exprs.items()) + " FROM "
        in_order = None if windowed else f"{select}(SELECT * FROM _typed{order_clause(target)})"
        return select + "_typed", in_order
    return _rows_of(plan, target, name, content_hash, scale), None


def _rows_of(plan: Plan, target: str, name: str, content_hash: str, scale: tuple[float, float] | None) -> str:
    """``_rows_for`` a table other than interactions (no storage order)."""
    cols = db.TABLES[target]
    if target == "surveys":
        exprs = {c: column_sql(plan, c) for c in cols}
        exprs["nps"] = f"CAST({column_sql(plan, 'nps', 'DOUBLE')} AS INTEGER)"
        exprs["scale_min"], exprs["scale_max"] = str(scale[0]), str(scale[1])
        if "survey" not in plan.headers:
            exprs["survey"] = "'" + name.replace("'", "''") + "'"
        if "response_id" not in plan.headers:
            exprs["response_id"] = f"'{content_hash[:12]}-' || _line"
        sel = "SELECT " + ", ".join(f"{e} AS {c}" for c, e in exprs.items()) + " FROM _typed"
        if "dimension" in plan.headers:  # long shape: one row per response
            sel = f"SELECT DISTINCT ON (response_id) * FROM ({sel}) ORDER BY response_id"
        return sel
    if target == "survey_answers":
        if "dimension" in plan.headers:
            return (
                "SELECT response_id, lower(dimension) AS dimension, expectation, experience FROM _typed "
                "WHERE expectation IS NOT NULL OR experience IS NOT NULL"
            )
        dims = sorted({WIDE_RE.match(c).group(1) for c in plan.headers if WIDE_RE.match(c)})
        rid = "response_id" if "response_id" in plan.headers else f"'{content_hash[:12]}-' || _line"

        def item(d: str, part: str) -> str:
            return q(f"{d}__{part}") if f"{d}.{part}" in plan.headers else "CAST(NULL AS DOUBLE)"

        parts = [
            f"SELECT {rid} AS response_id, '{d}' AS dimension, "
            f"{item(d, 'expectation')} AS expectation, {item(d, 'experience')} AS experience FROM _typed"
            for d in dims
        ]
        if not parts:
            return (
                "SELECT CAST(NULL AS VARCHAR) AS response_id, CAST(NULL AS VARCHAR) AS dimension, "
                "CAST(NULL AS DOUBLE) AS expectation, CAST(NULL AS DOUBLE) AS experience WHERE false"
            )
        return f"SELECT * FROM ({' UNION ALL '.join(parts)}) WHERE expectation IS NOT NULL OR experience IS NOT NULL"
    return "SELECT " + ", ".join(f"{column_sql(plan, c)} AS {c}" for c in cols) + " FROM _typed"
