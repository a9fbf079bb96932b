"""Lifetime value (终身价值): the deck's arithmetic, what-if sliders, service levers, BG/NBD."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics import coverage
from analytics.export import to_csv_bytes
from analytics.value import SUPERMARKET, deck_ltv, deck_table, whatif
from analytics.views import lifetime_value as view
from ui import charts, data, fits, flow_charts
from ui.format import money, pct, plain, yuan
from ui.frame import page_header
from ui.state import labeller, lang, min_n, t

f = page_header(__file__, "ltv.title", "ltv.tagline", needs=("purchases",))
con, version, lg = data.cursor(), data.version(), lang()
try:
    base = data.call(view.baseline, f)
except ValueError:
    st.warning(t("overview.no_data"))
    st.stop()
if base.customers == 0:
    st.warning(t("overview.no_data"))
    st.stop()
b = base.assumptions

# --- 1. the deck's arithmetic ----------------------------------------------------------
st.header(t("ltv.deck_header"))
c1, c2, c3, c4 = st.columns(4)
amount = c1.number_input(t("ltv.amount"), 0.0, 1e7, 100.0, 10.0, key="ltv_deck_amount")
freq = c2.number_input(t("ltv.frequency"), 0.0, 1000.0, 10.0, 1.0, key="ltv_deck_frequency")
years = c3.number_input(t("ltv.years"), 0.0, 100.0, 10.0, 1.0, key="ltv_deck_years")
growth = c4.slider(t("ltv.growth"), 0, 50, 10, 1, key="ltv_deck_growth", format="%d%%") / 100
rows = deck_table(amount, freq, years, growth)
st.dataframe(
    pd.DataFrame(
        {
            t("ltv.row"): [t(f"ltv.row.{r.label}") for r in rows],
            t("ltv.amount"): [f"{r.amount:,.2f}" for r in rows],
            t("ltv.frequency"): [f"{r.frequency:,.2f}" for r in rows],
            t("ltv.years"): [f"{r.years:,.2f}" for r in rows],
            t("ltv.value"): [yuan(r.ltv, lg) for r in rows],
        }
    ),
    hide_index=True,
)
if rows[1].ltv:
    st.caption(t("ltv.compound", pct=pct(rows[2].ltv / rows[1].ltv - 1)))
story = whatif.company_story(b)
s1, s2 = st.columns(2)
s1.metric(t("ltv.supermarket_deck"), yuan(deck_ltv(**SUPERMARKET), lg, deck=True), help=t("ltv.supermarket_deck_help"))
s2.metric(t("ltv.supermarket_company"), money(story["lifetime_revenue"], lg), help=t("ltv.supermarket_company_help"))
st.caption(
    t(
        "ltv.supermarket_company_math",
        aov=money(story["order_value"], lg),
        freq=f"{story['orders_per_year']:.2f}",
        years=f"{story['years']:.1f}",
        r=pct(b.retention),
    )
)

# --- 2. what-if sliders ----------------------------------------------------------------
st.header(t("ltv.whatif_header"))
st.caption(
    t(
        "ltv.measured",
        end=base.as_of,
        n=f"{base.customers:,}",
        aov=money(b.order_value, lg),
        freq=f"{b.orders_per_year:.2f}",
        r=pct(b.retention),
    )
)
if base.retention_base is not None and base.retention_base < (mn := min_n()):  # under 2 years: no retention
    st.warning(t("ltv.retention_unmeasured", n=base.retention_base, min=mn))
key = f"{version}|{f}"
if st.session_state.get("ltv_base_key") != key:  # new data or filters: sliders start at the measured values
    st.session_state.update(
        {
            "ltv_base_key": key,
            "ltv_aov": float(b.order_value),  # the measured values exactly; arrows then move by whole steps
            "ltv_freq": float(b.orders_per_year),
            "ltv_ret": round(100 * b.retention, 1),
            "ltv_margin": 30,
            "ltv_disc": 10,
            "ltv_h": 10,
            "ltv_cac": 0.0,
            "ltv_lever_c": 0,
            "ltv_lever_s": 0,
            "ltv_lever_g": 0,
        }
    )
if loading := st.session_state.pop("ltv_load_pending", None):  # a saved scenario back into the sliders
    try:
        with data.reading() as r:
            a, lv = whatif.load_scenario(r, loading)
    except KeyError:  # deleted by a colleague meanwhile
        a = None
    if a is not None:
        st.session_state.update(
            {
                "ltv_aov": min(float(a.order_value), float(max(1, round(3 * b.order_value) + 1))),
                "ltv_freq": min(float(a.orders_per_year), round(max(1.0, 3 * b.orders_per_year), 1)),
                "ltv_ret": round(min(100 * a.retention, 99.0), 1),
                "ltv_margin": int(round(100 * a.margin_rate)),
                "ltv_disc": int(round(100 * a.discount_rate)),
                "ltv_h": int(a.horizon_years),
                "ltv_cac": float(a.acquisition_cost),
                "ltv_lever_c": int(round(100 * (lv.get("complaints") or 0))),
                "ltv_lever_s": int(round(100 * (lv.get("fours_to_fives") or 0))),
                "ltv_lever_g": int(round(100 * (lv.get("gap_closed") or 0))),
            }
        )
        if lv.get("gap_dimension") in (base.gap_effects or {}):
            st.session_state["ltv_gap_dim"] = lv["gap_dimension"]
        st.toast(t("ltv.loaded", name=loading))
left, right = st.columns([1, 2])
with left:
    # steps a person can feel: one arrow-key press moves ¥1 and 0.1 orders, not ¥0.01
    aov = st.slider(
        t("ltv.aov"), 0.0, float(max(1, round(3 * b.order_value) + 1)), key="ltv_aov", step=1.0, format="%.0f"
    )
    orders = st.slider(
        t("ltv.orders"), 0.0, round(max(1.0, 3 * b.orders_per_year), 1) + 0.1, key="ltv_freq", step=0.1, format="%.1f"
    )
    retention = st.slider(t("ltv.retention"), 0.0, 99.0, key="ltv_ret", step=0.1, format="%.1f%%")
    margin = st.slider(t("ltv.margin"), 1, 100, key="ltv_margin", format="%d%%", help=t("ltv.margin_help"))
    disc = st.slider(t("ltv.discount"), 0, 30, key="ltv_disc", format="%d%%")
    horizon = st.slider(t("ltv.horizon"), 1, 30, key="ltv_h")
    cac = st.number_input(t("ltv.cac"), 0.0, 1e7, key="ltv_cac", step=10.0)
    st.subheader(t("ltv.levers"))
    loaded = data.call(coverage.loaded)  # a lever with no data behind it is greyed, with the reason

    def lever(name: str, key: str, kind: str) -> int:
        """A lever's slider, greyed with the reason when the data it acts on was never imported."""
        help_text = t(f"ltv.lever_{name}_help") if loaded[kind] else t(f"ltv.lever_no_data.{kind}")
        return st.slider(
            t(f"ltv.lever_{name}"), 0, 100, key=key, format="%d%%", help=help_text, disabled=not loaded[kind]
        )

    moved_c = lever("complaints", "ltv_lever_c", "complaints")
    moved_s = lever("fours", "ltv_lever_s", "surveys")
    if not (loaded["complaints"] and loaded["surveys"] and loaded["answers"]):
        st.caption(t("ltv.lever_missing"))
    gap_dims = sorted(base.gap_effects or {})
    gap_dim = st.selectbox(
        t("ltv.lever_gap_dim"), gap_dims, key="ltv_gap_dim", format_func=labeller("dimension."), disabled=not gap_dims
    )
    gap_closed = st.slider(
        t("ltv.lever_gap"),
        0,
        100,
        key="ltv_lever_g",
        format="%d%%",
        help=t("ltv.lever_gap_help") if gap_dims else t("ltv.lever_no_data.answers"),
        disabled=not gap_dims,
    )
