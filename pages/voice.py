"""Voice of the customer (客户之声): themes of comments and complaints, trend, sentiment, verbatims."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.views import voice as view
from ui import charts, data, fits, voice
from ui.format import pct
from ui.frame import page_header
from ui.state import lang, min_n, period_text, t

f = page_header(__file__, "voice.title", "voice.tagline")
lg, mn = lang(), min_n()
st.markdown(period_text(f))
try:
    stored = fits.voice(t)
except ValueError:  # nothing to read yet
    st.info(t("voice.no_model"))
    st.stop()
model = stored.model
if note := fits.stale_note(stored, t):
    st.caption(note)
if model.sentiment_method == "classifier":
    st.caption(
        t(
            "voice.model_classifier",
            scored=f"{model.scored:,}",
            auc=f"{model.sentiment_auc:.2f}",
            validation=t(f"voice.validation.{model.sentiment_validation}"),
        )
    )
else:
    st.caption(t("voice.model_lexicon", reason=t(f"voice.validation.{model.sentiment_validation}")))


def themes_section(source: str) -> None:
    """Headline, the themes' shares (emerging marked) and a table with their verbatims."""
    themes = model.themes.get(source, ())
    v = data.texts(view.voice, voice.stamp(stored), f, source, themes, mn)
    h = v.headline
    c = st.columns(3)
    c[0].metric(t("voice.texts"), f"{h['texts']:,}")
    enough = h["texts"] >= mn
    c[1].metric(t("voice.negative"), pct(h["negative_share"]) if enough else "—", help=t("voice.negative_help"))
    c[2].metric(t("voice.sentiment"), f"{h['sentiment']:.2f}" if enough else "—", help=t("voice.sentiment_help"))
    th = v.themes
    if th.empty:
        st.info(t("overview.no_data"))
        return
    th = th.assign(txt=th["share"].map(pct))
    charts.show(
        st,
        charts.hbars(
            th,
            "label",
            "share",
            t("voice.themes_title"),
            t("voice.share_axis"),
            text="txt",
            colours=[charts.diverging_color(2 * s - 1) for s in th["sentiment"]],
            tickformat=".0%",
        ),
        key=f"voice_themes_{source}",
    )
    rising = th[th["emerging"]]
    if len(rising):
        r = rising.iloc[0]
        st.caption(t("voice.emerging", label=r["label"], trend=f"{100 * r['trend']:+.1f}"))
    st.dataframe(
        pd.DataFrame(
            {
                t("voice.col.label"): th["label"],
                t("voice.col.n"): th["n"],
                t("voice.col.share"): th["share"],
                # no previous period (all time): "—", not a null cell reading "None"
                t("voice.col.trend"): [f"{100 * v:+.1f}" if pd.notna(v) else "—" for v in th["trend"]],
                t("voice.col.sentiment"): th["sentiment"],
                t("voice.col.examples"): [" ｜ ".join(e) for e in th["examples"]],
            }
        ),
        hide_index=True,
        column_config={
            t("voice.col.share"): st.column_config.NumberColumn(format="percent"),
            t("voice.col.sentiment"): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f"),
            t("voice.col.examples"): st.column_config.TextColumn(width="large"),
        },
    )


st.header(t("voice.surveys"))
themes_section("surveys")

st.header(t("voice.by_level"))
voice.by_level(stored, f, mn)

st.header(t("voice.keywords"))
voice.keywords(stored, mn)

st.header(t("voice.complaints"))
themes_section("complaints")

st.header(t("voice.by_cause"))
voice.by_cause(stored, f, mn)
