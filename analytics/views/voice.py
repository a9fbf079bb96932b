"""Voice of the customer (客户之声): themes, their trend and verbatims, sentiment, by level and cause."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import fits
from analytics.filters import Filters
from analytics.voice import summary
from analytics.voice.model import Theme, VoiceModel


@dataclass(frozen=True)
class Voice:
    """One source's texts in the period: how many, how negative, and their themes."""

    headline: dict
    themes: pd.DataFrame


def stored_model(con: duckdb.DuckDBPyConnection) -> VoiceModel | None:
    """The text model stored with the last write (None before the first fit)."""
    fit = fits.load(con, fits.VOICE, fits.VOICE_KEY)
    return fit.model if fit is not None else None  # type: ignore[return-value]


def voice(con: duckdb.DuckDBPyConnection, f: Filters, source: str, themes: tuple[Theme, ...], min_n: int) -> Voice:
    return Voice(summary.headline(con, f, source), summary.theme_shares(con, f, source, themes, min_n))


def by_level(con: duckdb.DuckDBPyConnection, f: Filters, themes: tuple[Theme, ...], min_n: int) -> pd.DataFrame:
    return summary.themes_by_level(con, f, themes, min_n)


def by_cause(con: duckdb.DuckDBPyConnection, f: Filters, themes: tuple[Theme, ...], min_n: int) -> pd.DataFrame:
    return summary.by_cause(con, f, themes, min_n)


def page(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int) -> tuple:
    model = stored_model(con)
    if model is None:
        return ()
    surveys, complaints = model.themes.get("surveys", ()), model.themes.get("complaints", ())
    return (
        voice(con, f, "surveys", surveys, min_n),
        voice(con, f, "complaints", complaints, min_n),
        by_level(con, f, surveys, min_n),
        by_cause(con, f, complaints, min_n),
    )
