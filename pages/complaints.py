"""Complaints (投诉): rate, resolution time, causes (Pareto), outcomes vs the deck, voice rate, open list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.export import to_csv_bytes
from analytics.satisfaction import complaints
from locales import value_label
from ui import charts, data, flow_charts
from ui import voice as texts
from ui.format import LISTED_ROWS, figure_change, pct
from ui.frame import page_header
from ui.state import labeller, lang, min_n, period_text, repurchase_note, t

f = page_header(__file__, "comp.title", "comp.tagline", needs=("complaints",))
lg, mn = lang(), min_n()
st.markdown(period_text(f))
summ = data.call(complaints.complaint_summary, f)
voice = data.call(complaints.voice_rate, f)
# the period compared with (the one before, or last year's) gives every headline its change
prev, prev_voice = data.call(complaints.complaint_summary, f.previous()), data.call(complaints.voice_rate, f.previous())
rate_ok = summ["active_customers"] >= mn and prev["active_customers"] >= mn
hours, prev_hours = summ["median_hours_to_resolve"], prev["median_hours_to_resolve"]
c = st.columns(4)
c[0].metric(
    t("comp.count"),
    f"{summ['complaints']:,}",
    delta=f"{summ['complaints'] - prev['complaints']:+,}",
    delta_color="inverse",
)
c[1].metric(
    t("fig.complaint_rate"),
    pct(summ["complaint_rate"]) if summ["active_customers"] >= mn else "—",
    delta=figure_change("complaint_rate", summ["complaint_rate"] - prev["complaint_rate"], lg) if rate_ok else None,
    delta_color="inverse",
    help=t("formula.complaint_rate"),
)
c[2].metric(
    t("comp.median_hours"),
    t("unit.hours", v=f"{hours:.1f}") if hours else "—",
    delta=t("unit.hours", v=f"{hours - prev_hours:+.1f}") if hours and prev_hours else None,
    delta_color="inverse",
)
c[3].metric(
    t("comp.voice"),
    pct(voice["voice_rate"]) if voice["n"] >= mn else "—",
    delta=figure_change("csat", voice["voice_rate"] - prev_voice["voice_rate"], lg)
    if voice["n"] >= mn and prev_voice["n"] >= mn
    else None,
    help=t("comp.voice_help"),
)
st.caption(
    t(
        "comp.voice_note",
        n=f"{voice['n']:,}",
        lo=pct(voice["ci_low"]),
        hi=pct(voice["ci_high"]),
        deck=pct(voice["deck"], 0),
    )
)

# --- outcomes vs the deck -------------------------------------------------------------------
st.header(t("comp.outcomes"))
o1, o2 = st.columns([1, 3])
window = o1.slider(t("sat.window"), 90, 730, 365, 30, key="comp_window")
quick = o1.number_input(t("comp.quick_hours"), 1, 720, 48, key="comp_quick")
out = data.call(complaints.outcome_repurchase, f.groups_only(), window, quick).copy()
o1.caption(repurchase_note(window))
out["label"] = out["outcome"].map(labeller("outcome."))
shown = out.assign(rate=out["rate"].where(out["n"] >= mn))
charts.show(
    o2,
    charts.grouped_bars(
        shown,
        "label",
        ["rate", "deck"],
        [t("comp.measured"), t("comp.deck")],
        t("comp.outcomes_title", days=window),
        "",
        t("sat.repurchase_axis"),
        tickformat=".0%",
        errors={"rate": ("ci_low", "ci_high")},
    ),
    key="comp_outcomes",
)
st.dataframe(
    pd.DataFrame(
        {
            t("comp.outcome"): out["label"],
            "n": out["n"],
            t("comp.measured"): [pct(r) if n >= mn else "—" for r, n in zip(out["rate"], out["n"])],
            t("comp.ci"): [
                f"{pct(lo)} – {pct(hi)}" if n >= mn else "—"
                for lo, hi, n in zip(out["ci_low"], out["ci_high"], out["n"])
            ],
            t("comp.deck"): [pct(d, 0) for d in out["deck"]],
        }
    ),
    hide_index=True,
)
st.caption(t("comp.outcomes_note"))

# --- causes and resolution ------------------------------------------------------------------
st.header(t("comp.causes"))
par = data.call(complaints.cause_pareto, f)
if par.empty:
    st.info(t("overview.no_data"))
else:
    par = par.assign(label=par["cause"].map(labeller("cause.")))
    fam_names = {k: t(f"comp.family.{k}") for k in ("product", "service", "other")}
    charts.show(
        st,
        flow_charts.pareto(
            par,
            "label",
            "n",
            "cumulative",
            "family",
            {"product": charts.PALETTE[1], "service": charts.PALETTE[0], "other": charts.NEUTRAL},
            t("comp.pareto_title"),
            t("comp.count_axis"),
            t("comp.cumulative"),
            fam_names,
        ),
        key="comp_pareto",
    )
    times = data.call(complaints.resolution_times, f)
    p1, p2 = st.columns(2)
    if len(times):
        charts.show(
            p1,
            charts.histogram(
                times["hours"].clip(upper=times["hours"].quantile(0.98)),
                t("comp.hours_title"),
                t("comp.hours_axis"),
                t("comp.count_axis"),
            ),
            key="comp_hours",
        )
    by = (
        p2.segmented_control(
            t("overview.compare_by"),
            ["channel", "cause"],
            default="channel",
            key="comp_by",
            format_func=labeller("comp.by."),
        )
        or "channel"
    )
    res = data.call(complaints.resolution_by, f, by, mn)
    p2.dataframe(
        pd.DataFrame(
            {
                t("overview.group"): [value_label(g, lg) if by == "channel" else t(f"cause.{g}") for g in res["group"]],
                "n": res["n"],
                t("comp.median_hours"): [f"{v:.1f}" if v == v and v is not None else "—" for v in res["median_hours"]],
                t("comp.share_quick"): [pct(v) for v in res["share_quick"]],
                t("comp.share_unresolved"): [pct(v) for v in res["share_unresolved"]],
            }
        ),
        hide_index=True,
    )

# --- open complaints ageing past the threshold -------------------------------------------------
st.header(t("comp.open"))
threshold = st.number_input(t("comp.threshold"), 1, 24 * 365, 48, key="comp_threshold")
open_ = data.call(complaints.open_complaints, f, float(threshold))
st.caption(t("comp.open_note", n=f"{len(open_):,}", h=threshold))
if len(open_):
    if len(open_) > LISTED_ROWS:  # the oldest are listed, the download holds all
        st.caption(t("comp.open_shown", shown=f"{LISTED_ROWS:,}", n=f"{len(open_):,}"))
    shown_open = (
        open_.head(LISTED_ROWS)
        .assign(  # ages in days: 22,723.6 hours reads as nothing
            cause=open_["cause"].map(labeller("cause.")),
            channel=open_["channel"].map(lambda v: value_label(v, lg)),
            age_days=(open_["age_hours"] / 24).round(1),
        )
        .drop(columns="age_hours")
    )
    st.dataframe(shown_open.rename(columns=lambda col: t(f"comp.col.{col}")), hide_index=True, height=300)
    st.download_button(
        t("overview.download"),
        lambda: to_csv_bytes(open_),  # built on click, not on every run
        file_name=f"open_complaints_{f.end}.csv",
        mime="text/csv",
        key="comp_download",
    )

# --- what they write ----------------------------------------------------------------------------
if (text_fit := texts.stored()) is not None:
    st.header(t("voice.by_cause"))
    texts.by_cause(text_fit, f, mn)
    st.page_link("pages/voice.py", label=t("voice.more"), icon=":material/forum:")
