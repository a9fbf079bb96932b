"""Thin command line over the analytics package (``python -m analytics --help``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import duckdb

from analytics import db, storage


def _progress(msg: str) -> None:
    print(f"… {msg}", file=sys.stderr, flush=True)


def _refit(con, args: argparse.Namespace) -> dict | str:
    """After a write: fit the stored models on the new data (analytics/fits.py), unless --no-fit."""
    from analytics import fits

    if args.no_fit:
        return "skipped (--no-fit): the app refits in the background on its next run"
    return fits.refit(con, progress=None if args.command == "import" and args.quiet else _progress)


def _warm(args: argparse.Namespace) -> None:
    """After a write and its fits: precompute the app's pages on the new data (ui/warm.py, in
    its own process once this one has closed the database), so their first visitor reads kept
    results (analytics/results.py). Skipped without the app beside this package, or with
    ``CSAT_WARM=0``; a failure is reported, never fails the write, which is committed."""
    import importlib.util
    import subprocess
    import time

    root = Path(__file__).resolve().parent.parent
    if os.environ.get("CSAT_WARM", "1") == "0" or importlib.util.find_spec("streamlit") is None:
        return
    if not (root / "ui" / "warm.py").is_file():
        return
    t0 = time.perf_counter()
    quiet = getattr(args, "quiet", False)
    if not quiet:
        _progress("precomputing the app's pages on the new data (CSAT_WARM=0 skips)")
    cmd = [sys.executable, "-m", "ui.warm"] + (["--db", args.db] if args.db else [])
    out = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if out.returncode != 0:
        lines = (out.stdout.strip() or out.stderr.strip() or "no output").splitlines()
        print(f"{args.command}: the data is written; precomputing the pages failed: {lines[-1]}", file=sys.stderr)
    elif not quiet:
        _progress(f"pages precomputed in {time.perf_counter() - t0:.1f} s")


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the demo, then fit its models in a process of their own: each step's memory is its
    own (at 1M customers the churn fit after the build peaked at 2.04 GB in one process)."""
    from analytics.demo import build_demo

    with db.connect(args.db) as con:
        counts: dict[str, object] = {**build_demo(con, customers=args.customers, seed=args.seed, progress=_progress)}
    counts["fits"] = _refit_apart(args)
    print(json.dumps(counts))
    return 0


def _refit_apart(args: argparse.Namespace) -> dict | str:
    """``python -m analytics refit`` in a new process once this one has closed the database
    (DuckDB lets one process write a file); its progress goes to this command's stderr."""
    import subprocess

    if args.no_fit:
        return "skipped (--no-fit): the app refits in the background on its next run"
    cmd = [sys.executable, "-m", "analytics", "refit"] + (["--db", args.db] if args.db else [])
    out = subprocess.run(cmd, cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.PIPE, text=True)
    if out.returncode != 0:
        return f"failed (exit {out.returncode}): the app refits in the background on its next run"
    return json.loads(out.stdout.strip().splitlines()[-1])


def cmd_refit(args: argparse.Namespace) -> int:
    """Fit every stored model on the database's data (what a write does after it) and print
    {model: seconds or why it was skipped}."""
    from analytics import fits

    with db.connect(args.db) as con:
        print(json.dumps(fits.refit(con, progress=_progress)))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from analytics.report import build_report

    with db.connect(args.db, read_only=True) as con:
        report = build_report(con)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, default=str))
    else:
        print(json.dumps(report, ensure_ascii=False, default=str, indent=2))
    return 0


def cmd_ltv(args: argparse.Namespace) -> int:
    from analytics.value import deck_ltv, deck_table

    ltv = deck_ltv(args.amount, args.frequency, args.years, args.growth)
    table = [row.__dict__ for row in deck_table(args.amount, args.frequency, args.years, args.growth or 0.10)]
    out = {
        "ltv": ltv,
        "amount": args.amount,
        "frequency": args.frequency,
        "years": args.years,
        "growth": args.growth,
        "table": table,
    }
    print(json.dumps(out) if args.json else json.dumps(out, indent=2))
    return 0


