"""Thin command line over the analytics package (``python -m analytics --help``)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from . import db


def _progress(msg: str) -> None:
    print(f"… {msg}", file=sys.stderr, flush=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import build_demo
    with db.connect(args.db) as con:
        counts = build_demo(con, customers=args.customers, seed=args.seed, progress=_progress)
    print(json.dumps(counts))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .io.importer import ImportValidationError, import_file
    from .io.readers import FileReadError
    mapping = {}
    for item in args.map or []:
        if "=" not in item:
            print(f"--map {item!r}: expected SOURCE=TARGET", file=sys.stderr)
            return 2
        target, source = _map_item(item)
        mapping[source] = target
    try:
        with db.connect(args.db) as con:
            result = import_file(con, args.table, Path(args.file), mapping=mapping, scale=args.scale,
                                 encoding=args.encoding, sheet=args.sheet, strict=args.strict,
                                 progress=not args.quiet and sys.stderr.isatty())
    except (ImportValidationError, FileReadError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except db.DatabaseInUseError as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except (OSError, duckdb.Error) as exc:  # never a traceback; the transaction rolled back
        print(f"{Path(args.file).name}: import failed, nothing was written: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _map_item(item: str) -> tuple[str, str]:
    """``--map`` takes SOURCE=TARGET where either side may be canonical.

    The issue's example ``reliability.expectation=Q3a`` names the target first, so a side
    that is a canonical or dimension column (contains a dot, or is a schema column) is the
    target and the other the file's column.
    """
    left, right = item.split("=", 1)
    from .io.importer import is_canonical
    if is_canonical(left) and not is_canonical(right):
        return left, right
    return right, left


def cmd_report(args: argparse.Namespace) -> int:
    from .report import build_report
    with db.connect(args.db, read_only=Path(str(args.db or db.DEFAULT_DB)).exists()) as con:
        report = build_report(con)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, default=str))
    else:
        print(json.dumps(report, ensure_ascii=False, default=str, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="build the deterministic demo database")
    p.add_argument("--customers", type=int, default=5000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--db", default=None, help="database file (default data/dashboard.duckdb)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="import a CSV / XLSX / Parquet file into a table")
    p.add_argument("table", choices=["customers", "interactions", "surveys", "complaints"])
    p.add_argument("file")
    p.add_argument("--db", default=None)
    p.add_argument("--map", action="append", metavar="SOURCE=TARGET",
                   help="rename a file column to a canonical one (repeatable)")
    p.add_argument("--scale", default=None, metavar="MIN-MAX", help="survey scale, e.g. 1-5")
    p.add_argument("--encoding", default="auto", choices=["auto", "utf-8", "gb18030", "gbk"])
    p.add_argument("--sheet", default=None, help="XLSX sheet name (default: the first)")
    p.add_argument("--strict", action="store_true", help="reject unknown customer ids")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("report", help="key figures as JSON")
    p.add_argument("--db", default=None)
    p.add_argument("--json", action="store_true", help="one line of JSON")
    p.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
