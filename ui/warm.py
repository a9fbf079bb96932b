"""Warm the kept results: run every page once on its default view, in both languages, so the
first visitor after a write or a server start reads what this computed instead of waiting
for it (analytics/results.py keeps every call's result per data version in the database).

The pages themselves are run (Streamlit's AppTest, no browser), so what is warmed is exactly
what a visitor asks for, with no second list of calls to keep in step with the pages.

    python -m ui.warm [--db TARGET] [--pages overview,retention]

``python -m analytics demo|import|restore`` run it after their fits when the app is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The pages with analytics, in the order a manager walks them (the Data page has none to warm).
PAGES = (
    "overview",
    "satisfaction",
    "complaints",
    "voice",
    "loyalty",
    "retention",
    "lifetime_value",
    "training",
    "customer",
)
LANGS = ("zh-CN", "en")


def warm(pages: tuple[str, ...] = PAGES, langs: tuple[str, ...] = LANGS, timeout: float = 1800) -> dict:
    """Run each page in each language on the database named by ``CSAT_DB``; returns seconds per
    page (first language: the computing run) and the exceptions any run raised."""
    import logging

    from streamlit.testing.v1 import AppTest

    # "no runtime found", "missing ScriptRunContext": expected without a server
    for name in ("caching.cache_data_api", "caching.cache_resource_api", "scriptrunner_utils.script_run_context"):
        logging.getLogger(f"streamlit.runtime.{name}").disabled = True
    from ui import data

    seconds: dict[str, float] = {}
    errors: list[str] = []
    for page in pages:
        t0 = time.perf_counter()
        for lang in langs:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
            at.query_params["lang"] = lang
            at.session_state["_role"] = "manager"  # signed in: the warm run is the server's own
            at.run()
            if page != PAGES[0]:
                at.switch_page(f"pages/{page}.py")
                at.run()
            errors += [f"{page} ({lang}): {e.value}" for e in at.exception]
        seconds[page] = round(time.perf_counter() - t0, 2)
    data.drain_results(timeout=120)
    _checkpoint(data)
    return {"seconds": seconds, "errors": errors}


def _checkpoint(data) -> None:
    """Fold the kept results into the database file: without it they wait in the ``.wal``
    beside it, which a copy of the file alone (a backup, a benchmark's pristine copy) leaves
    behind. A lake's catalog commits each result itself."""
    from analytics.schema import is_lake

    with data.writing() as cur:
        if not is_lake(cur):
            cur.execute("CHECKPOINT")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ui.warm", description=__doc__.split("\n\n")[0])
    p.add_argument("--db", help="the database (default: CSAT_DB, else data/csat.duckdb)")
    p.add_argument("--pages", help="comma-separated page names (default: every page with analytics)")
    args = p.parse_args(argv)
    if args.db:
        os.environ["CSAT_DB"] = args.db
    os.chdir(ROOT)
    pages = tuple(args.pages.split(",")) if args.pages else PAGES
    unknown = sorted(set(pages) - set(PAGES))
    if unknown:
        print(f"unknown page(s): {', '.join(unknown)}; known: {', '.join(PAGES)}", file=sys.stderr)
        return 2
    out = warm(pages)
    print(json.dumps(out, ensure_ascii=False))
    return 1 if out["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
