"""Warm the kept results: run every page once on its default view, in both languages, so the
first visitor after a write or a server start reads what this computed instead of waiting
for it (analytics/results.py keeps every call's result per data version in the database).
Then the views a manager most often opens next: each page narrowed to one region, segment,
channel or tier (the largest groups first, within a time budget), so a first click on a
group filter reads too (1M customers: 1.5–2.5 s computed, a lookup kept).

The pages themselves are run (Streamlit's AppTest, no browser), so what is warmed is exactly
what a visitor asks for, with no second list of calls to keep in step with the pages.

    python -m ui.warm [--db TARGET] [--pages overview,retention] [--groups N] [--budget S]

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
#: Pages whose figures move with the group filters (the Customer page shows one customer, the
#: Voice page reads the text model's results, cached on its fit).
FILTERED = tuple(p for p in PAGES if p not in ("customer", "voice"))
#: Values per group filter warmed after the default views (most customers first), and the
#: seconds the group views may take in all (``CSAT_WARM_GROUPS=0`` skips them).
GROUP_VALUES, GROUP_BUDGET_S = 8, 300.0
#: DuckDB's memory cap in the warm-up process (``CSAT_MEMORY_LIMIT`` overrides it).
WARM_MEMORY_LIMIT = "512MB"


def warm(
    pages: tuple[str, ...] = PAGES,
    langs: tuple[str, ...] = LANGS,
    timeout: float = 1800,
    groups: int | None = None,
    budget: float = GROUP_BUDGET_S,
) -> dict:
    """Run each page in each language on the database named by ``CSAT_DB``, then each of
    ``pages`` whose figures move with the filters narrowed to one value of a group filter
    (``groups`` values each, while ``budget`` seconds last; one language: the figures are the
    same in both; default ``CSAT_WARM_GROUPS``, else ``GROUP_VALUES``). Returns seconds per page
    (first language: the computing run), the group views warmed and the exceptions any run raised."""
    import logging

    # "no runtime found", "missing ScriptRunContext": expected without a server
    for name in ("caching.cache_data_api", "caching.cache_resource_api", "scriptrunner_utils.script_run_context"):
        logging.getLogger(f"streamlit.runtime.{name}").disabled = True
    import streamlit as st

    from ui import data

    if "CSAT_MEMORY_LIMIT" not in os.environ:
        # DuckDB's buffers are half this process at 1M customers, and the warm-up's queries run
        # one at a time (the Lifetime value page at 1M: 1.80 → 1.32 GB, as fast)
        with data.reading() as cur:
            cur.execute(f"SET memory_limit = '{WARM_MEMORY_LIMIT}'")
    seconds: dict[str, float] = {}
    errors: list[str] = []
    for page in pages:
        t0 = time.perf_counter()
        for lang in langs:
            errors += _run(page, {"lang": lang}, timeout)
        seconds[page] = round(time.perf_counter() - t0, 2)
    if groups is None:
        groups = int(os.environ.get("CSAT_WARM_GROUPS", GROUP_VALUES))
    narrowed, t0 = 0, time.perf_counter()
    for dim, value in _group_views(groups):
        if time.perf_counter() - t0 > budget:
            break
        st.cache_data.clear()  # the results are kept in the database; the process stays small
        for page in (p for p in pages if p in FILTERED):
            errors += _run(page, {"lang": langs[0], dim: value}, timeout)
        narrowed += 1
    data.drain_results(timeout=120)
    _checkpoint(data)
    return {"seconds": seconds, "group_views": narrowed, "group_seconds": round(time.perf_counter() - t0, 2),
            "errors": errors}  # fmt: skip


def _run(page: str, query: dict[str, str], timeout: float) -> list[str]:
    """One page run with the query string ``query``, signed in as the server itself; the
    exceptions it raised."""
    from streamlit.testing.v1 import AppTest

    from analytics.demo import release_memory
    from ui import data

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for k, v in query.items():
        at.query_params[k] = v
    at.session_state["_role"] = "manager"  # signed in: the warm run is the server's own
    at.run()
    if page != PAGES[0]:
        at.switch_page(f"pages/{page}.py")
        at.run()
    errors = [f"{page} ({query}): {e.value}" for e in at.exception]
    del at
    data.drain_results()  # its results written before the next page's queries: not both in memory at once
    release_memory()  # a page's frames stay in glibc's arenas otherwise, under the next page's peak
    return errors


def _group_views(per_group: int) -> list[tuple[str, str]]:
    """(filter, value) pairs to warm: the largest groups of each filter first, taking turns, so
    a short budget still covers every filter's biggest groups."""
    from analytics.filters import FILTER_GROUPS, group_values
    from ui import data

    if per_group <= 0:
        return []
    with data.reading() as cur:
        values = {d: group_values(cur, d)[:per_group] for d in FILTER_GROUPS}
    return [(d, vs[i]) for i in range(per_group) for d, vs in values.items() if i < len(vs)]


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
    p.add_argument(
        "--groups",
        type=int,
        help=f"values of each group filter to warm (default CSAT_WARM_GROUPS, else {GROUP_VALUES}; 0: none)",
    )
    p.add_argument("--budget", type=float, default=GROUP_BUDGET_S, help="seconds the group views may take in all")
    args = p.parse_args(argv)
    if args.db:
        os.environ["CSAT_DB"] = args.db
    os.environ.setdefault("CSAT_MEMORY_LIMIT", WARM_MEMORY_LIMIT)  # from the first connection (a migration)
    os.chdir(ROOT)
    pages = tuple(args.pages.split(",")) if args.pages else PAGES
    unknown = sorted(set(pages) - set(PAGES))
    if unknown:
        print(f"unknown page(s): {', '.join(unknown)}; known: {', '.join(PAGES)}", file=sys.stderr)
        return 2
    out = warm(pages, groups=args.groups, budget=args.budget)
    print(json.dumps(out, ensure_ascii=False))
    return 1 if out["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
