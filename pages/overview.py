"""Overview (总览): key figures against the previous period, monthly trend, group comparison."""

from __future__ import annotations

import streamlit as st

from analytics import coverage
from analytics.export import to_csv_bytes
from analytics.figures import FIGURES
from analytics.filters import FILTER_GROUPS
from analytics.views import overview as view
from locales import value_label
from ui import charts, data
from ui.format import figure_change, figure_value, money, pct
from ui.frame import page_header
from ui.state import labeller, lang, min_n, narrow, period_text, t

f = page_header(__file__, "overview.title", "app.tagline")

con, version, mn, lg = data.cursor(), data.version(), min_n(), lang()
st.markdown(period_text(f))
figures = data.key_figures(con, version, f, mn)
if figures["active_customers"].n == 0 and figures["mean_gap"].n == 0:
    st.warning(t("overview.no_data"))
    st.stop()

trend = data.monthly_trend(con, version, f.ending(), mn)  # 12 months to the end: start-free
SERIES = {
    "active_customers": "active_customers",
    "revenue": "revenue",
    "mean_gap": "mean_gap",
    "csat": "csat",
    "nps": "nps",
    "complaint_rate": "complaint_rate",
    "retention_rate": "retention_rate",
}
INVERSE = {"complaint_rate"}

loaded = data.call(coverage.loaded)
cols = st.columns(4) + st.columns(4)
for col, key in zip(cols, FIGURES):
    fig = figures[key]
    with col:
        shown = figure_value(key, fig.value, lg) if fig.value is not None else "—"
        # suppressed and partial months are left out: half a month is not a plunge
        spark = [v for v, whole in zip(trend[SERIES[key]], trend["complete"]) if whole and v is not None and v == v]
        st.metric(
            t(f"fig.{key}"),
            shown,
            delta=figure_change(key, fig.change, lg),
            delta_color="inverse" if key in INVERSE else "normal",
            border=True,
            chart_data=spark,
            chart_type="bar" if key == "revenue" else "line",
            help=t(f"formula.{key}"),
        )
        need = coverage.NEEDS.get(key)
        if fig.value is not None:
            note = t("overview.n", n=f"{fig.n:,}")
        elif need and not loaded[need]:  # never imported: not a small group, no data at all
            note = t("overview.not_loaded", what=t("empty.kind." + need))
        else:
            note = t("overview.suppressed", n=fig.n, min=mn)
        if key == "mean_gap" and fig.value is not None:
            extra = []
            if getattr(fig, "scale", None):
                extra.append(t("overview.gap_scale", scale=fig.scale))
            if getattr(fig, "share", None) is not None:
                extra.append(t("overview.gap_share", share=pct(fig.share)))
            note += " · " + " · ".join(extra)
        st.caption(note)
        with st.expander(t("overview.math")):
            st.markdown(t(f"formula.{key}"))
            st.dataframe(
                {
                    t("math.inputs"): [t("math.this_period"), t("math.previous_period")],
                    t("math.value"): [figure_value(key, fig.value, lg), figure_value(key, fig.previous, lg)],
                    "n": [fig.n, fig.previous_n],
                },
                hide_index=True,
            )

with cols[7]:  # mean lifetime value (retention-based, analytics/views/overview.py)
    tile = data.call(view.clv_tile, f, mn)
    st.metric(
        t("fig.clv"),
        figure_value("revenue", tile.value, lg) if tile.value is not None else "—",
        delta=figure_change("revenue", tile.change, lg),
        border=True,
        help=t("formula.clv"),
    )
    if tile.n is not None:
        st.caption(t("overview.n", n=f"{tile.n:,}") + " · " + t("overview.clv_note"))
    if tile.inputs is not None:
        a = tile.inputs
        with st.expander(t("overview.math")):
            st.markdown(t("formula.clv"))
            st.dataframe(
                {
                    t("math.inputs"): [
                        t("ltv.aov"),
                        t("ltv.orders"),
                        t("ltv.retention"),
                        t("ltv.margin"),
                        t("ltv.discount"),
                        t("ltv.horizon"),
                    ],
                    t("math.value"): [
                        money(a.order_value, lg),
                        f"{a.orders_per_year:.2f}",
                        pct(a.retention),
                        pct(a.margin_rate),
                        pct(a.discount_rate),
                        str(a.horizon_years),
                    ],
                },
                hide_index=True,
            )