baseline = replace(b, margin_rate=0.30, discount_rate=0.10, horizon_years=10)
chosen = whatif.Assumptions(aov, orders, retention / 100, margin / 100, disc / 100, int(horizon), cac)
with_levers, effects = whatif.apply_levers(base, chosen, moved_c / 100, moved_s / 100, gap_dim, gap_closed / 100)
before, after = whatif.evaluate(baseline, base.customers), whatif.evaluate(with_levers, base.customers)
st.html("""<style>  /* the results stay in view while the levers below the fold move */
[data-testid="stColumn"]:has(.st-key-ltv_results) {position: sticky; top: 3.75rem; align-self: flex-start; z-index: 2}
.st-key-ltv_results {background: white}
</style>""")
with right.container(key="ltv_results"):
    m1, m2, m3 = st.columns(3)
    m1.metric(
        t("ltv.clv_existing"),
        money(after.clv_existing, lg),
        delta=money(after.clv_existing - before.clv_existing, lg)
        if after.clv_existing != before.clv_existing
        else None,
        help=t("ltv.clv_existing_help"),
    )
    m2.metric(t("ltv.clv_new"), money(after.clv_new, lg), help=t("ltv.clv_new_help"))
    m3.metric(
        t("ltv.equity"),
        money(after.equity, lg),
        delta=(("+" if after.equity >= before.equity else "-") + money(abs(after.equity - before.equity), lg))
        if after.equity != before.equity
        else None,
        help=t("ltv.equity_help", n=f"{base.customers:,}"),
    )
    steps = whatif.waterfall(baseline, with_levers, base.customers)
    charts.show(
        st,
        flow_charts.waterfall(
            [(t(f"ltv.step.{s}"), v) for s, v in steps],
            before.equity,
            t("ltv.baseline"),
            t("ltv.scenario"),
            t("ltv.waterfall_title", years=int(horizon)),
            t("ltv.equity_axis"),
            label=lambda v: money(v, lg),
            scale=1e4 if lg == "zh-CN" else 1.0,  # the axis in the cards' unit: 万元 in Chinese
        ),
        key="ltv_waterfall",
    )
    st.markdown(
        t(
            "ltv.lever_effects",
            c=f"{100 * effects['complaints']:+.2f}",
            s=f"{100 * effects['fours_to_fives']:+.2f}",
            g=f"{100 * effects['gap']:+.2f}",
        )
    )
    src = base.outcome_source
    st.caption(
        t(
            "ltv.lever_sources",
            quick=pct(base.outcome_retention["resolved_quickly"]),
            resolved=pct(base.outcome_retention["resolved"]),
            unresolved=pct(base.outcome_retention["unresolved"]),
            source=", ".join(sorted({t("ltv.source." + v) for v in src.values()})),
        )
    )

