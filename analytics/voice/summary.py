"""What the stored per-text results say for a period and a group of customers.

Reads ``comment_scores`` (written with the text model, analytics/fits.py) joined to the texts:
shares of each theme now and in the period compared with, its sentiment, emerging themes,
masked example verbatims, themes by satisfaction level and by complaint cause, one
customer's texts. Themes and examples over fewer than the minimum n texts are not shown.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.filters import Filters, customer_scope, is_unfiltered
from analytics.voice.model import Theme
from analytics.voice.text import mask

#: Satisfaction levels of a comment by its overall score scaled to 0–1 (as the labels).
LEVELS = ("unhappy", "neutral", "delighted")

_TEXT = {
    "surveys": ("surveys", "response_id", "comment", "answered_at"),
    "complaints": ("complaints", "complaint_id", "description", "opened_at"),
}


def _scope(f: Filters) -> tuple[str, dict]:
    if is_unfiltered(f):
        return "TRUE", {}
    return customer_scope(f, "s.customer_id")


def theme_shares(con: duckdb.DuckDBPyConnection, f: Filters, source: str, themes: tuple[Theme, ...], min_n: int):
    """Per theme: texts now and before, share, change in share (points), mean sentiment, the
    three latest masked verbatims; sorted by share. Themes under ``min_n`` texts are left out."""
    scope, params = _scope(f)
    cs, ce = f.bounds()
    ps, pe = f.previous().bounds()
    table, key, text, _ = _TEXT[source]
    rows = con.execute(
        f"""WITH s AS (SELECT * FROM comment_scores s WHERE s.source = $source AND {scope}
                   AND ((written_at >= $cs AND written_at < $ce) OR (written_at >= $ps AND written_at < $pe)))
            SELECT theme, count(*) FILTER (WHERE written_at >= $cs) AS n,
                   count(*) FILTER (WHERE written_at < $pe) AS n_prev,
                   avg(sentiment) FILTER (WHERE written_at >= $cs) AS sentiment
            FROM s GROUP BY theme""",
        {**params, "source": source, "cs": cs, "ce": ce, "ps": ps, "pe": pe},
    ).df()
    total, total_prev = rows["n"].sum(), rows["n_prev"].sum()
    labels = {t.index: t for t in themes}
    rows = rows[rows["theme"].isin(labels) & (rows["n"] >= min_n)].copy()
    rows["label"] = [labels[t].label for t in rows["theme"]]
    rows["words"] = [", ".join(labels[t].words) for t in rows["theme"]]
    rows["share"] = rows["n"] / total if total else 0.0
    rows["share_prev"] = rows["n_prev"] / total_prev if total_prev else float("nan")
    rows["trend"] = rows["share"] - rows["share_prev"]
    ex = con.execute(
        f"""SELECT s.theme, t.{text} AS text FROM comment_scores s JOIN {table} t ON t.{key} = s.id
            WHERE s.source = $source AND {scope} AND written_at >= $cs AND written_at < $ce
            QUALIFY row_number() OVER (PARTITION BY s.theme ORDER BY written_at DESC, s.id) <= 3""",
        {**params, "source": source, "cs": cs, "ce": ce},
    ).df()
    examples = ex.groupby("theme")["text"].apply(lambda s: [mask(t) for t in s]).to_dict()
    rows["examples"] = [examples.get(t, []) for t in rows["theme"]]
    rows["emerging"] = False
    if rows["trend"].notna().any():
        rows.loc[rows["trend"].idxmax(), "emerging"] = bool(rows["trend"].max() > 0)
    return rows.sort_values("share", ascending=False, ignore_index=True)


def headline(con: duckdb.DuckDBPyConnection, f: Filters, source: str) -> dict:
    """Texts in the period, the share that reads negative (sentiment < 0.5), mean sentiment."""
    scope, params = _scope(f)
    cs, ce = f.bounds()
    n, neg, mean = con.execute(
        f"""SELECT count(*), avg(CASE WHEN sentiment < 0.5 THEN 1.0 ELSE 0.0 END), avg(sentiment)
            FROM comment_scores s WHERE source = $source AND {scope} AND written_at >= $cs AND written_at < $ce""",
        {**params, "source": source, "cs": cs, "ce": ce},
    ).fetchone()
    return {"texts": int(n), "negative_share": neg, "sentiment": mean}


def themes_by_level(con: duckdb.DuckDBPyConnection, f: Filters, themes: tuple[Theme, ...], min_n: int):
    """What the unhappy, the neutral and the delighted write about: the share of each theme
    among the period's comments of each level (overall score scaled to 0–1: ≤ 0.25, ≥ 0.75)."""
    scope, params = _scope(f)
    cs, ce = f.bounds()
    out = con.execute(
        f"""SELECT CASE WHEN v.score <= 0.25 THEN 'unhappy' WHEN v.score >= 0.75 THEN 'delighted'
                        ELSE 'neutral' END AS level, s.theme, count(*) AS n
            FROM comment_scores s
            JOIN (SELECT response_id, (overall_satisfaction - scale_min) / nullif(scale_max - scale_min, 0) AS score
                  FROM surveys) v ON v.response_id = s.id
            WHERE s.source = 'surveys' AND v.score IS NOT NULL AND {scope}
              AND written_at >= $cs AND written_at < $ce
            GROUP BY 1, 2""",
        {**params, "cs": cs, "ce": ce},
    ).df()
    out["level_n"] = out.groupby("level")["n"].transform("sum")
    out = out[(out["level_n"] >= min_n) & out["theme"].isin([t.index for t in themes])].copy()
    out["share"] = out["n"] / out["level_n"]
    labels = {t.index: t.label for t in themes}
    out["label"] = out["theme"].map(labels)
    return out.sort_values(["level", "share"], ascending=[True, False], ignore_index=True)


