"""``python -m analytics import``, ``undo`` and ``clear``: the company's own data in, a
mistaken import back out, and the demo out.

Importing into a database that still holds the demo stops with one line unless
``--replace-demo`` (the demo rows go in the import's own transaction) or ``--keep-demo``
(add to it; the pages keep their demo banner) says which (analytics/origin.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb

from analytics import db, origin

TABLES = ["customers", "interactions", "surveys", "complaints"]


def add_parsers(sub, refit: Callable[[duckdb.DuckDBPyConnection, argparse.Namespace], object]) -> None:
    p = sub.add_parser("import", help="import a CSV / XLSX / Parquet file into a table")
    p.add_argument("table", choices=TABLES)
    p.add_argument("file")
    p.add_argument("--db", default=None)
    p.add_argument(
        "--map", action="append", metavar="SOURCE=TARGET", help="rename a file column to a canonical one (repeatable)"
    )
    p.add_argument(
        "--set",
        action="append",
        metavar="COLUMN=VALUE",
        help="the same value for every row, e.g. kind=purchase or channel=门店 (repeatable)",
    )
    p.add_argument("--scale", default=None, metavar="MIN-MAX", help="survey scale, e.g. 1-5")
    p.add_argument("--encoding", default="auto", choices=["auto", "utf-8", "gb18030", "gbk"])
    p.add_argument("--sheet", default=None, help="XLSX sheet name (default: the first)")
    p.add_argument("--strict", action="store_true", help="reject unknown customer ids")
    demo = p.add_mutually_exclusive_group()
    demo.add_argument("--replace-demo", action="store_true", help="drop the demo data in the same transaction")
    demo.add_argument("--keep-demo", action="store_true", help="add to the demo data (pages say it is mixed)")
    p.add_argument("--dry-run", action="store_true", help="check and count what would change, write nothing")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--no-fit", action="store_true", help="do not refit the stored models or precompute the pages after the write"
    )
    p.set_defaults(func=lambda args: cmd_import(args, refit))

    p = sub.add_parser("undo", help="take back the newest import (all or nothing); then the one before")
    p.add_argument("import_id", type=int, help="the import's id (import prints it; the Data page lists it)")
    p.add_argument("--db", default=None)
    p.add_argument(
        "--no-fit", action="store_true", help="do not refit the stored models or precompute the pages after the write"
    )
    p.set_defaults(func=lambda args: cmd_undo(args, refit))

    p = sub.add_parser("currency", help="show or set the database's currency (CNY by default; USD, EUR …)")
    p.add_argument("code", nargs="?", default=None, help="ISO code, e.g. USD; none: print the current one")
    p.add_argument("--db", default=None)
    p.set_defaults(func=cmd_currency)

    p = sub.add_parser("clear", help="delete every row (demo or imported); saved scenarios stay")
    p.add_argument("--db", default=None)
    p.add_argument("--yes", action="store_true", help="really delete (make a backup first: `backup FOLDER`)")
    p.set_defaults(func=cmd_clear)


def _pairs(items: list[str] | None, flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise ValueError(f"{flag} {item!r}: expected {'COLUMN=VALUE' if flag == '--set' else 'SOURCE=TARGET'}")
        left, right = item.split("=", 1)
        out[left.strip()] = right.strip()
    return out


def _map_item(left: str, right: str) -> tuple[str, str]:
    """``--map`` takes SOURCE=TARGET where either side may be canonical.

    The issue's example ``reliability.expectation=Q3a`` names the target first, so a side
    that is a canonical or dimension column (contains a dot, or is a schema column) is the
    target and the other the file's column.
    """
    from analytics.io.importer import is_canonical

    if is_canonical(left) and not is_canonical(right):
        return left, right
    return right, left


def cmd_import(args: argparse.Namespace, refit) -> int:
    from analytics.io.importer import ImportValidationError, import_file
    from analytics.io.readers import FileReadError

    name = Path(args.file).name
    try:
        constants = _pairs(args.set, "--set")
        mapping: dict[str, str | None] = {}
        for left, right in _pairs(args.map, "--map").items():
            target, source = _map_item(left, right)
            mapping[source] = target
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        with db.connect(args.db) as con:
            if origin.holds_demo(con) and not (args.replace_demo or args.keep_demo or args.dry_run):
                print(
                    f"{name}: the database holds demo data; add --replace-demo to drop it in this import "
                    "or --keep-demo to add to it",
                    file=sys.stderr,
                )
                return 2
            result = import_file(
                con,
                args.table,
                Path(args.file),
                mapping=mapping,
                constants=constants,
                scale=args.scale,
                encoding=args.encoding,
                sheet=args.sheet,
                strict=args.strict,
                progress=not args.quiet and sys.stderr.isatty(),
                dry_run=args.dry_run,
                replace_demo=args.replace_demo,
            )
            if "already_imported" not in result and not result.get("dry_run"):
                result["fits"] = refit(con, args)
    except (ImportValidationError, FileReadError) as exc:
        print(str(exc), file=sys.stderr)
        if getattr(exc, "missing", None):
            print(
                f"{name}: name the file's column with --map SOURCE=TARGET, or give every row one value with "
                f"--set {exc.missing[0]}=VALUE",
                file=sys.stderr,
            )
        return 2
    except (OSError, duckdb.Error) as exc:  # never a traceback; the transaction rolled back
        print(f"{name}: import failed, nothing was written: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0


def cmd_undo(args: argparse.Namespace, refit) -> int:
    from analytics.io.undo import UndoError, undo

    try:
        with db.connect(args.db, create=False) as con:  # nothing to undo in a database that is not there
            result = undo(con, args.import_id)
            result["fits"] = refit(con, args)
    except UndoError as exc:
        print(f"undo: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0


def cmd_currency(args: argparse.Namespace) -> int:
    from analytics import currency

    with db.connect(args.db, read_only=args.code is None, create=False) as con:
        if args.code is None:
            code = currency.get(con)
        else:
            try:
                code = currency.set_currency(con, args.code)
            except ValueError as exc:
                print(f"currency: {exc}", file=sys.stderr)
                return 2
    c = currency.CURRENCIES[code]
    print(json.dumps({"currency": code, "symbol": c.symbol, "unit_zh": c.unit_zh}, ensure_ascii=False))
    return 0


def cmd_clear(args: argparse.Namespace) -> int:
    if not args.yes:
        print("clear: deletes every row of the database; run `backup FOLDER` first, then add --yes", file=sys.stderr)
        return 2
    with db.connect(args.db, create=False) as con:
        before = origin.clear(con)
    print(json.dumps({"cleared": before}))
    return 0
