"""python -m benchmarks [--customers N ...] [--steps ...] [--json] [--out FILE] [--plot FILE]

For each size (≈10 interactions and ≈1.4 survey responses per customer): build the demo,
import its interactions as CSV, run every page's analytics cold and warm, fit the churn model
and BG/NBD + Gamma-Gamma, and move a what-if slider — each beside a straightforward pandas
implementation of the same work (benchmarks/naive.py, benchmarks/tasks.py) where one exists.
Every measurement runs in its own fresh process, so its peak RSS is its own. Prints size,
ours, naive, ratio and peak RSS; ``--json`` prints one object per size. Results by hand go
to benchmarks/RESULTS.md; ``--plot`` draws time against size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from analytics.views import PAGES
from benchmarks import tasks
from benchmarks.naive_pages import PAGES as NAIVE_PAGES

STEPS = ("demo", "import", "pages", "lake", "churn", "clv", "slider", "browser")


def run_size(n: int, steps: set[str], work: Path, only_pages: list[str]) -> list[dict]:
    out: list[dict] = []

    def row(step, ours: dict, naive: dict | None = None, key: str = "s"):
        r = {
            "customers": n,
            "step": step,
            "ours_s": round(ours[key], 5),
            "naive_s": round(naive[key], 4) if naive else None,
            "ratio": round(naive[key] / ours[key], 1) if naive and ours[key] else None,
            "peak_rss_mb": ours["rss"],
            "naive_peak_rss_mb": naive["rss"] if naive else None,
        }
        out.append(r)
        nv = "" if naive is None else f"{naive[key]:9.3g}"
        print(
            f"{n:>9,} {step:<34} {ours[key]:9.3g} {nv:>9} {r['ratio'] or '':>7} {ours['rss'] or 0:>8,.0f}",
            file=sys.stderr,
            flush=True,
        )

    path = str(work / f"bench_{n}.duckdb")
    built = tasks.isolated(tasks.demo, path, n)
    row(f"demo build ({built['interactions']:,} interactions)", built)
    if "import" in steps:
        csv, target = str(work / "inter.csv"), str(work / "import.duckdb")
        tasks.isolated(tasks.export_csv, path, csv)
        ours = tasks.isolated(tasks.import_ours, csv, target)
        Path(target).unlink()
        naive = tasks.isolated(tasks.import_naive, csv, target)
        Path(target).unlink()
        Path(csv).unlink()
        row(f"CSV import ({ours['rows'] / ours['s'] / 1e3:,.0f}k rows/s)", ours, naive)
    if "pages" in steps:
        for page in only_pages:
            ours = tasks.isolated(tasks.page_ours, path, page)
            # the Voice page's text model has its own comparison (benchmarks/voice.py)
            naive = tasks.isolated(tasks.page_naive, path, page, n) if page in NAIVE_PAGES else None
            row(f"{page} page, cold", ours, naive, "cold")
            row(f"{page} page, warm", ours, naive, "warm")
    if "lake" in steps:
        lake_vs_file(n, path, built, work, only_pages, row)
    if "churn" in steps:
        fit = tasks.isolated(tasks.churn_fit, path)
        row(f"churn model fit (AUC {fit['auc']})", fit)
    if "clv" in steps:
        fit = tasks.isolated(tasks.clv_fit, path)
        row(f"BG/NBD + Gamma-Gamma fit ({fit['customers']:,})", fit)
        row("RFM-T summary", tasks.isolated(tasks.summary_ours, path), tasks.isolated(tasks.summary_naive, path))
    if "slider" in steps:
        row("what-if slider move", tasks.isolated(tasks.slider, path))
    if "browser" in steps:
        fitted = tasks.isolated(tasks.refit, path)
        row("model fits after the write (stored)", fitted)
        row("pages precomputed after the fits (kept)", tasks.isolated(tasks.warm, path))
        from benchmarks.browser import measure

        for page, times in measure(path, only_pages).items():
            for kind in ("first", "revisit", "filter"):
                if times[kind] is not None:
                    row(f"browser: {page}, {kind}", {"s": times[kind], "rss": None})
    Path(path).unlink()
    return out


def lake_vs_file(n: int, path: str, built: dict, work: Path, only_pages: list[str], row) -> None:
    """The same demo built into a DuckLake (SQLite catalog, data in a local folder) and every
    page's analytics on it beside the DuckDB file, each in its own process: the "naive" column
    holds the file's time, so the ratio is file / lake (below 1: the lake is slower)."""
    catalog = work / f"bench_{n}.sqlite"
    lake = f"ducklake:sqlite:{catalog}"
    row("demo build on a lake (vs file)", tasks.isolated(tasks.demo, lake, n), built)
    for page in only_pages:
        on_lake = tasks.isolated(tasks.page_ours, lake, page)
        on_file = tasks.isolated(tasks.page_ours, path, page)
        row(f"{page} page, cold, lake (vs file)", on_lake, on_file, "cold")
        row(f"{page} page, warm, lake (vs file)", on_lake, on_file, "warm")
    catalog.unlink()
    shutil.rmtree(f"{catalog}.files", ignore_errors=True)