def cmd_clv(args: argparse.Namespace) -> int:
    import datetime as dt

    from analytics.export import to_csv_bytes, write_file
    from analytics.value import fit_clv

    with db.connect(args.db, read_only=True) as con:
        end = (
            dt.date.fromisoformat(args.observation_end)
            if args.observation_end
            else db.scalar(con, "SELECT max(ts)::DATE FROM interactions WHERE kind = 'purchase'")
        )
        if end is None:
            print("no purchases in the database", file=sys.stderr)
            return 2
        try:
            if args.calibration_end:
                from analytics.value import holdout_check

                check = holdout_check(con, dt.date.fromisoformat(args.calibration_end), end, args.unit)
            result = fit_clv(
                con,
                end,
                args.unit,
                horizon_months=args.horizon,
                discount=args.discount,
                margin=args.margin,
                progress=lambda n: print(f"… {n} likelihood evaluations", file=sys.stderr, flush=True),
            )
        except ValueError as exc:  # ConvergenceError and ColumnError are ValueErrors
            print(f"clv: {exc}", file=sys.stderr)
            return 2
    report = result.report()
    if args.calibration_end:
        report["holdout"] = check.to_dict(orient="records")
        report["calibration"] = {"end": args.calibration_end, "bgnbd": check.attrs["calibration_bgnbd"]}
    if args.out:
        cols = ["customer_id", "frequency", "recency", "T", "p_alive", "expected_purchases", "expected_spend", "clv"]
        write_file(args.out, to_csv_bytes(result.customers[cols]))
    print(json.dumps(report) if args.json else json.dumps(report, indent=2))
    return 0


