"""Satisfaction (满意度): the expectation gap by dimension, levels, CSAT/NPS, drivers, Kano, retention."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.satisfaction import gaps, scores
from analytics.views import satisfaction as view
from locales import value_label
from ui import charts, data, voice
from ui.format import figure_change, pct
from ui.frame import page_header
from ui.state import labeller, lang, min_n, period_text, repurchase_note, t

f = page_header(__file__, "sat.title", "sat.tagline", needs=("surveys",))
lg, mn = lang(), min_n()
dim_label = labeller("dimension.")
summ = data.call(gaps.summary, f)
if not summ["responses"]:
    st.warning(t("overview.no_data"))
    st.stop()
st.markdown(period_text(f))

# --- headline ---------------------------------------------------------------------------
headline = data.call(scores.csat_nps, f)
# the same figures for the period compared with (the period before, or last year's): the deltas
prev_summ, prev_head = data.call(gaps.summary, f.previous()), data.call(scores.csat_nps, f.previous())


def change(key: str, now, before, n_now: int, n_before: int) -> str | None:
    """The change in the figure's unit, only when both periods reach the minimum n."""
    if now is None or before is None or n_now < mn or n_before < mn:
        return None
    return figure_change(key, now - before, lg)


c = st.columns(5)
c[0].metric(t("sat.responses"), f"{summ['responses']:,}", delta=f"{summ['responses'] - prev_summ['responses']:+,}")
c[1].metric(
    t("fig.mean_gap"),
    f"{summ['mean_gap']:+.2f}",
    delta=change("mean_gap", summ["mean_gap"], prev_summ["mean_gap"], summ["responses"], prev_summ["responses"]),
    help=t("formula.mean_gap"),
)
c[2].metric(
    t("fig.csat"),
    pct(headline["csat"]) if headline["csat_n"] >= mn else "—",
    delta=change("csat", headline["csat"], prev_head["csat"], headline["csat_n"], prev_head["csat_n"]),
    help=t("formula.csat"),
)
c[3].metric(
    t("fig.nps"),
    f"{headline['nps']:+.0f}" if headline["nps_n"] >= mn else "—",
    delta=change("nps", headline["nps"], prev_head["nps"], headline["nps_n"], prev_head["nps_n"]),
    help=t("formula.nps"),
)
c[4].metric(
    t("sat.effort"), f"{headline['effort']:.2f}" if headline["effort_n"] >= mn else "—", help=t("sat.effort_help")
)
st.caption(
    t(
        "sat.headline_note",
        pos=pct(summ["share_positive"]),
        zero=pct(summ["share_zero"]),
        neg=pct(summ["share_negative"]),
        corr=f"{summ['corr_gap_overall']:.2f}" if summ["corr_gap_overall"] else "—",
        csat_lo=pct(headline["csat_ci"][0]),
        csat_hi=pct(headline["csat_ci"][1]),
        nps_lo=f"{headline['nps_ci'][0]:+.0f}" if headline["nps"] is not None else "—",
        nps_hi=f"{headline['nps_ci'][1]:+.0f}" if headline["nps"] is not None else "—",
        n_csat=f"{headline['csat_n']:,}",
        n_nps=f"{headline['nps_n']:,}",
    )
)

# --- SERVQUAL view ----------------------------------------------------------------------
st.header(t("sat.servqual"))
dims = data.call(gaps.by_dimension, f, mn).copy()
dims["label"] = dims["dimension"].map(dim_label)
left, right = st.columns(2)
charts.show(
    left,
    charts.dumbbell(
        dims.dropna(subset=["mean_gap"]),
        "label",
        "mean_expectation",
        "mean_experience",
        (t("sat.expectation"), t("sat.experience")),
        t("sat.dumbbell_title"),
        t("sat.score_axis"),
    ),
    key="sat_dumbbell",
)
charts.show(
    right,
    charts.diverging_bars(
        dims.dropna(subset=["mean_gap"]),
        "label",
        "mean_gap",
        t("sat.gap_title"),
        t("sat.gap_axis"),
        "ci_low",
        "ci_high",
    ),
    key="sat_gapbars",
)
trend = data.call(gaps.trend, f, mn)
if trend["month"].nunique() > 1:
    charts.show(
        st,
        charts.lines(
            trend,
            "month",
            "mean_gap",
            "dimension",
            t("sat.trend_title"),
            t("axis.month"),
            t("sat.gap_axis"),
            names={d: dim_label(d) for d in trend["dimension"].unique()},
        ),
        key="sat_trend",
    )
group = (
    st.segmented_control(
        t("overview.compare_by"),
        ["region", "segment", "channel", "tier"],
        default="region",
        key="sat_group",
        format_func=labeller("dim."),
    )
    or "region"
)
heat = data.call(gaps.by_group, f, group, mn).copy()
if not heat.empty:
    heat["dimension"] = heat["dimension"].map(dim_label)
    heat["group"] = [value_label(g, lg) for g in heat["group"]]
    charts.show(
        st,
        charts.heatmap(
            heat, "dimension", "group", "mean_gap", t("sat.heatmap_title"), t("sat.dimension"), t(f"dim.{group}")
        ),
        key="sat_heatmap",
    )

