"""Sections about what customers write, shared by the Voice of the customer page and the
Satisfaction, Complaints and Customer pages (the numbers come from analytics/views/voice.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.filters import Filters
from analytics.fits import StoredFit
from analytics.views import voice as view
from analytics.voice.model import VoiceModel
from ui import data, fits
from ui.format import pct
from ui.state import labeller, t


def stored() -> StoredFit | None:
    """The stored text fit, or None when no text has been imported."""
    try:
        return fits.voice(t)
    except ValueError:
        return None


def stamp(fit: StoredFit) -> tuple:
    """What the stored per-text results depend on: the fit, not the data version."""
    return (fit.data_version, fit.fitted_at)


def by_level(fit: StoredFit, f: Filters, mn: int) -> None:
    """What the unhappy, the neutral and the delighted write about (their top themes)."""
    m: VoiceModel = fit.model  # type: ignore[assignment]
    levels = data.texts(view.by_level, stamp(fit), f, m.themes.get("surveys", ()), mn)
    if levels.empty:
        st.info(t("overview.no_data"))
        return
    for col, level in zip(st.columns(3), ("unhappy", "neutral", "delighted")):
        part = levels[levels["level"] == level].head(5)
        col.subheader(t(f"voice.level.{level}"))
        if len(part):
            col.dataframe(
                pd.DataFrame({t("voice.col.label"): part["label"], t("voice.col.share"): part["share"].map(pct)}),
                hide_index=True,
            )


def by_cause(fit: StoredFit, f: Filters, mn: int) -> None:
    """What customers complain about per cause, with the cause classifier's accuracy."""
    m: VoiceModel = fit.model  # type: ignore[assignment]
    causes = data.texts(view.by_cause, stamp(fit), f, m.themes.get("complaints", ()), mn)
    if m.cause_accuracy is not None:
        st.caption(t("voice.cause_model", n=f"{m.cause_n:,}", acc=pct(m.cause_accuracy)))
    if causes.empty:
        st.info(t("overview.no_data"))
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("voice.col.cause"): causes["cause"].map(labeller("cause.")),
                t("voice.col.n"): causes["n"],
                t("voice.col.suggested"): causes["suggested"],
                t("voice.col.sentiment"): causes["sentiment"],
                t("voice.col.theme"): causes["theme"],
                t("voice.col.example"): causes["example"],
            }
        ),
        hide_index=True,
        column_config={
            t("voice.col.sentiment"): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f"),
            t("voice.col.example"): st.column_config.TextColumn(width="large"),
        },
    )


def keywords(fit: StoredFit, mn: int) -> None:
    """The words that set each satisfaction level's and each service dimension's comments
    apart (ranked bars; all comments as of the fit: the filters do not narrow them)."""
    from ui import charts

    m: VoiceModel = fit.model  # type: ignore[assignment]
    found = getattr(m, "keywords", {}) or {}
    if not any(found.values()):
        st.info(t("voice.keywords_none"))
        return
    st.caption(t("voice.keywords_help"))
    for tab, kind in zip(
        st.tabs([t("voice.keywords_by_level"), t("voice.keywords_by_dimension")]), ("level", "dimension")
    ):
        groups = found.get(kind, {})
        sizes = m.keyword_n.get(kind, {})
        label = labeller("voice.level." if kind == "level" else "dimension.")
        order = [g for g in ("unhappy", "neutral", "delighted") if g in groups] if kind == "level" else sorted(groups)
        with tab:
            if not order:
                st.info(t("voice.keywords_none"))
                continue
            for col, group in zip(st.columns(min(3, len(order))) * 3, order):
                with col:
                    if sizes.get(group, 0) < mn:  # privacy: a small group's words are not shown
                        st.caption(f"{label(group)} · " + t("voice.keywords_small", n=sizes.get(group, 0), min=mn))
                        continue
                    words = pd.DataFrame(groups[group][:8], columns=["word", "z", "n"])
                    charts.show(
                        st,
                        charts.hbars(
                            words,
                            "word",
                            "z",
                            f"{label(group)} · n = {sizes[group]:,}",
                            t("voice.keywords_axis"),
                            text="n",
                        ),
                        key=f"voice_kw_{kind}_{group}",
                    )