# --- 3. cost of a lost customer ----------------------------------------------------------
st.header(t("ltv.lost_header"))
st.caption(t("ltv.lost_claims"))
l1, l2, l3 = st.columns(3)
tells = l1.slider(t("ltv.tells"), 0, 20, 10, key="ltv_tells")
retell = l2.slider(t("ltv.retell"), 0, 20, 0, key="ltv_retell")
influence = l3.slider(t("ltv.influence"), 0, 20, 2, key="ltv_influence", format="%d%%") / 100
cost = whatif.lost_customer_cost(after.clv_existing, tells, retell, influence)
k1, k2, k3 = st.columns(3)
k1.metric(t("ltv.lost_clv"), money(cost["lost_clv"], lg))
k2.metric(
    t("ltv.word_of_mouth"), money(cost["word_of_mouth"], lg), help=t("ltv.reached", n=f"{cost['people_reached']:,.0f}")
)
k3.metric(t("ltv.lost_total"), money(cost["total"], lg))

# --- 4. BG/NBD + Gamma-Gamma -----------------------------------------------------------------
st.header(t("ltv.model_header"))
unit = (
    st.segmented_control(
        t("ltv.unit"), ["weeks", "days"], default="weeks", key="ltv_unit", format_func=labeller("ltv.unit.")
    )
    or "weeks"
)
try:
    stored = fits.clv(t) if unit == fits.CLV_UNIT else None  # weeks: the stored whole-base fit
    models, fitted = (stored.model, (stored.data_version, stored.fitted_at)) if stored else (None, ())
    fit = data.clv_values(con, version, models, fitted, f, unit, 12, disc / 100, margin / 100)
    if stored is not None:
        st.caption(fits.stale_note(stored, t) or t("fit.current", when=stored.fitted_at.strftime("%Y-%m-%d %H:%M")))
except ValueError as exc:  # ConvergenceError or too few customers: say so, never a traceback
    st.warning(t("ltv.fit_failed", error=str(exc)))
    fit = None