st.divider()
# the trend's figure and the comparison's group are part of the view a link shares
if "ov_trend_metric" not in st.session_state and st.query_params.get("trend") in FIGURES:
    st.session_state["ov_trend_metric"] = st.query_params["trend"]
if "ov_dim" not in st.session_state and st.query_params.get("by") in FILTER_GROUPS:
    st.session_state["ov_dim"] = st.query_params["by"]
metric = st.selectbox(t("overview.trend_metric"), FIGURES, key="ov_trend_metric", format_func=labeller("fig."))
st.query_params["trend"] = metric
fmt = {"csat": ".0%", "complaint_rate": ".1%", "retention_rate": ".0%"}.get(metric)
if trend[SERIES[metric]].isna().all():  # nothing to draw: say why instead of a flat line at 0
    st.info(t("overview.trend_hidden", min=mn))
else:
    charts.show(
        st,
        charts.trend(
            trend,
            "month",
            SERIES[metric],
            t("overview.trend", end=f.end),
            t("axis.month"),
            t(f"fig.{metric}") + (f" ({t('unit.yuan')})" if metric == "revenue" else ""),
            kind="bar" if metric in ("revenue", "active_customers") else "line",
            tickformat=fmt,
            partial_label=t("overview.partial_month", end=f.end),
        ),
        key="ov_trend_chart",
    )

st.divider()
st.subheader(t("overview.segments"))
dim = (
    st.segmented_control(
        t("overview.compare_by"),
        ["region", "segment", "channel", "tier"],
        key="ov_dim",
        format_func=labeller("dim."),
        default="region",
    )
    or "region"
)
st.query_params["by"] = dim
table = data.segment_table(con, version, f, dim, mn)
if table.empty:
    st.info(t("overview.no_data"))
    st.stop()
shown = table.copy()
shown["group"] = [value_label(g, lg) for g in table["group"]]
display = {"group": t("overview.group")}
for key in FIGURES:  # numbers stay numbers (a click on a header sorts by value); formatted for display
    shown[key] = table[key]
    display[key] = t(f"fig.{key}")
grid = shown[["group", *FIGURES]].rename(columns=display)
for key in FIGURES:  # a column with no value at all (data never imported, all groups too small): "—"
    if grid[display[key]].isna().all():
        grid[display[key]] = "—"
RATES = [k for k in FIGURES if k not in ("active_customers", "revenue")]  # sizes are not better or worse


def _colour(frame):
    styles = frame.copy().astype(object)
    styles[:] = ""
    for key in RATES:
        styles.loc[table[f"best_{key}"].values, display[key]] = "background-color: #dff0e4; font-weight: 600"
        styles.loc[table[f"worst_{key}"].values, display[key]] = "background-color: #f8dedd"
    return styles


def _on_select():
    rows = st.session_state["ov_segment_table"].selection.rows
    if rows:
        narrow(dim, table["group"].iloc[rows[0]])


st.caption(t("overview.select_hint", min=mn))
formats = {
    display[k]: (
        lambda v, k=k: v if isinstance(v, str) else figure_value(k, v, lg) if v == v and v is not None else "—"
    )
    for k in FIGURES
}
st.dataframe(
    grid.style.apply(_colour, axis=None).format(formats, na_rep="—"),
    hide_index=True,
    column_config={display["group"]: st.column_config.TextColumn(width="medium")},  # "Small business" whole
    key="ov_segment_table",
    on_select=_on_select,
    selection_mode="single-row",
)
st.download_button(
    t("overview.download"),
    lambda: to_csv_bytes(table),  # built on click, not on every run
    file_name=f"segments_{dim}_{f.start}_{f.end}.csv",
    mime="text/csv",
    key="ov_download",
)