# --- five levels --------------------------------------------------------------------------
st.header(t("sat.levels"))
with st.expander(t("sat.thresholds")):
    cols = st.columns(4)
    th = tuple(
        cols[i].number_input(t(f"sat.threshold.{i}"), -1.0, 1.0, v, 0.01, key=f"sat_th_{i}", format="%.2f")
        for i, v in enumerate(gaps.DEFAULT_THRESHOLDS)
    )
    st.caption(t("sat.thresholds_help"))
# the default cut points are the headline's own: the same result, not a second computation
shares = (summ if th == gaps.DEFAULT_THRESHOLDS else data.call(gaps.summary, f, thresholds=th))["levels"]
lv = pd.DataFrame({"level": [t(f"level.{k}") for k in gaps.LEVELS], "share": list(shares.values())})
charts.show(
    st,
    charts.grouped_bars(
        lv, "level", ["share"], [t("sat.share")], t("sat.levels_title"), "", t("sat.share_axis"), tickformat=".0%"
    ),
    key="sat_levels",
)

# --- drivers and Kano ------------------------------------------------------------------------
st.header(t("sat.drivers"))
models = data.call(view.driver_models, f)
drv, kno = models.key_drivers, models.kano
if drv.empty:
    st.info(t("sat.too_few"))
else:
    d1, d2 = st.columns(2)
    q = drv.assign(label=drv["dimension"].map(dim_label))
    charts.show(
        d1,
        charts.quadrant(
            q, "mean_gap", "importance", "label", t("sat.quadrant_title"), t("sat.gap_axis"), t("sat.importance_axis")
        ),
        key="sat_quadrant",
    )
    fix = q[q["quadrant"] == "fix_first"]["label"].tolist()
    d1.markdown(
        t("sat.fix_first", dims="、".join(fix) if lg == "zh-CN" else ", ".join(fix)) if fix else t("sat.fix_none")
    )
    k = kno.assign(label=kno["dimension"].map(dim_label), cls=kno["kano"].map(labeller("kano.")))
    d2.dataframe(
        pd.DataFrame(
            {
                t("sat.dimension"): k["label"],
                t("sat.penalty"): k["penalty"].round(2),
                t("sat.reward"): k["reward"].round(2),
                t("sat.kano_class"): k["cls"],
            }
        ),
        hide_index=True,
        column_config={
            t("sat.penalty"): st.column_config.NumberColumn(help=t("sat.penalty_help")),
            t("sat.reward"): st.column_config.NumberColumn(help=t("sat.reward_help")),
        },
    )
    d2.caption(t("sat.kano_help"))

# --- satisfaction → retention ------------------------------------------------------------------
st.header(t("sat.retention"))
window = st.slider(t("sat.window"), 90, 730, 365, 30, key="sat_window")
retention = data.call(view.score_retention, f.groups_only(), window)
st.caption(repurchase_note(window))
rep = retention.by_score
if rep.empty:
    st.info(t("sat.too_few"))
else:
    rep = rep.assign(score_label=rep["score"].map(lambda s: f"{s:g}"))
    r1, r2 = st.columns([2, 1])
    charts.show(
        r1,
        charts.grouped_bars(
            rep,
            "score_label",
            ["rate"],
            [t("sat.repurchase")],
            t("sat.repurchase_title", days=window),
            t("sat.overall_axis"),
            t("sat.repurchase_axis"),
            tickformat=".0%",
            errors={"rate": ("ci_low", "ci_high")},
        ),
        key="sat_repurchase",
    )
    tvn = retention.top_vs_next
    r2.metric(
        t("sat.ratio", top=f"{tvn.get('top', 5):g}", next=f"{tvn.get('next', 4):g}"),
        f"{tvn['ratio']:.1f}×" if tvn["ratio"] == tvn["ratio"] else "—",
        help=t("sat.ratio_help"),
    )
    r2.caption(t("sat.ratio_note", lo=f"{tvn['ci_low']:.1f}", hi=f"{tvn['ci_high']:.1f}", deck=f"{tvn['deck']:g}"))
    lvm = retention.latest_vs_mean
    if lvm["auc_latest"] is not None:
        r2.metric(
            t("sat.latest"),
            f"{lvm['auc_latest']:.2f}",
            delta=f"{lvm['auc_latest'] - lvm['auc_mean']:+.2f}",
            help=t("sat.latest_help"),
        )
        r2.caption(t("sat.latest_note", mean=f"{lvm['auc_mean']:.2f}", n=f"{lvm['customers']:,}"))

# --- what they write ----------------------------------------------------------------------------
if (text_fit := voice.stored()) is not None:
    st.header(t("voice.by_level"))
    voice.by_level(text_fit, f, mn)
    st.page_link("pages/voice.py", label=t("voice.more"), icon=":material/forum:")
