"""The slide for deck 001's 顾客的抱怨是珍贵的情报 (a complaint is precious intelligence): what
this company's complaints talk about, from the stored text model (analytics/voice/), as
theme shares with one masked example — aggregates only, themes under the minimum n left out."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics import fits
from analytics.filters import Filters
from analytics.training.slide import Slide
from analytics.voice import summary
from locales import translate


def intelligence_slide(con: duckdb.DuckDBPyConnection, f: Filters, lang: str, min_n: int) -> Slide:
    def L(key: str, **kw) -> str:
        return translate(f"train.intel.{key}", lang, **kw)

    stored = fits.load(con, fits.VOICE, fits.VOICE_KEY)
    themes = stored.model.themes.get("complaints", ()) if stored is not None else ()  # type: ignore[attr-defined]
    shares = summary.theme_shares(con, f, "complaints", themes, min_n) if themes else pd.DataFrame()
    top = shares.head(5) if len(shares) else shares
    company = (
        L(
            "company",
            top=top["label"].iloc[0],
            share=f"{100 * top['share'].iloc[0]:.0f}%",
            example=top["examples"].iloc[0][0],
        )
        if len(top) and len(top["examples"].iloc[0])
        else L("company_none")
    )
    return Slide(
        "intelligence",
        L("title"),
        L("takeaway"),
        L("deck"),
        company,
        L("source"),
        L("notes"),
        pd.DataFrame({"label": list(top["label"]), "value": list(top["share"])}) if len(top) else pd.DataFrame(),
        value_format="percent",
    )
