"""Loyalty & tiers (忠诚与分层): Pareto, the pyramid, tier migration, RFM, loyalty zones, measures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import privacy
from analytics.loyalty import pyramid, zones
from analytics.loyalty.tiers import DEFAULT_CUTS, TIER_ORDER
from analytics.views import loyalty as view
from ui import charts, data, flow_charts
from ui.format import money, pct
from ui.frame import page_header
from ui.state import hidden_note, labeller, lang, min_n, period_text, t

f = page_header(__file__, "loy.title", "loy.tagline", needs=("purchases",))
lg, mn = lang(), min_n()
st.markdown(period_text(f, compared=False))
par = data.call(view.pareto, f)
if par.empty:
    st.warning(t("overview.no_data"))
    st.stop()

# --- Pareto and pyramid -----------------------------------------------------------------------
st.header(t("loy.pareto"))
curve, top20 = par.curve, par.top20
p1, p2 = st.columns([2, 1])
charts.show(
    p1,
    charts.curve(
        curve,
        "customer_share",
        "revenue_share",
        t("loy.pareto_title"),
        t("loy.customers_axis"),
        t("loy.revenue_axis"),
        mark=(0.2, top20),
        mark_text=f"20% → {pct(top20)}",
    ),
    key="loy_pareto",
)
p2.metric(t("loy.top20"), pct(top20), help=t("loy.top20_help"))
p2.caption(t("loy.top20_help"))

st.header(t("loy.pyramid"))
with st.expander(t("loy.cuts")):
    c = st.columns(3)
    cuts = tuple(
        c[i].number_input(t(f"loy.cut.{i}"), 0.001, 0.999, v, 0.01, key=f"loy_cut_{i}", format="%.3f")
        for i, v in enumerate(DEFAULT_CUTS)
    )
cuts = tuple(sorted(cuts))
pyr = data.call(pyramid.pyramid, f, cuts)
pyr = pyr.assign(label=pyr["tier"].map(labeller("tier.")))
pyr, pyr_hidden = privacy.blank_small(pyr, "customers", mn, ("revenue_share", "revenue_per_customer"))
y1, y2 = st.columns([1, 1])
pyr = pyr.assign(txt=pyr["revenue_share"].map(lambda v: pct(v) if v == v else t("privacy.value_hidden", n=mn)))
charts.show(
    y1,
    charts.hbars(
        pyr,
        "label",
        "revenue_share",
        t("loy.pyramid_title"),
        t("loy.revenue_share"),
        text="txt",
        tickformat=".0%",
        colours=[charts.TIER_COLOURS[k] for k in pyr["tier"]],
    ),
    key="loy_pyramid",
)
y2.dataframe(
    pd.DataFrame(
        {
            t("loy.tier"): pyr["label"],
            t("loy.customers"): pyr["customers"].astype("Int64"),
            t("loy.revenue_share"): pyr["revenue_share"].map(lambda v: pct(v) if v == v else "—"),
            t("loy.per_customer"): pyr["revenue_per_customer"].map(lambda v: money(v, lg) if v == v else "—"),
        }
    ),
    hide_index=True,
)
hidden_note(pyr_hidden, y2)

st.header(t("loy.migration"))
mig, mig_hidden = privacy.suppress(data.call(pyramid.tier_migration, f, cuts), "customers", mn)
hidden_note(mig_hidden)
if len(mig):
    order = list(TIER_ORDER) + ["none"]
    charts.show(
        st,
        flow_charts.sankey(
            mig, "source", "target", "customers", t("loy.migration_title"), {k: t(f"tier.{k}") for k in order}, order
        ),
        key="loy_sankey",
    )

# --- loyalty zones and measures ---------------------------------------------------------------
st.header(t("loy.zones"))
repeat = st.slider(t("loy.repeat_min"), 1, 12, 2, key="loy_repeat")
counts = data.call(view.zone_counts, f, repeat).counts
zdf = pd.DataFrame({"zone": list(counts), "n": list(counts.values())})
zdf = zdf.assign(label=zdf["zone"].map(labeller("zone.")), share=zdf["n"] / max(zdf["n"].sum(), 1))
zdf, zones_hidden = privacy.blank_small(zdf, "n", mn, ("share",))
zcol = [charts.PALETTE[2], charts.PALETTE[0], charts.PALETTE[4], charts.PALETTE[6], charts.PALETTE[1], charts.BAD]
z1, z2 = st.columns([2, 1])
charts.show(
    z1, charts.hbars(zdf, "label", "n", t("loy.zones_title"), t("loy.customers"), colours=zcol), key="loy_zones"
)
z2.dataframe(
    pd.DataFrame(
        {
            t("loy.zones"): zdf["label"],
            "n": zdf["n"].astype("Int64"),
            "%": zdf["share"].map(lambda v: pct(v) if v == v else "—"),
        }
    ),
    hide_index=True,
)
hidden_note(zones_hidden, z2)
st.caption(t("loy.zones_rules", repeat=repeat))

st.header(t("loy.measures"))
m = data.call(zones.measures, f)
k = st.columns(3)
k[0].metric(
    t("loy.repeat_rate"), pct(m["repeat_purchase_rate"]) if m["repeat_n"] >= mn else "—", help=t("loy.repeat_help")
)
k[0].caption(t("overview.n", n=f"{m['repeat_n']:,}"))
k[1].metric(t("loy.tolerance"), pct(m["tolerance"]) if m["tolerance_n"] >= mn else "—", help=t("loy.tolerance_help"))
k[1].caption(t("overview.n", n=f"{m['tolerance_n']:,}"))
k[2].metric(
    t("loy.wallet"), pct(m["share_of_wallet"]) if m["share_of_wallet_n"] >= mn else "—", help=t("loy.wallet_help")
)
k[2].caption(t("overview.n", n=f"{m['share_of_wallet_n']:,}"))

# --- RFM -----------------------------------------------------------------------------------------
st.header(t("loy.rfm"))
grid, rfm_hidden = privacy.suppress(data.call(view.rfm_grid, f), "n", mn)
hidden_note(rfm_hidden)
if len(grid):
    charts.show(
        st,
        charts.heatmap(
            grid,
            "f_score",
            "r_score",
            "n",
            t("loy.rfm_title"),
            t("loy.f_score"),
            t("loy.r_score"),
            fmt=",.0f",
            sequential=True,
        ),
        key="loy_rfm",
    )
