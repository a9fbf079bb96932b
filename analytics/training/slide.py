"""One slide of the training deck: what it holds, its chart's axes, the texts' helpers and the
opening title slide (analytics/training/slides.py builds the deck from them)."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from analytics.filters import Filters, data_range
from locales import translate, value_label


@dataclass
class Slide:
    key: str
    title: str
    takeaway: str
    deck_claim: str
    company: str
    source: str
    notes: str
    chart: pd.DataFrame = field(default_factory=pd.DataFrame)  # columns: label, value (and optional deck)
    chart_kind: str = "bar"  # bar, bars2 (company vs deck), none
    value_format: str = "number"  # number, percent, money
    series: tuple[str, str] = ("", "")  # names of value / deck columns ("" = default)
    axes: tuple[str, str] = ("", "")  # x and y axis titles (set from AXES)
    figure: float | None = None  # the company's headline number (None when hidden), for the quiz


#: Each chart's axes (``train.axis.<name>``): a projected chart says what it counts.
AXES = {
    "triangle": ("gap", "answers"),
    "expectation": ("dimension", "mean_score"),
    "levels": ("level", "share_answers"),
    "kano": ("dimension", "effect"),
    "voice": ("", "voice_rate"),
    "intelligence": ("theme", "share_complaints"),
    "outcomes": ("outcome", "repurchase"),
    "five_vs_four": ("score", "repurchase"),
    "zones": ("zone", "customers"),
    "pareto": ("tier", "revenue_share"),
    "lifecycle": ("stage", "customers"),
    "ltv": ("", "ltv"),
    "supermarket": ("", "ltv"),
}


def train_text(lang: str, key: str, **kw) -> str:
    """A training text (``train.<key>`` in the catalogs)."""
    return translate(f"train.{key}", lang, **kw)


def percent(v) -> str:
    return "—" if v is None or v != v else f"{100 * v:.0f}%"


def shown_count(v: int, min_n: int) -> str:
    """A count of customers, or "—" under the minimum n (small cells are not shown)."""
    return f"{v:,}" if v >= min_n else "—"


def title_slide(con: duckdb.DuckDBPyConnection, f: Filters, lang: str) -> Slide:
    """The opening slide: what the session is, for which period and groups, data as of when."""
    groups = [
        translate(f"dim.{d}", lang) + ": " + ", ".join(value_label(v, lang) for v in vs)
        for d, vs in f.groups().items()
        if vs
    ]
    rng = data_range(con)
    return Slide(
        "title",
        train_text(lang, "title.title"),
        train_text(lang, "title.takeaway"),
        train_text(lang, "title.deck"),
        train_text(
            lang,
            "title.company",
            start=f.start,
            end=f.end,
            days=f.days,
            groups="; ".join(groups) or train_text(lang, "title.all_customers"),
            data_end=rng[1] if rng else "—",
        ),
        train_text(lang, "title.source"),
        train_text(lang, "title.notes"),
        chart_kind="none",
    )
