"""What-if arithmetic, levers and scenarios."""

import time
from dataclasses import replace

import pytest

from analytics.value import whatif
from analytics.value.retention import clv_existing


def test_measured_baseline_from_demo(demo_con):
    b = whatif.measure_baseline(demo_con)
    a = b.assumptions
    assert 100 < a.order_value < 2000 and 1 < a.orders_per_year < 20 and 0.3 < a.retention < 0.95
    assert b.customers > 1000
    assert set(b.outcome_retention) == {"resolved_quickly", "resolved", "unresolved", "silent_dissatisfied"}
    assert b.outcome_retention["resolved_quickly"] > b.outcome_retention["unresolved"]


def test_evaluate_matches_retention_formula():
    a = whatif.Assumptions(
        order_value=100, orders_per_year=10, retention=0.8, margin_rate=0.3, discount_rate=0.1, horizon_years=5
    )
    r = whatif.evaluate(a, 1000)
    assert r.margin == 300
    assert r.clv_existing == pytest.approx(clv_existing(300, 0.8, 0.1, 5))
    assert r.equity == pytest.approx(1000 * r.clv_existing)


def test_waterfall_sums_to_total_change():
    base = whatif.Assumptions(100, 10, 0.7)
    new = replace(base, order_value=120, retention=0.8, horizon_years=15, discount_rate=0.08)
    steps = whatif.waterfall(base, new, 500)
    total = whatif.evaluate(new, 500).equity - whatif.evaluate(base, 500).equity
    assert sum(v for _, v in steps) == pytest.approx(total)
    assert dict(steps)["orders_per_year"] == 0


def test_levers_raise_retention(demo_con):
    b = whatif.measure_baseline(demo_con)
    a, effects = whatif.apply_levers(b, b.assumptions, complaints_moved=1.0, fours_moved=0.5)
    assert effects["complaints"] > 0 and effects["fours_to_fives"] > 0
    assert a.retention == pytest.approx(min(0.99, b.assumptions.retention + sum(effects.values())))
    # by hand: complainer share × Σ share_k × (r_quick − r_k)
    expect = b.complainer_share * sum(
        b.outcome_share[k] * (b.outcome_retention["resolved_quickly"] - b.outcome_retention[k])
        for k in ("resolved", "unresolved")
    )
    assert effects["complaints"] == pytest.approx(expect)


def test_slider_recompute_is_fast():
    base = whatif.Assumptions(100, 10, 0.7)
    new = replace(base, retention=0.75)
    t0 = time.perf_counter()
    for _ in range(100):
        whatif.waterfall(base, new, 1_000_000)
    assert (time.perf_counter() - t0) / 100 < 0.05


def test_lost_customer_cost_uses_the_claims():
    out = whatif.lost_customer_cost(1000, tells=10, retell=20, influence=0.01)
    assert out["people_reached"] == 210 and out["total"] == pytest.approx(1000 + 210 * 0.01 * 1000)


def test_scenarios_round_trip(con):
    a = whatif.Assumptions(100, 10, 0.7)
    whatif.save_scenario(con, "乐观 '; DROP TABLE customers; --", a, {"complaints": 0.5})
    whatif.save_scenario(con, "base", replace(a, retention=0.6))
    listed = whatif.list_scenarios(con)
    assert list(listed["name"]) == ["乐观 '; DROP TABLE customers; --", "base"]
    loaded, levers = whatif.load_scenario(con, "乐观 '; DROP TABLE customers; --")
    assert loaded == a and levers == {"complaints": 0.5}
    whatif.delete_scenario(con, "base")
    assert len(whatif.list_scenarios(con)) == 1
    assert con.execute("SELECT count(*) FROM customers").fetchone()[0] == 0  # the table is still there


def test_closing_a_gap_raises_retention(demo_con):
    b = whatif.measure_baseline(demo_con)
    assert set(b.gap_effects) == {"tangibles", "reliability", "responsiveness", "assurance", "empathy"}
    assert b.gap_effects["reliability"]["per_point"] > 0 and b.gap_effects["reliability"]["mean_shortfall"] < 0
    _, effects = whatif.apply_levers(b, b.assumptions, gap_dimension="reliability", gap_closed=1.0)
    e = b.gap_effects["reliability"]
    assert effects["gap"] == pytest.approx(e["per_point"] * -e["mean_shortfall"]) and effects["gap"] > 0
    assert whatif.apply_levers(b, b.assumptions, gap_dimension="nope", gap_closed=1.0)[1]["gap"] == 0


def test_assumptions_at_several_dates_match_one_at_a_time(demo_con):
    """The Overview's one-pass measurement for two periods equals two separate measurements,
    for the whole base and for a group."""
    import datetime as dt

    from analytics.filters import Filters

    ends = (dt.date(2026, 10, 31), dt.date(2026, 8, 2), dt.date(2025, 3, 1))
    for f in (
        Filters(dt.date(2026, 8, 3), dt.date(2026, 10, 31)),
        Filters(dt.date(2026, 8, 3), dt.date(2026, 10, 31), region=("上海",)),
    ):
        together = whatif.measure_assumptions_at(demo_con, f, ends)
        assert together == [whatif.measure_assumptions(demo_con, f, as_of=e) for e in ends]
        assert together[0][1] > 0 and together[0][0].retention > 0
