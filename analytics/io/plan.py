"""How a staged file becomes rows of a table: the mapping plan, the typed staging table and
the checks that run before anything is written (types, scales, required columns)."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from analytics import db
from analytics.io.mapping import IMPORT_COLUMNS, REQUIRED, WIDE_RE, resolve_mapping
from analytics.io.readers import Staged
from analytics.io.validate import Check, ImportValidationError, q, text_expr, typed_expr

STANDARD_SCALES = [(1.0, 5.0), (1.0, 7.0), (1.0, 10.0), (0.0, 10.0)]
TYPES = {
    **db.TABLES["customers"],
    **db.TABLES["interactions"],
    **db.TABLES["surveys"],
    **db.TABLES["survey_answers"],
    **db.TABLES["complaints"],
}
TYPES["channel"] = "VARCHAR"


@dataclass
class Plan:
    """What the typed staging table holds and how it maps onto the target tables."""

    table: str
    mapping: dict[str, str]  # file header → canonical
    headers: dict[str, str] = field(default_factory=dict)  # canonical → file header
    extra: list[str] = field(default_factory=list)  # unmapped headers (customer attributes)


def parse_scale(text: str | None) -> tuple[float, float] | None:
    """``"1-5"`` → (1.0, 5.0)."""
    if not text:
        return None
    try:
        lo, hi = (float(x) for x in str(text).replace("–", "-").split("-", 1))
    except ValueError:
        raise ValueError(f"--scale {text!r}: expected MIN-MAX such as 1-5") from None
    if hi <= lo:
        raise ValueError(f"--scale {text!r}: MAX must be above MIN")
    return lo, hi


def plan_for(table: str, staged: Staged, mapping: dict[str, str] | None, name: str) -> Plan:
    try:
        resolved = resolve_mapping(table, staged.columns, mapping)
    except KeyError as exc:
        raise ImportValidationError(
            name,
            [
                (
                    None,
                    str(exc.args[0]),
                    f"--map names a column the file does not have (columns: {', '.join(staged.columns)})",
                )
            ],
            1,
        ) from None
    allowed = set(IMPORT_COLUMNS[table])
    bad = [(h, c) for h, c in resolved.items() if c not in allowed and not (table == "surveys" and WIDE_RE.match(c))]
    if bad:
        raise ImportValidationError(
            name, [(None, h, f"cannot map to {c!r}: not a column of {table}") for h, c in bad], len(bad)
        )
    plan = Plan(table, resolved, {c: h for h, c in resolved.items()})
    ignored = {h for h, c in (mapping or {}).items() if c is None}
    plan.extra = [h for h in staged.columns if h not in resolved and h not in ignored]
    missing = [c for c in REQUIRED[table] if c not in plan.headers]
    if table == "surveys" and "dimension" in plan.headers:
        missing += [c for c in ("response_id", "expectation", "experience") if c not in plan.headers]
    if missing:
        raise ImportValidationError(
            name,
            [
                (
                    None,
                    c,
                    f"required column missing (file columns: {', '.join(staged.columns)})",
                )
                for c in missing
            ],
            len(missing),
            missing=missing,
        )
    return plan


#: What an interaction's kind may be called in a file (lower case) → the stored kind.
KIND_WORDS = {
    **{k: k for k in ("purchase", "service", "complaint", "visit")},
    "order": "purchase",
    "sale": "purchase",
    "购买": "purchase",
    "购物": "purchase",
    "订单": "purchase",
    "服务": "service",
    "客服": "service",
    "咨询": "service",
    "投诉": "complaint",
    "到访": "visit",
    "来访": "visit",
    "访问": "visit",
}


def build_typed(con: duckdb.DuckDBPyConnection, staged: Staged, plan: Plan) -> None:
    """CREATE the typed staging table ``_typed``: _line, typed canonical columns, and the raw
    text of every parsed (non-text) column for error messages — a text column is its own raw
    text, so it is not stored twice (at 10M rows that copy cost seconds). The raw text is kept
    only where it did not parse (``_raw_<column>`` is NULL where the typed value is set).

    The rows go to ``_typed_rows`` in the file's order; ``_typed`` is a view adding ``_line``
    from their position (a stored line number was one more column to write). A lazily staged
    CSV is read here, once; its rows are then counted."""
    xlsx = staged.kind == "xlsx"
    cols, unparsed = [], []
    for canon, header in plan.headers.items():
        sql_type = "DOUBLE" if WIDE_RE.match(canon) else TYPES[canon]
        alias = canon.replace(".", "__")
        cols.append(f"{typed_expr(header, sql_type, xlsx)} AS {q(alias)}")
        if sql_type != "VARCHAR":
            raw = q("_raw_" + alias)
            cols.append(f"{q(header)} AS {raw}")  # trimmed only where it did not parse: 0.5 s less at 10M rows
            unparsed.append(f"CASE WHEN {q(alias)} IS NULL THEN {text_expr('_raw_' + alias)} END AS {raw}")
    if plan.table == "interactions" and "kind" in plan.headers:
        cases = " ".join(f"WHEN '{word}' THEN '{kind}'" for word, kind in KIND_WORDS.items())
        stored = ", ".join(f"'{k}'" for k in sorted(set(KIND_WORDS.values())))
        kind = q(plan.headers["kind"])  # most cells already are a stored kind: 0.3 s less at 10M rows
        named = f"CASE lower({text_expr(plan.headers['kind'])}) {cases} END"
        cols.append(f"CASE WHEN {kind} IN ({stored}) THEN {kind} ELSE {named} END AS kind_norm")
    with staged.reading():
        keep = f"REPLACE ({', '.join(unparsed)})" if unparsed else ""
        rows = f"SELECT {', '.join(cols)} FROM {staged.table}"
        con.execute(f"CREATE OR REPLACE TEMP TABLE _typed_rows AS SELECT * {keep} FROM ({rows})")
    line = f"rowid + {staged.line_offset} AS _line"
    con.execute(f"CREATE OR REPLACE TEMP VIEW _typed AS SELECT {line}, * FROM _typed_rows")
    if staged.rows is None:
        staged.rows = con.execute("SELECT count(*) FROM _typed_rows").fetchone()[0]


def type_checks(plan: Plan) -> list[Check]:
    """Parse, range and date checks that apply whatever the table."""
    checks = []
    for canon in plan.headers:
        alias = canon.replace(".", "__")
        sql_type = "DOUBLE" if WIDE_RE.match(canon) else TYPES[canon]
        raw = q("_raw_" + alias)
        if sql_type in ("DOUBLE", "INTEGER"):
            checks.append(Check(alias, f"{raw} IS NOT NULL AND {q(alias)} IS NULL", "not a number"))
            checks.append(Check(alias, f"isnan({q(alias)}) OR isinf({q(alias)})", "not a finite number"))
        elif sql_type in ("DATE", "TIMESTAMP"):
            checks.append(
                Check(
                    alias,
                    f"{raw} IS NOT NULL AND {q(alias)} IS NULL",
                    "not a date (use 2024-03-05, 20240305, 2024/3/5 or 2024年3月5日)",
                )
            )
            checks.append(Check(alias, f"{q(alias)} > now()::TIMESTAMP + INTERVAL 1 DAY", "date in the future"))
            checks.append(Check(alias, f"{q(alias)} < TIMESTAMP '1900-01-01'", "date before 1900"))
        elif sql_type == "BOOLEAN":
            checks.append(
                Check(alias, f"{raw} IS NOT NULL AND {q(alias)} IS NULL", "not a yes/no value (true/false, 1/0, 是/否)")
            )
        elif sql_type == "VARCHAR":
            checks.append(Check(alias, f"length({q(alias)}) > 10000", "cell longer than 10,000 characters"))
    for key in ("customer_id", "complaint_id", "interaction_id", "response_id"):
        if key in plan.headers and not (key == "customer_id" and plan.table == "surveys"):
            checks.append(Check(key, f"{q(key)} IS NULL", "empty key"))
    return checks


def table_checks(plan: Plan, scale: tuple[float, float] | None) -> list[Check]:
    h = plan.headers
    checks = []
    if plan.table == "interactions" and "kind" in h:
        checks.append(
            Check(
                "kind",
                "kind_norm IS NULL",
                "unknown kind (purchase, service, complaint, visit; 购买, 服务, 投诉, 到访)",
            )
        )
    if plan.table == "interactions" and "amount" in h:
        checks.append(Check("amount", "amount < 0", "negative purchase amount"))
    if plan.table == "complaints" and "resolved_at" in h:
        checks.append(Check("resolved_at", "resolved_at < opened_at", "resolved before it was opened"))
    if plan.table == "customers" and "churn_date" in h and "signup_date" in h:
        checks.append(Check("churn_date", "churn_date < signup_date", "churn date before signup date"))
    if plan.table == "surveys":
        if "nps" in h:
            checks.append(Check("nps", "nps < 0 OR nps > 10 OR nps <> round(nps)", "NPS must be a whole number 0–10"))
        lo, hi = scale
        scored = [
            c for c in h if c in ("overall_satisfaction", "effort", "expectation", "experience") or WIDE_RE.match(c)
        ]
        for canon in scored:
            alias = canon.replace(".", "__")
            checks.append(
                Check(
                    alias, f"{q(alias)} < {lo} OR {q(alias)} > {hi}", f"score outside the declared scale {lo:g}–{hi:g}"
                )
            )
    return checks


def infer_scale(con: duckdb.DuckDBPyConnection, plan: Plan) -> tuple[float, float]:
    scored = [
        c.replace(".", "__")
        for c in plan.headers
        if c in ("overall_satisfaction", "effort", "expectation", "experience") or WIDE_RE.match(c)
    ]
    if not scored:
        return STANDARD_SCALES[0]
    lo, hi = con.execute(
        f"SELECT least({', '.join(f'min({q(c)})' for c in scored)}), "
        f"greatest({', '.join(f'max({q(c)})' for c in scored)}) FROM _typed"
    ).fetchone()
    for s_lo, s_hi in STANDARD_SCALES:
        if lo is None or (lo >= s_lo and hi <= s_hi):
            return s_lo, s_hi
    return STANDARD_SCALES[-1]


def column_sql(plan: Plan, canon: str, cast: str | None = None) -> str:
    """The typed column if the file has it, else NULL of the right type."""
    sql_type = cast or TYPES.get(canon, "VARCHAR")
    return q(canon) if canon in plan.headers else f"CAST(NULL AS {sql_type})"
