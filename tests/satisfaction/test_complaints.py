"""Complaint outcomes and retention: hand-made cases and the decks' numbers in the demo."""

import datetime as dt

import pytest

from analytics.filters import Filters, default_filters
from analytics.satisfaction import complaints, scores

ALL = Filters(dt.date(2020, 1, 1), dt.date(2026, 12, 31))


def test_outcome_classes_by_hand(con):
    con.execute("""INSERT INTO complaints (complaint_id, customer_id, opened_at, resolved_at, outcome, cause, channel)
        VALUES
        ('k1', 'A', '2024-01-01 09:00', '2024-01-02 09:00', NULL, 'product_quality', 'store'),
        ('k2', 'B', '2024-01-01 09:00', '2024-01-10 09:00', NULL, 'staff_attitude', 'store'),
        ('k3', 'C', '2024-01-01 09:00', NULL, NULL, 'after_sales', 'phone')""")
    con.execute("""INSERT INTO interactions (interaction_id, customer_id, ts, kind, amount) VALUES
        ('1', 'A', '2024-03-01', 'purchase', 10), ('2', 'C', '2024-12-01', 'purchase', 5),
        ('3', 'B', '2025-06-01', 'purchase', 5), ('4', 'Z', '2025-12-31', 'purchase', 1)""")
    out = complaints.outcome_repurchase(con, None, window_days=365).set_index("outcome")
    assert out.loc["resolved_quickly", "n"] == 1 and out.loc["resolved_quickly", "rate"] == 1.0
    assert out.loc["resolved", "rate"] == 0.0  # bought again, but after the window
    assert out.loc["unresolved", "rate"] == 1.0
    assert out.loc["silent_dissatisfied", "n"] == 0
    assert out.loc["resolved", "deck"] == 0.54
    quick24 = complaints.outcome_repurchase(con, None, window_days=365, quick_hours=12).set_index("outcome")
    assert quick24.loc["resolved_quickly", "n"] == 0 and quick24.loc["resolved", "n"] == 2


def test_pareto_and_families(con):
    con.execute("""INSERT INTO complaints (complaint_id, customer_id, opened_at, resolved_at, outcome, cause, channel)
        VALUES
        ('k1', 'A', '2024-01-01', NULL, NULL, 'after_sales', 'store'),
        ('k2', 'A', '2024-01-02', NULL, NULL, 'after_sales', 'store'),
        ('k3', 'B', '2024-01-03', NULL, NULL, 'packaging', 'store')""")
    con.execute("INSERT INTO customers (customer_id) VALUES ('A'), ('B')")
    p = complaints.cause_pareto(con, ALL)
    assert list(p["cause"]) == ["after_sales", "packaging"]
    assert list(p["cumulative"]) == pytest.approx([2 / 3, 1.0])
    assert list(p["family"]) == ["service", "product"]


def test_outcome_rates_near_the_deck(big_demo):
    out = complaints.outcome_repurchase(big_demo, default_filters(big_demo, "all")).set_index("outcome")
    for outcome, deck in (
        ("resolved_quickly", 0.82),
        ("resolved", 0.54),
        ("unresolved", 0.19),
        ("silent_dissatisfied", 0.09),
    ):
        assert out.loc[outcome, "rate"] == pytest.approx(deck, abs=0.07), outcome
        assert out.loc[outcome, "n"] > 100


def test_five_vs_four_ratio_near_deck(big_demo):
    table = scores.score_repurchase(big_demo, default_filters(big_demo, "all"))
    r = scores.top_vs_next(table)
    assert (r["top"], r["next"]) == (5, 4)
    assert r["ratio"] == pytest.approx(6, abs=1.5)
    assert r["ci_low"] < r["ratio"] < r["ci_high"]


def test_voice_rate_and_open_list(big_demo):
    f = default_filters(big_demo, "all")
    v = complaints.voice_rate(big_demo, f)
    assert 0 < v["voice_rate"] < 0.5 and v["n"] > 1000 and v["deck"] == 0.04
    open_ = complaints.open_complaints(big_demo, f, 48)
    assert (open_["age_hours"] > 48).all() and len(open_) > 0
    assert open_["opened_at"].is_monotonic_increasing


def test_latest_answer_predicts_better_than_mean(big_demo):
    r = scores.latest_vs_mean(big_demo)
    assert r["customers"] > 200
    assert r["auc_latest"] > r["auc_mean"]


def test_data_end_from_the_value_table_equals_the_scan(demo_con):
    """The last purchase read from ``customer_value`` (current after every write) is the one a
    scan of the interactions finds."""
    from analytics import db
    from analytics.satisfaction.repurchase import data_end

    assert db.versions(demo_con).derived_current
    scanned = demo_con.execute("SELECT max(ts) FROM interactions WHERE kind = 'purchase'").fetchone()[0]
    assert scanned is not None and data_end(demo_con) == scanned
