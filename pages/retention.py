"""Retention & churn (留存与流失): definition, lifecycle, cohorts, survival, the model, at-risk, warnings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import privacy
from analytics.loyalty import churn, lifecycle
from analytics.views import retention as view
from locales import feature_label, reason_label, value_label
from ui import charts, data, fits, flow_charts
from ui.format import money, pct
from ui.frame import page_header
from ui.state import hidden_note, labeller, lang, min_n, t

f = page_header(__file__, "ret.title", "ret.tagline")
lg, mn = lang(), min_n()
con = data.cursor()

# --- definition ---------------------------------------------------------------------------
st.header(t("ret.definition"))
definition = data.call(view.churn_definition)
default_days, flag = definition.default_days, definition.flag
days = st.number_input(  # with a churned flag the days only place customers in the exit stage: say so
    t("ret.days_flag" if flag else "ret.days"),
    30,
    1095,
    default_days,
    30,
    key="ret_days",
    help=t("ret.days_flag_help" if flag else "ret.days_help", days=default_days),
)
d = definition.definition(int(days))
st.info(t("ret.def_flag") if flag else t("ret.def_inactivity", days=days))

# --- lifecycle ----------------------------------------------------------------------------
st.header(t("ret.lifecycle"))
life = data.call(view.lifecycle_now, f, int(days))
stg = life.stages
if stg.empty:
    st.warning(t("overview.no_data"))
    st.stop()
counts = stg.counts
sdf = pd.DataFrame({"stage": list(counts), "n": list(counts.values())}).assign(
    label=lambda x: x["stage"].map(labeller("stage."))
)
sdf, stages_hidden = privacy.blank_small(sdf, "n", mn)
l1, l2 = st.columns([1, 2])
charts.show(
    l1,
    charts.hbars(
        sdf,
        "label",
        "n",
        t("ret.stages_title", end=f.end),
        t("loy.customers"),
        colours=[charts.STAGE_COLOURS[k] for k in sdf["stage"]],
    ),
    key="ret_stages",
)
fl, flows_hidden = privacy.suppress(life.flows, "customers", mn)
hidden_note(stages_hidden + flows_hidden)
order = ["new", *lifecycle.STAGES]
charts.show(
    l2,
    flow_charts.sankey(
        fl, "source", "target", "customers", t("ret.flows_title"), {k: t(f"stage.{k}") for k in order}, order
    ),
    key="ret_flows",
)
st.caption(t("ret.stage_rules"))

# --- cohorts and survival -------------------------------------------------------------------
st.header(t("ret.cohorts"))
coh = data.call(churn.cohort_retention, f, 12)
coh = coh[coh["size"] >= mn]
if len(coh):
    coh = coh.assign(cohort=pd.to_datetime(coh["cohort"]).dt.strftime("%Y-%m"))  # k stays numeric: 0, 1, …, 12 in order
    recent = sorted(coh["cohort"].unique())[-18:]  # the last 18 first-purchase months
    charts.show(
        st,
        charts.heatmap(
            coh[coh["cohort"].isin(recent)],
            "k",
            "cohort",
            "rate",
            t("ret.cohort_title"),
            t("ret.months_after"),
            t("ret.cohort"),
            fmt=".0%",
            sequential=True,
        ),
        key="ret_cohorts",
    )

st.header(t("ret.survival"))
by = (
    st.segmented_control(
        t("ret.survival_by"),
        ["segment", "satisfaction", "region", "channel"],
        default="segment",
        key="ret_by",
        format_func=labeller("ret.by."),
    )
    or "segment"
)
surv = data.call(view.survival, f, d, by, mn)
km, medians = surv.curves, surv.medians
if len(km):
    names = {g: (value_label(g, lg) if by != "satisfaction" else str(g)) for g in km["group"].unique()}
    charts.show(
        st,
        charts.lines(
            km,
            "days",
            "survival",
            "group",
            t("ret.survival_title"),
            t("ret.days_axis"),
            t("ret.survival_axis"),
            names=names,
            x_format=None,
            x_dtick=None,
        ),
        key="ret_km",
    )
    st.caption(
        t("ret.median")
        + ": "
        + "; ".join(f"{names[g]} {f'{v:,.0f}' if v else t('ret.median_none')}" for g, v in medians.items())
    )

# --- the model and the at-risk list ----------------------------------------------------------
st.header(t("ret.model"))
try:
    stored = fits.churn(None if flag else int(days), t)
except ValueError as exc:
    st.warning(t("ret.model_failed", error=str(exc)))
    stored = None
model = stored.model if stored is not None else None
if stored is not None and (note := fits.stale_note(stored, t)):
    st.info(note)
if model is not None:
    rep = model.report()
    st.markdown(
        t(
            "ret.model_caption",
            model=t(f"ret.model.{rep['model']}"),
            validation=t(f"ret.validation.{rep['validation']}"),
            auc=f"{rep['roc_auc']:.2f}",
            pr=f"{rep['pr_auc']:.2f}",
            lift=f"{rep['lift_top_decile']:.1f}",
            n=f"{rep['customers']:,}",
            churned=f"{rep['churned']:,}",
        )
    )
    m1, m2 = st.columns(2)
    cal = model.calibration.assign(decile=[str(i + 1) for i in range(len(model.calibration))])
    charts.show(
        m1,
        charts.grouped_bars(
            cal,
            "decile",
            ["predicted", "actual"],
            [t("ret.predicted"), t("ret.actual")],
            t("ret.calibration_title"),
            t("ret.decile"),
            t("ret.actual"),
            tickformat=".0%",
        ),
        key="ret_calibration",
    )
    feats = pd.DataFrame(model.top_features).assign(label=lambda x: x["feature"].map(lambda n: feature_label(n, lg)))
    charts.show(
        m2,
        charts.hbars(
            feats,
            "label",
            "weight",
            t("ret.features_title"),
            t("ret.weight"),
            colours=[charts.diverging_color(-w) for w in feats["weight"]],
        ),
        key="ret_features",
    )

    st.header(t("ret.at_risk"))
    fitted = (stored.data_version, stored.key)
    risk = fits.at_risk_summary(con, data.version(), fitted, f)
    if risk.customers:
        st.caption(t("ret.at_risk_caption", total=money(risk.revenue_at_risk, lg)))
        top = risk.top
        if risk.customers > len(top):  # the first are listed, the download holds all
            st.caption(t("ret.at_risk_shown", shown=f"{len(top):,}", n=f"{risk.customers:,}"))
        shown = top.assign(
            churn_probability=top["churn_probability"].map(pct),
            reasons=top["reasons"].map(lambda r: "; ".join(reason_label(x, lg) for x in r.split("; ") if x)),
            value_365=top["value_365"].round(0),
            revenue_at_risk=top["revenue_at_risk"].round(0),
            open=[f"customer?customer={c}&lang={lg}" for c in top["customer_id"]],  # not a dead end
        )
        st.dataframe(
            shown.rename(columns=lambda c: t(f"ret.col.{c}")),
            hide_index=True,
            height=320,
            column_config={
                t("ret.col.value_365"): st.column_config.NumberColumn(format="localized"),
                t("ret.col.revenue_at_risk"): st.column_config.NumberColumn(format="localized"),
                t("ret.col.open"): st.column_config.LinkColumn(display_text=t("ret.open")),
            },
        )
        st.download_button(
            t("overview.download"),
            lambda: fits.at_risk_csv(fitted, f),  # built on click: the whole at-risk list
            file_name=f"at_risk_{f.end}.csv",
            mime="text/csv",
            key="ret_download",
        )

# --- early warnings -----------------------------------------------------------------------------
st.header(t("ret.warnings"))
w = data.call(view.warnings, f)
if w.active:
    wdf = pd.DataFrame({"flag": list(w.counts), "n": list(w.counts.values())})
    wdf = wdf.assign(label=wdf["flag"].map(labeller("ret.warn.")), txt=(wdf["n"] / w.active).map(pct))
    charts.show(
        st,
        charts.hbars(wdf, "label", "n", t("ret.warnings"), t("loy.customers"), text="txt", colours=[charts.BAD] * 4),
        key="ret_warnings",
    )
    st.caption(t("ret.warn_caption", n=f"{w.active:,}"))
