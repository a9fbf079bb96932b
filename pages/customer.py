"""Customer (客户详情): one customer's timeline, tier, zone, stage, churn risk and reasons, value."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import customer
from analytics.filters import Filters
from analytics.loyalty import churn
from analytics.views import customer as view
from analytics.voice.summary import customer_texts
from locales import reason_label, value_label
from ui import charts, data, fits, voice
from ui.format import money, named, pct, shown
from ui.frame import page_header
from ui.state import labeller, lang, t

f = page_header(__file__, "cust.title", "cust.tagline", aggregates=False)
lg, con = lang(), data.cursor()
if "cust_query" not in st.session_state:
    st.session_state["cust_query"] = st.query_params.get("customer", "")
query = st.text_input(t("cust.search"), key="cust_query", placeholder="C0000001 / 王芳")
hits = data.call(customer.search, query) if query else pd.DataFrame()
if query and hits.empty:
    st.info(t("cust.none"))
if hits.empty:
    st.stop()
choice = st.selectbox(
    t("cust.pick"),
    list(hits["customer_id"]),
    key="cust_pick",
    format_func=lambda c: named(c, hits.set_index("customer_id").loc[c, "name"]),
)
st.query_params["customer"] = choice  # the address shares this customer
standing = data.call(view.standing, f, choice, data.call(churn.default_churn_days))
p = standing.profile
whole = Filters(f.start, f.end)  # the customer's standing in the whole base, whatever the group filters


def _customer_clv(where) -> None:
    """The customer's expected value from the stored BG/NBD + Gamma-Gamma fit (or "—")."""
    try:
        clv_fit = fits.clv(t)
        one_clv = data.clv_one(
            con, data.version(), clv_fit.model, (clv_fit.data_version, clv_fit.fitted_at), f.end, choice, 0.30
        )
        where.metric(t("cust.clv"), money(one_clv, lg) if one_clv is not None else "—")
    except ValueError:  # too few customers to fit, or no convergence (ConvergenceError): no value shown
        where.metric(t("cust.clv"), "—")


# --- standing -------------------------------------------------------------------------------
k = st.columns(5)
k[0].metric(t("cust.tier"), t(f"tier.{p['tier']}") if p.get("tier") else "—")
k[1].metric(t("cust.zone"), t(f"zone.{standing.zone}") if standing.zone else "—")
k[2].metric(t("cust.stage"), t(f"stage.{standing.stage}") if standing.stage else "—")
try:  # the stored model scores this one customer: reads their rows only
    churn_fit = fits.churn(None, t)
    risk = fits.at_risk(con, data.version(), (churn_fit.data_version, churn_fit.key), None, choice)
    risk = risk.set_index("customer_id") if len(risk) else pd.DataFrame()
except ValueError:
    risk = pd.DataFrame()
k[3].metric(t("cust.churn"), pct(risk.loc[choice, "churn_probability"]) if choice in risk.index else "—")
churned = p.get("churned")
if churned is not None and churned == churned and bool(churned):  # the data says they left: no future value
    k[4].metric(t("cust.clv"), money(0.0, lg), help=t("cust.churned"))
    k[4].caption(t("cust.churned"))
else:
    _customer_clv(k[4])
if choice in risk.index and risk.loc[choice, "reasons"]:
    st.caption(
        t("cust.reasons", reasons="; ".join(reason_label(x, lg) for x in risk.loc[choice, "reasons"].split("; ")))
    )
st.caption(t("cust.standing_note"))

# --- profile -------------------------------------------------------------------------------
st.subheader(t("cust.profile"))
info = {
    t("cust.pick"): named(p["customer_id"], p.get("name")),
    t("dim.region"): value_label(p.get("region"), lg),
    t("dim.segment"): value_label(p.get("segment"), lg),
    t("dim.channel"): value_label(p.get("channel"), lg),
    t("cust.signup"): shown(p.get("signup_date")),
    t("cust.revenue"): money(p.get("revenue"), lg),
}
# attributes are the company's own columns: shown in the table, as text (never markdown)
rows = list(info.items()) + [(str(a), shown(v)) for a, v in p["attributes"].itertuples(index=False)]
st.dataframe(pd.DataFrame(rows, columns=["", " "]), hide_index=True)

# --- timeline ------------------------------------------------------------------------------
st.subheader(t("cust.timeline"))
past = data.call(view.history, choice)
tl = past.timeline
if len(tl):
    names = {k: t(f"cust.kind.{k}") for k in tl["kind"].unique()}
    timeline = charts.timeline(tl, "at", "amount", "kind", "detail", t("cust.timeline_title"), t("cust.amount"), names)
    charts.show(st, timeline, key="cust_timeline")
    st.dataframe(
        tl.assign(
            kind=tl["kind"].map(labeller("cust.kind.")),
            amount=tl["amount"].map(lambda v: "" if v != v or v is None else f"{v:,.2f}"),
        ).rename(columns=lambda c: t(f"cust.col.{c}")),
        hide_index=True,
        height=260,
    )
answers = past.answers
if len(answers):
    st.subheader(t("cust.surveys"))
    st.dataframe(
        answers.assign(
            answered_at=answers["answered_at"].dt.strftime("%Y-%m-%d"),
            dimension=answers["dimension"].map(labeller("dimension.")),
        ).rename(columns=lambda c: t(f"cust.scol.{c}")),
        hide_index=True,
    )

# --- what they wrote ---------------------------------------------------------------------------
if (text_fit := voice.stored()) is not None:
    themes = tuple(sorted(text_fit.model.themes.items()))  # type: ignore[attr-defined]
    written = data.texts(customer_texts, voice.stamp(text_fit), choice, p.get("name"), themes)
    if len(written):
        st.subheader(t("voice.customer"))
        st.dataframe(
            pd.DataFrame(
                {
                    t("voice.col.written_at"): written["written_at"].dt.strftime("%Y-%m-%d"),
                    t("voice.col.source"): written["source"].map(labeller("voice.source.")),
                    t("voice.col.text"): written["text"],
                    t("voice.col.sentiment"): written["sentiment"],
                    t("voice.col.label"): written["theme"],
                }
            ),
            hide_index=True,
            column_config={
                t("voice.col.sentiment"): st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="%.2f"),
                t("voice.col.text"): st.column_config.TextColumn(width="large"),
            },
        )