def plot(results: list[dict], target: Path) -> None:
    """Two panels: our time per step against size, and the naive/ours ratio of the warm pages."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for run in results for r in run["steps"]]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5))
    colours = plt.cm.tab20.colors
    shown = [s for s in dict.fromkeys(r["step"].split(" (")[0] for r in rows) if s.endswith("cold") or "page" not in s]
    for i, step in enumerate(shown):
        pts = sorted((r["customers"], r["ours_s"]) for r in rows if r["step"].split(" (")[0] == step)
        if len(pts) > 1:
            left.plot(
                *zip(*pts),
                marker="os^D"[i % 4],
                ls="-" if "page" in step else "--",
                color=colours[i % len(colours)],
                label=step,
            )
    left.axhline(0.3, color="grey", ls=":", lw=1)
    left.axhline(2.0, color="grey", ls=":", lw=1)
    left.set(
        xscale="log",
        yscale="log",
        xlabel="customers",
        ylabel="seconds (ours)",
        title="Time against size: pages cold, whole steps (grey: 300 ms, 2 s)",
    )
    left.legend(fontsize=6)
    for i, page in enumerate(PAGES):
        for kind, ls in (("cold", "-"), ("warm", ":")):
            pts = sorted(
                (r["customers"], r["ratio"]) for r in rows if r["step"] == f"{page} page, {kind}" and r["ratio"]
            )
            if pts:
                right.plot(*zip(*pts), marker="o", ls=ls, color=colours[2 * i], label=f"{page}, {kind}")
    right.axhline(10, color="grey", ls="--", lw=1)
    right.set(
        xscale="log",
        yscale="log",
        xlabel="customers",
        ylabel="naive pandas time / ours",
        title="Pages: speed-up over pandas (solid cold, dotted warm; dashed 10×)",
    )
    right.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(target, dpi=110)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks")
    p.add_argument("--customers", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    p.add_argument("--steps", default=",".join(STEPS), help="comma-separated: " + ", ".join(STEPS))
    p.add_argument("--pages", default=",".join(PAGES), help="comma-separated page names")
    p.add_argument("--json", action="store_true", help="print one JSON object per size on stdout")
    p.add_argument("--out", type=Path, help="also write the results (a JSON list, one object per size)")
    p.add_argument("--plot", type=Path, help="draw time against size into this PNG")
    p.add_argument("--from-json", type=Path, help="plot saved results instead of running")
    args = p.parse_args(argv)
    if args.from_json:
        plot(json.loads(args.from_json.read_text()), args.plot or args.from_json.with_suffix(".png"))
        return 0
    steps = set(args.steps.split(","))
    unknown = steps - set(STEPS)
    if unknown:
        p.error(f"unknown steps: {', '.join(sorted(unknown))}")
    work = Path(tempfile.mkdtemp(prefix="csat-bench-"))
    print(
        f"{'customers':>9} {'step':<34} {'ours (s)':>9} {'naive (s)':>9} {'ratio':>7} {'RSS (MB)':>8}"
        f"  ({os.cpu_count()} cores, {tasks.today()})",
        file=sys.stderr,
    )
    results = []
    try:
        for n in args.customers:
            run = {
                "customers": n,
                "cores": os.cpu_count(),
                "date": tasks.today(),
                "steps": run_size(n, steps, work, args.pages.split(",")),
            }
            results.append(run)
            if args.json:
                print(json.dumps(run), flush=True)
            if args.out:
                args.out.write_text(json.dumps(results, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.plot:
        plot(results, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
