"""``python -m analytics text``: what the texts say, as JSON, and one row per text as CSV.

Uses the text model stored with the last write when it is current; otherwise fits one in
memory (the CLI opens the database read-only and stores nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from analytics import db, fits
from analytics.filters import default_filters


def add_parser(sub) -> None:
    p = sub.add_parser("text", help="themes, sentiment and causes of comments and complaint texts")
    p.add_argument("--db", default=None)
    p.add_argument("--source", choices=["surveys", "complaints"], default="surveys")
    p.add_argument("--period", choices=["last_90_days", "this_year", "all"], default="last_90_days")
    p.add_argument("--min-n", type=int, default=max(10, int(os.environ.get("CSAT_MIN_N", 10))))
    p.add_argument("--out", default=None, help="write one row per text (id, sentiment, theme) to this CSV")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_text)


def cmd_text(args: argparse.Namespace) -> int:
    from analytics.export import to_csv_bytes, write_file
    from analytics.voice import summary
    from analytics.voice.model import fit_voice

    with db.connect(args.db, read_only=True) as con:
        stored = fits.load(con, fits.VOICE, fits.VOICE_KEY)
        if stored is None or not stored.current(db.data_version(con)):
            try:
                model, scores = fit_voice(con, progress=lambda m: print(f"… {m}", file=sys.stderr, flush=True))
            except ValueError as exc:
                print(f"text: {exc}", file=sys.stderr)
                return 2
            con.register("comment_scores", scores)  # the queries below read these, not a stale table
        else:
            model = stored.model
        themes = model.themes.get(args.source, ())
        f = default_filters(con, args.period)
        shares = summary.theme_shares(con, f, args.source, themes, args.min_n)
        rows = con.execute(
            "SELECT id, sentiment, theme FROM comment_scores WHERE source = ? ORDER BY id", [args.source]
        ).df()
    labels = {t.index: t.label for t in themes}
    report = {
        "source": args.source,
        "period": {"start": str(f.start), "end": str(f.end)},
        "comments": int(model.comments.get(args.source, 0)),
        "scored": model.scored,
        "sentiment": {
            "model": model.sentiment_method,
            "auc": model.sentiment_auc,
            "validation": model.sentiment_validation,
        },
        "themes": [
            {
                "label": r.label,
                "words": r.words.split(", "),
                "share": round(float(r.share), 4),
                "trend": None if r.trend != r.trend else round(float(r.trend), 4),
                "examples": list(r.examples),
            }
            for r in shares.itertuples()
        ],
    }
    if args.source == "complaints":
        report["causes"] = {"accuracy": model.cause_accuracy, "n": model.cause_n}
    if args.out:
        out = rows.assign(theme=rows["theme"].map(lambda i: labels.get(int(i), "")))
        write_file(
            args.out,
            to_csv_bytes(out.rename(columns={"id": "complaint_id" if args.source == "complaints" else "response_id"})),
        )
    print(json.dumps(report, ensure_ascii=False) if args.json else json.dumps(report, ensure_ascii=False, indent=2))
    return 0
