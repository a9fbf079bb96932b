"""One measurement each, run in a fresh child process (see ``isolated``), so every step's peak
RSS is its own and no step warms another's caches. Each returns seconds and peak RSS (MB)."""

from __future__ import annotations

import datetime as dt
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from analytics import db

ROOT = Path(__file__).resolve().parent.parent

MIN_N = 10  # the app's default minimum n
NAIVE_BIG = 1_000_000  # from this size on the naive version runs once warm, not three times


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def isolated(task, *args) -> dict:
    """Run ``task(*args)`` in a new interpreter and return its result."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(task, *args).result()


def _filters(con):
    from analytics.filters import default_filters

    return default_filters(con)


# --- data ---------------------------------------------------------------------------------


def demo(path: str, customers: int) -> dict:
    from analytics.demo import build_demo

    t0 = time.perf_counter()
    with db.connect(path) as con:
        counts = build_demo(con, customers=customers)
    return {"s": time.perf_counter() - t0, "rss": peak_rss_mb(), "interactions": counts["interactions"]}


def export_csv(path: str, csv: str) -> None:
    with db.connect(path, read_only=True) as con:
        con.execute(
            f"COPY (SELECT customer_id, ts, kind, amount, channel, touchpoint FROM interactions) TO '{csv}' (HEADER)"
        )


def import_ours(csv: str, target: str) -> dict:
    from analytics.io.importer import import_file

    with db.connect(target) as con:
        t0 = time.perf_counter()
        res = import_file(con, "interactions", csv)
        return {"s": time.perf_counter() - t0, "rss": peak_rss_mb(), "rows": res["rows_added"]}


def import_naive(csv: str, target: str) -> dict:
    from benchmarks import naive

    with db.connect(target) as con:
        t0 = time.perf_counter()
        naive.import_csv(csv, con)
        return {"s": time.perf_counter() - t0, "rss": peak_rss_mb()}


# --- pages --------------------------------------------------------------------------------


def page_ours(path: str, page: str) -> dict:
    """Cold: the first call on a freshly opened file. Warm: median of 5 repeats, no result cache
    (the app also caches each result per filters and data version)."""
    from analytics.views import PAGES

    with db.connect(path) as con:
        f = _filters(con)
        t0 = time.perf_counter()
        PAGES[page](con, f, MIN_N)
        cold = time.perf_counter() - t0
        warm = median_time(lambda: PAGES[page](con, f, MIN_N), 5)
    return {"cold": cold, "warm": warm, "rss": peak_rss_mb()}


def page_naive(path: str, page: str, customers: int) -> dict:
    """Cold: load the tables into pandas, then the page's work. Warm: the work again on loaded frames."""
    from benchmarks import naive, naive_pages

    with db.connect(path, read_only=True) as con:
        f = _filters(con)
        t0 = time.perf_counter()
        frames = naive.load(con)
    fn = naive_pages.PAGES[page]
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    fn(frames, f)
    first = time.perf_counter() - t0
    warm = median_time(lambda: fn(frames, f), 1 if customers >= NAIVE_BIG else 3)
    return {"cold": load + first, "warm": warm, "rss": peak_rss_mb()}


# --- models -------------------------------------------------------------------------------


def churn_fit(path: str) -> dict:
    from analytics.loyalty.churn import definition
    from analytics.loyalty.churn_model import fit_churn

    with db.connect(path, read_only=True) as con:
        t0 = time.perf_counter()
        model = fit_churn(con, definition(con))
        return {
            "s": time.perf_counter() - t0,
            "rss": peak_rss_mb(),
            "auc": round(model.roc_auc, 3),
            "customers": model.customers,
        }


def clv_fit(path: str) -> dict:
    from analytics.value import fit_clv

    with db.connect(path, read_only=True) as con:
        end = con.execute("SELECT max(ts)::DATE FROM interactions").fetchone()[0]
        t0 = time.perf_counter()
        res = fit_clv(con, end, "weeks")
        return {"s": time.perf_counter() - t0, "rss": peak_rss_mb(), "customers": res.report()["customers"]}


def summary_ours(path: str) -> dict:
    from analytics.value import summary

    with db.connect(path, read_only=True) as con:
        end = con.execute("SELECT max(ts)::DATE FROM interactions").fetchone()[0]
        t0 = time.perf_counter()
        summary(con, end, "weeks")
        return {"s": time.perf_counter() - t0, "rss": peak_rss_mb()}


def summary_naive(path: str) -> dict:
    from benchmarks import naive

    with db.connect(path, read_only=True) as con:
        end = con.execute("SELECT max(ts)::DATE FROM interactions").fetchone()[0]
        t0 = time.perf_counter()
        naive.rfm_t_summary(con, end)
        return {"s": time.perf_counter() - t0, "rss": peak_rss_mb()}


def slider(path: str) -> dict:
    """One what-if slider move: the Lifetime value page recomputes CLV and the waterfall from the
    measured baseline (cached per filters), so a move costs only this arithmetic."""
    from analytics.value.whatif import Assumptions, apply_levers, evaluate, measure_baseline, waterfall

    with db.connect(path, read_only=True) as con:
        base = measure_baseline(con, _filters(con))

    def move():
        a = Assumptions(base.assumptions.order_value * 1.1, base.assumptions.orders_per_year, 0.8)
        new, _ = apply_levers(base, a, complaints_moved=0.5, fours_moved=0.3)
        evaluate(new, base.customers)
        waterfall(base.assumptions, new, base.customers)

    return {"s": median_time(move, 101), "rss": peak_rss_mb()}


def today() -> str:
    return dt.date.today().isoformat()


def refit(path: str) -> dict:
    """The stored model fits a write leaves (analytics/fits.py), as `demo` and `import` run them."""
    from analytics import fits

    with db.connect(path) as con:
        t0 = time.perf_counter()
        fits.refit(con)
        return {"s": time.perf_counter() - t0, "rss": peak_rss_mb()}


def warm(path: str) -> dict:
    """Every page's default view precomputed and kept (ui/warm.py), as `demo` and `import` run it."""
    import os

    os.environ["CSAT_DB"] = path
    os.chdir(ROOT)
    from ui.warm import warm as run_pages

    t0 = time.perf_counter()
    out = run_pages()
    if out["errors"]:
        raise RuntimeError(out["errors"][0])
    return {"s": time.perf_counter() - t0, "rss": peak_rss_mb(), "pages": out["seconds"]}
