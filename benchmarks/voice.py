"""python -m benchmarks.voice [--comments N ...]: read N texts — tokenise, learn and apply
sentiment, themes and causes (analytics/voice/model.py) — and store the per-text results, as
a write does. Target: 1M texts in under 5 minutes on 2 cores, peak RSS reported.

Texts are the demo's generator (analytics/voice/demo_text.py) over random scores and gaps:
90 % survey comments, 10 % complaint descriptions. The generator repeats itself, which the
model's de-duplication turns into a saving real comments would not give: ``--unique`` adds
three ordinary words to each text so every one differs. Each size runs in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.satisfaction.gaps import SERVQUAL_DIMENSIONS


def _vocabulary(k: int = 3000) -> list[str]:
    """jieba's k most frequent two-character words: the ordinary words real comments add."""
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    words = [ln.split() for ln in path.read_text(encoding="utf-8").splitlines()]
    two = [(int(w[1]), w[0]) for w in words if len(w) >= 2 and len(w[0]) == 2]
    return [w for _, w in sorted(two, reverse=True)[:k]]


def _unique(texts: list[str], seed: int) -> list[str]:
    """Each non-empty text with three random ordinary words added: no two texts alike, so
    de-duplication saves nothing (real comments rarely repeat)."""
    vocab = np.array(_vocabulary())
    rng = np.random.default_rng(seed)
    extra = rng.choice(vocab, (len(texts), 3))
    return [f"{t}，{a}{b}{c}。" if t else t for t, (a, b, c) in zip(texts, extra)]


def _texts(n: int, unique: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    from analytics.demo import CAUSE_P, CAUSES
    from analytics.voice.demo_text import complaint_descriptions, survey_comments

    rng = np.random.default_rng(1)
    m = int(n * 0.9)
    overall = rng.integers(1, 6, m)
    gaps = rng.normal(0, 1, (m, 5))
    comments = survey_comments(3, overall, gaps, list(SERVQUAL_DIMENSIONS))
    # survey_comments leaves ~55 % without a comment: fill those from a second draw
    extra = iter(survey_comments(4, overall, gaps, list(SERVQUAL_DIMENSIONS)) * 3)
    comments = [c if c else next(x for x in extra if x) for c in comments]
    if unique:
        comments = _unique(comments, 6)
    ts = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 600 * 86400, n), unit="s")
    surveys = pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(m)],
            "customer_id": [f"C{i % (n // 2)}" for i in range(m)],
            "answered_at": ts[:m],
            "overall": overall.astype(float),
            "comment": comments,
        }
    )
    k = n - m
    causes = list(rng.choice(CAUSES, k, p=CAUSE_P))
    complaints = pd.DataFrame(
        {
            "complaint_id": [f"K{i}" for i in range(k)],
            "customer_id": [f"C{i}" for i in range(k)],
            "opened_at": ts[m:],
            "cause": causes,
            "description": _unique(complaint_descriptions(5, causes), 7)
            if unique
            else complaint_descriptions(5, causes),
        }
    )
    return surveys, complaints


def one(n: int, unique: bool = False) -> dict:
    from analytics import db, fits

    with tempfile.TemporaryDirectory() as tmp:
        surveys, complaints = _texts(n, unique)
        with db.connect(Path(tmp) / "voice.duckdb") as con:
            con.register("s", surveys)
            con.execute("""INSERT INTO surveys (response_id, customer_id, answered_at, overall_satisfaction,
                           scale_min, scale_max, comment) SELECT response_id, customer_id, answered_at, overall,
                           1, 5, comment FROM s""")
            con.register("k", complaints)
            con.execute("""INSERT INTO complaints (complaint_id, customer_id, opened_at, cause, description)
                           SELECT complaint_id, customer_id, opened_at, cause, description FROM k""")
            phases: dict[str, float] = {}
            last = [time.perf_counter()]

            def tick(msg: str) -> None:
                now = time.perf_counter()
                phases[msg] = round(now - last[0], 1)
                last[0] = now

            t0 = time.perf_counter()
            fit = fits.fit_voice(con, progress=tick)
            fits.save(con, fit)
            total = time.perf_counter() - t0
            model = fit.model
    return {
        "texts": n,
        "unique": unique,
        "seconds": round(total, 1),
        "phases_s": phases,  # each phase's time is logged at the start of the next
        "sentiment_auc": round(model.sentiment_auc, 3) if model.sentiment_auc else None,
        "cause_accuracy": round(model.cause_accuracy, 3) if model.cause_accuracy else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.voice")
    p.add_argument("--comments", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    p.add_argument("--unique", action="store_true", help="every text different (no de-duplication gain)")
    p.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.unique)))
        return
    for n in args.comments:  # a fresh process per size: its peak RSS is its own
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.voice", "--one", str(n)] + ["--unique"] * args.unique,
            capture_output=True,
            text=True,
        )
        print(out.stdout.strip() or out.stderr.strip()[-2000:], flush=True)


if __name__ == "__main__":
    main()