def by_cause(con: duckdb.DuckDBPyConnection, f: Filters, themes: tuple[Theme, ...], min_n: int) -> pd.DataFrame:
    """Per recorded cause (or the suggested one where none was recorded): complaints with a
    description, mean sentiment, the commonest theme and one masked description."""
    scope, params = _scope(f)
    cs, ce = f.bounds()
    out = con.execute(
        f"""SELECT coalesce(k.cause, s.cause) AS cause, k.cause IS NULL AS suggested, s.theme, s.sentiment,
                   k.description
            FROM comment_scores s JOIN complaints k ON k.complaint_id = s.id
            WHERE s.source = 'complaints' AND {scope} AND written_at >= $cs AND written_at < $ce""",
        {**params, "cs": cs, "ce": ce},
    ).df()
    if out.empty:
        return pd.DataFrame(columns=["cause", "n", "suggested", "sentiment", "theme", "example"])
    labels = {t.index: t.label for t in themes}
    rows = []
    for cause, part in out.groupby("cause"):
        if len(part) < min_n:
            continue
        top = part["theme"].mode()
        rows.append(
            {
                "cause": cause,
                "n": len(part),
                "suggested": int(part["suggested"].sum()),
                "sentiment": float(part["sentiment"].mean()),
                "theme": labels.get(int(top.iloc[0]), "—") if len(top) else "—",
                "example": mask(part["description"].iloc[0]),
            }
        )
    return pd.DataFrame(rows).sort_values("n", ascending=False, ignore_index=True) if rows else pd.DataFrame()


def customer_texts(
    con: duckdb.DuckDBPyConnection,
    customer_id: str,
    name: str | None,
    themes: tuple[tuple[str, tuple[Theme, ...]], ...] = (),
) -> pd.DataFrame:
    """One customer's comments and complaint descriptions, newest first, masked (their own name
    too), with each text's theme label from ``themes`` ((source, themes) pairs)."""
    labels = {src: {t.index: t.label for t in ts} for src, ts in themes}
    out = con.execute(
        """SELECT s.source, s.written_at, coalesce(v.comment, k.description) AS text, s.sentiment, s.theme
           FROM comment_scores s
           LEFT JOIN surveys v ON s.source = 'surveys' AND v.response_id = s.id
           LEFT JOIN complaints k ON s.source = 'complaints' AND k.complaint_id = s.id
           WHERE s.customer_id = ? ORDER BY s.written_at DESC""",
        [customer_id],
    ).df()
    out["text"] = [mask(t, [name] if name else []) for t in out["text"]]
    out["theme"] = [labels.get(src, {}).get(int(th), "—") for src, th in zip(out["source"], out["theme"])]
    return out