if fit is not None:
    rep = fit.report()
    p1, p2, p3, p4 = st.columns(4)
    p1.metric(t("ltv.model_customers"), f"{rep['customers']:,}", help=t("ltv.model_customers_help"))
    p2.metric(t("ltv.p_alive"), pct(rep["mean_p_alive"]))
    p3.metric(
        t("ltv.model_total"), money(rep["total_clv"], lg), help=t("ltv.model_total_help", margin=margin, disc=disc)
    )
    p4.metric(t("ltv.model_mean"), money(rep["total_clv"] / max(rep["customers"], 1), lg))
    with st.expander(t("ltv.params")):
        st.markdown(
            t(
                "ltv.params_text",
                unit=t(f"ltv.unit.{unit}"),
                **{k: f"{v:.4g}" for k, v in rep["bgnbd"].items()},
                p=f"{rep['gamma_gamma']['p']:.4g}",
                q=f"{rep['gamma_gamma']['q']:.4g}",
                g=f"{rep['gamma_gamma']['gamma']:.4g}",
            )
        )
    g1, g2 = st.columns(2)
    charts.show(
        g1,
        charts.histogram(
            fit.customers["clv"].clip(upper=fit.customers["clv"].quantile(0.99)),
            t("ltv.hist_title"),
            t("ltv.hist_x"),
            t("ltv.hist_y"),
        ),
        key="ltv_hist",
    )
    calib = (pd.Timestamp(f.end) - pd.DateOffset(months=6)).date()
    try:
        checked = stored.model if stored is not None else None
        if checked is not None and checked.holdout is not None and checked.calibration_end == calib:
            hold = checked.holdout  # made with the stored fit, on every customer
            g2.caption(t("ltv.holdout_all"))
        else:
            hold = data.clv_holdout(con, version, f, unit, calib)
        charts.show(
            g2,
            charts.grouped_bars(
                hold,
                "group",
                ["actual", "predicted"],
                [t("ltv.actual"), t("ltv.predicted")],
                t("ltv.holdout_title", start=calib, end=f.end),
                t("ltv.holdout_x", start=calib),
                t("ltv.holdout_y"),
            ),
            key="ltv_holdout",
        )
    except ValueError as exc:  # ConvergenceError or too few customers in the holdout
        g2.info(t("ltv.fit_failed", error=str(exc)))
    cols = ["customer_id", "frequency", "recency", "T", "p_alive", "expected_purchases", "expected_spend", "clv"]
    st.download_button(
        t("ltv.download"),
        lambda: to_csv_bytes(fit.customers[cols]),  # built on click: a million rows must not slow every run
        file_name=f"clv_{f.end}.csv",
        mime="text/csv",
        key="ltv_download",
    )

# --- 5. scenarios ------------------------------------------------------------------------
st.header(t("ltv.scenarios"))
n1, n2 = st.columns([3, 1])
name = n1.text_input(t("ltv.scenario_name"), key="ltv_scenario_name", max_chars=100).strip()
levers = {
    "complaints": moved_c / 100,
    "fours_to_fives": moved_s / 100,
    "gap_dimension": gap_dim,
    "gap_closed": gap_closed / 100,
}
saved = data.scenarios()  # shared by everyone using this database


def _save(scenario: str) -> None:
    with data.writing() as w:
        whatif.save_scenario(w, scenario, chosen, levers)
    st.session_state.pop("ltv_replace_pending", None)
    st.toast(t("ltv.saved", name=scenario))


if n2.button(t("ltv.save"), key="ltv_save"):
    if not name:
        st.warning(t("ltv.name_needed"))
    elif not saved.empty and name in set(saved["name"]):  # a colleague's work: ask first
        st.session_state["ltv_replace_pending"] = name
    else:
        _save(name)
        saved = data.scenarios()
if pending := st.session_state.get("ltv_replace_pending"):
    st.warning(t("ltv.replace_ask", name=plain(pending)))
    q1, q2, _ = st.columns([1, 1, 2])
    if q1.button(t("ltv.replace"), key="ltv_replace", type="primary"):
        _save(pending)
        saved = data.scenarios()
    elif q2.button(t("ltv.keep"), key="ltv_keep"):
        st.session_state.pop("ltv_replace_pending", None)
        st.rerun()


def _row(label: str, a: whatif.Assumptions, retention: float, result) -> dict:
    return {
        t("ltv.scenario_name"): label,
        t("ltv.aov"): money(a.order_value, lg),
        t("ltv.orders"): f"{a.orders_per_year:.2f}",
        t("ltv.retention"): pct(retention),
        t("ltv.margin"): pct(a.margin_rate),
        t("ltv.discount"): pct(a.discount_rate),
        t("ltv.horizon"): a.horizon_years,
        t("ltv.clv_existing"): money(result.clv_existing, lg),
        t("ltv.equity"): money(result.equity, lg),
    }


rows = [_row(t("ltv.baseline_row"), baseline, baseline.retention, before)]  # what every plan is compared with
rows += [_row(r.name, r.assumptions, r.retention, r.result) for r in view.scenario_rows(base, saved)]
st.dataframe(pd.DataFrame(rows), hide_index=True)
if saved.empty:
    st.caption(t("ltv.no_scenarios"))
else:
    d1, d2, d3 = st.columns([3, 1, 1])
    which = d1.selectbox(t("ltv.scenario_which"), list(saved["name"]), key="ltv_delete_name")
    sure = d1.checkbox(t("ltv.delete_confirm"), key="ltv_delete_confirm")
    if d2.button(t("ltv.load"), key="ltv_load"):
        st.session_state["ltv_load_pending"] = which
        st.rerun()
    if d3.button(t("ltv.delete"), key="ltv_delete", disabled=not sure):
        with data.writing() as w:
            whatif.delete_scenario(w, which)
        st.rerun()