def cmd_churn(args: argparse.Namespace) -> int:
    from analytics.export import to_csv_bytes, write_file
    from analytics.loyalty.churn import definition
    from analytics.loyalty.churn_model import at_risk, fit_churn

    with db.connect(args.db, read_only=True) as con:
        try:
            model = fit_churn(
                con, definition(con, args.days), progress=lambda m: print(f"… {m}", file=sys.stderr, flush=True)
            )
        except ValueError as exc:
            print(f"churn: {exc}", file=sys.stderr)
            return 2
        if args.out:
            write_file(args.out, to_csv_bytes(at_risk(con, model)))
    report = model.report()
    print(json.dumps(report, ensure_ascii=False) if args.json else json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def cmd_deck(args: argparse.Namespace) -> int:
    from analytics.filters import default_filters
    from analytics.training.export import to_html, to_pptx
    from analytics.training.slides import build_slides

    out = Path(args.out)
    if out.suffix.lower() not in (".pptx", ".html"):
        print("deck: --out must end in .pptx or .html", file=sys.stderr)
        return 2
    from analytics import currency

    with db.connect(args.db, read_only=True) as con:
        currency.apply(currency.get(con))
        slides = build_slides(con, default_filters(con, args.period), args.lang, args.min_n)
    (to_pptx if out.suffix.lower() == ".pptx" else to_html)(slides, out, args.lang)
    print(json.dumps({"out": str(out), "slides": len(slides), "lang": args.lang}))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from analytics.backup import BackupError, backup, check_backup, restore

    try:
        if args.command == "restore":  # check the backup before opening (or creating) the database
            check_backup(Path(args.folder))
        with db.connect(args.db, read_only=args.command == "backup") as con:
            out = backup(con, Path(args.folder)) if args.command == "backup" else restore(con, Path(args.folder))
            if args.command == "restore":
                out["fits"] = _refit(con, args)
    except BackupError as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:  # one line, a connection string's password blanked
        print(f"{args.command}: {storage.first_line(exc)}", file=sys.stderr)
        return 2
    print(json.dumps(out, ensure_ascii=False, default=str))
    return 0


def cmd_maintain(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from analytics.maintain import maintain

    with db.connect(args.db, create=False) as con:
        out = maintain(con, keep=timedelta(hours=args.keep_hours))
    print(json.dumps(out))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="build the deterministic demo database")
    p.add_argument("--customers", type=int, default=5000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument(
        "--db",
        default=None,
        help="database file (default data/dashboard.duckdb) or ducklake:sqlite:… / ducklake:postgres:…",
    )
    p.add_argument(
        "--no-fit", action="store_true", help="do not refit the stored models or precompute the pages after the write"
    )
    p.set_defaults(func=cmd_demo)

    from analytics.io.cli import add_parsers as add_import

    add_import(sub, _refit)

    p = sub.add_parser("report", help="key figures as JSON")
    p.add_argument("--db", default=None)
    p.add_argument("--json", action="store_true", help="one line of JSON")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("ltv", help="the deck's lifetime value arithmetic")
    p.add_argument("--amount", type=float, required=True, help="order amount (元)")
    p.add_argument("--frequency", type=float, required=True, help="orders a year")
    p.add_argument("--years", type=float, required=True, help="years of relationship")
    p.add_argument("--growth", type=float, default=0.0, help="growth of each factor, e.g. 0.1 = +10 %%")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ltv)

    p = sub.add_parser("clv", help="BG/NBD + Gamma-Gamma lifetime value per customer")
    p.add_argument("--db", default=None)
    p.add_argument("--unit", choices=["days", "weeks"], default="weeks")
    p.add_argument("--observation-end", default=None, help="last day observed (default: last purchase day)")
    p.add_argument("--calibration-end", default=None, help="also check predictions on the holdout after this day")
    p.add_argument("--horizon", type=int, default=12, help="months of future value")
    p.add_argument("--discount", type=float, default=0.10, help="annual discount rate")
    p.add_argument("--margin", type=float, default=1.0, help="margin share of spend (1 = revenue)")
    p.add_argument("--out", default=None, help="write per-customer values to this CSV")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_clv)

    p = sub.add_parser("churn", help="fit the churn model; --out writes the at-risk list")
    p.add_argument("--db", default=None)
    p.add_argument("--days", type=int, default=None, help="inactivity days that count as churn (no flag in the data)")
    p.add_argument("--out", default=None, help="write the at-risk list to this CSV")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_churn)

    from analytics.voice.cli import add_parser as add_text

    add_text(sub)

    p = sub.add_parser("deck", help="export the training slides as PPTX or self-contained HTML")
    p.add_argument("--db", default=None)
    p.add_argument("--lang", choices=["zh-CN", "en"], default="zh-CN")
    p.add_argument("--period", choices=["last_90_days", "this_year", "all"], default="this_year")
    p.add_argument("--out", required=True, help="FILE.pptx or FILE.html")
    p.add_argument(
        "--min-n",
        type=int,
        default=max(10, int(os.environ.get("CSAT_MIN_N", 10))),
        help="groups under this many customers are left out (default: CSAT_MIN_N, at least 10)",
    )
    p.set_defaults(func=cmd_deck)

    for name, text in (
        ("backup", "export the whole database to a new folder"),
        ("restore", "replace all data with a backup folder (all or nothing)"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("folder")
        p.add_argument("--db", default=None)
        if name == "restore":
            p.add_argument(
                "--no-fit",
                action="store_true",
                help="do not refit the stored models or precompute the pages after the write",
            )
        p.set_defaults(func=cmd_backup)

    p = sub.add_parser("refit", help="fit the stored models (churn, BG/NBD + Gamma-Gamma, text) on the data")
    p.add_argument("--db", default=None)
    p.set_defaults(func=cmd_refit)

    p = sub.add_parser(
        "maintain", help="compact the storage: merge small files, expire old snapshots, delete unused files"
    )
    p.add_argument("--db", default=None)
    p.add_argument(
        "--keep-hours",
        type=float,
        default=1.0,
        help="keep snapshots (and unreferenced files, which may be a running write's) younger than this",
    )
    p.set_defaults(func=cmd_maintain)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command. A database that cannot be opened or an output that cannot be written
    is one line on stderr and exit code 2, never a traceback."""
    from analytics.export import OutputError
    from analytics.privacy import Hidden

    args = build_parser().parse_args(argv)
    try:
        code = int(args.func(args))
        if code == 0 and hasattr(args, "no_fit") and not args.no_fit:
            _warm(args)
        return code
    except (db.DatabaseInUseError, db.DatabaseOpenError, db.SchemaError, OutputError, Hidden) as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return 2
    except duckdb.IOException as exc:  # a lake's data files unreachable (S3 down, folder gone)
        print(f"{args.command}: cannot read or write the data files ({storage.first_line(exc)})", file=sys.stderr)
        return 2
