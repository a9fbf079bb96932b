"""python -m benchmarks [--customers N ...] [--json] [--steps demo,import,overview]

For each size: build the demo, import its interactions as CSV, and run each page's
analytics cold (first call on a freshly opened database) and warm (repeated call, data
hot; the app additionally caches results per data version, so a warm page is a cache hit)
beside a naive pandas implementation. Prints size, ours, naive, ratio, peak RSS; medians
of the repeats. Run by hand; results go to benchmarks/RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics import db, overview  # noqa: E402
from analytics.demo import build_demo  # noqa: E402
from analytics.filters import default_filters  # noqa: E402
from analytics.io.importer import import_file  # noqa: E402
from benchmarks import naive  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_time(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def naive_import(path: Path, con) -> int:
    """pandas: read, parse, validate the same rules, then insert."""
    import pandas as pd
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["ts"] = pd.to_datetime(frame["ts"], format="mixed")
    frame["amount"] = pd.to_numeric(frame["amount"].replace("", None).str.replace(",", ""), errors="coerce")
    bad = (frame["amount"] < 0) | (frame["ts"] > pd.Timestamp.now()) | (frame["customer_id"] == "")
    if bad.any():
        raise ValueError("invalid rows")
    frame["kind"] = frame["kind"].str.lower()
    con.execute("CREATE OR REPLACE TABLE naive_interactions AS SELECT * FROM frame")
    return len(frame)


def naive_summary(con, end):
    """pandas: transactions → frequency, recency, T, monetary per customer."""
    import pandas as pd
    p = con.execute("SELECT customer_id, ts, amount FROM interactions WHERE kind = 'purchase'").df()
    p["day"] = p["ts"].dt.normalize()
    d = p.groupby(["customer_id", "day"], as_index=False)["amount"].sum()
    g = d.groupby("customer_id")
    first, last, n = g["day"].min(), g["day"].max(), g["day"].size()
    first_spend = d.sort_values("day").groupby("customer_id")["amount"].first()
    out = pd.DataFrame({"frequency": n - 1, "recency": (last - first).dt.days / 7,
                        "T": (pd.Timestamp(end) - first).dt.days / 7,
                        "monetary": ((g["amount"].sum() - first_spend) / (n - 1)).where(n > 1, 0)})
    return out


def run_size(n: int, steps: set[str], work: Path) -> list[dict]:
    out: list[dict] = []
    path = work / f"bench_{n}.duckdb"
    if path.exists():
        path.unlink()

    def row(step, ours, naive_s=None):
        r = {"customers": n, "step": step, "ours_s": round(ours, 4),
             "naive_s": round(naive_s, 4) if naive_s is not None else None,
             "ratio": round(naive_s / ours, 1) if naive_s else None, "peak_rss_mb": round(peak_rss_mb())}
        out.append(r)
        print(f"{n:>9,} {step:<28} {ours:9.3f} s {naive_s if naive_s is None else round(naive_s, 3)!s:>9} "
              f"{r['ratio']!s:>7} {r['peak_rss_mb']:>7} MB", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    with db.connect(path) as con:
        counts = build_demo(con, customers=n)
    row("demo build", time.perf_counter() - t0)
    if "import" in steps:
        csv = work / f"inter_{n}.csv"
        with db.connect(path, read_only=True) as con:
            con.execute(f"COPY (SELECT customer_id, ts, kind, amount, channel, touchpoint FROM interactions) "
                        f"TO '{csv}' (HEADER)")
        target = work / f"import_{n}.duckdb"
        if target.exists():
            target.unlink()
        with db.connect(target) as con:
            t0 = time.perf_counter()
            res = import_file(con, "interactions", csv)
            ours = time.perf_counter() - t0
            t0 = time.perf_counter()
            naive_import(csv, con)
            nv = time.perf_counter() - t0
        row(f"csv import ({res['rows_added'] / ours / 1e3:,.0f}k rows/s)", ours, nv)
        target.unlink()
        csv.unlink()
    if "overview" in steps:
        with db.connect(path) as con:
            f = default_filters(con)
            t0 = time.perf_counter()
            overview.key_figures(con, f)
            overview.segment_table(con, f, "region")
            overview.monthly_trend(con, f)
            cold = time.perf_counter() - t0
            warm = median_time(lambda: (overview.key_figures(con, f), overview.segment_table(con, f, "region"),
                                        overview.monthly_trend(con, f)))
            t0 = time.perf_counter()
            frames = naive.load(con)
            load_s = time.perf_counter() - t0
            nv = median_time(lambda: (naive.key_figures(frames, f), naive.segment_table(frames, f, "region"),
                                      naive.monthly_trend(frames, f)), repeat=3)
            from analytics import complaints, gaps, satisfaction

            def sat_page():
                gaps.by_dimension(con, f), gaps.summary(con, f), satisfaction.csat_nps(con, f)
                complaints.outcome_repurchase(con, f), complaints.cause_pareto(con, f), complaints.voice_rate(con, f)
            t0 = time.perf_counter()
            sat_page()
            sat_cold = time.perf_counter() - t0
            sat_warm = median_time(sat_page)
            sat_naive = median_time(lambda: naive.satisfaction_page(frames, f), repeat=3)
            del frames
        row("overview cold", cold, nv + load_s)
        row("overview warm", warm, nv)
        row("satisfaction+complaints cold", sat_cold, sat_naive + load_s)
        row("satisfaction+complaints warm", sat_warm, sat_naive)
    if "clv" in steps:
        import numpy as np

        from analytics.clv import fit_clv, summary
        from analytics.clv.whatif import Assumptions, measure_baseline, waterfall
        with db.connect(path, read_only=True) as con:
            end = con.execute("SELECT max(ts)::DATE FROM interactions").fetchone()[0]
            t0 = time.perf_counter()
            res = fit_clv(con, end, "weeks")
            ours = time.perf_counter() - t0
            t0 = time.perf_counter()
            naive_summary(con, end)
            nv = time.perf_counter() - t0
            row(f"BG/NBD+GG fit ({res.report()['customers']:,} cust.)", ours)
            t0 = time.perf_counter()
            summary(con, end, "weeks")
            row("clv summary (RFM-T)", time.perf_counter() - t0, nv)
            base = measure_baseline(con)
            new = Assumptions(base.assumptions.order_value * 1.1, base.assumptions.orders_per_year, 0.8)
            slider = median_time(lambda: waterfall(base.assumptions, new, base.customers), repeat=50)
            row("what-if slider recompute", slider)
            del np
    path.unlink()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks")
    p.add_argument("--customers", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    p.add_argument("--steps", default="demo,import,overview,clv")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="csat-bench-"))
    print(f"{'customers':>9} {'step':<28} {'ours':>11} {'naive':>9} {'ratio':>7} {'peak RSS':>10}  "
          f"({os.cpu_count()} cores)", file=sys.stderr)
    results = []
    try:
        for n in args.customers:
            results += run_size(n, set(args.steps.split(",")), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps({"cores": os.cpu_count(), "steps": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
