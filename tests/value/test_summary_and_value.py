"""Transactions → (frequency, recency, T, monetary) on a hand-made case; fitting the demo."""

import datetime as dt

import numpy as np

from analytics.value import fit_clv, holdout_check, summary


def add(con, rows):
    con.executemany(
        "INSERT INTO interactions (interaction_id, customer_id, ts, kind, amount) VALUES (?, ?, ?, 'purchase', ?)",
        [(f"i{k}", c, ts, a) for k, (c, ts, a) in enumerate(rows)],
    )


def test_summary_by_hand(con):
    add(
        con,
        [
            ("A", "2024-01-01 10:00", 10.0),
            ("A", "2024-01-01 15:00", 5.0),  # same day counts once
            ("A", "2024-01-15", 20.0),
            ("A", "2024-01-29", 40.0),
            ("B", "2024-01-08", 7.0),
            ("C", "2024-03-01", 9.0),
        ],
    )  # after the observation end: left out
    s = summary(con, dt.date(2024, 2, 26), unit="weeks").set_index("customer_id")
    assert list(s.index.sort_values()) == ["A", "B"]
    a = s.loc["A"]
    assert (a["frequency"], a["recency"], a["T"], a["monetary_value"]) == (2, 4.0, 8.0, 30.0)
    b = s.loc["B"]
    assert (b["frequency"], b["recency"], b["T"], b["monetary_value"]) == (0, 0.0, 7.0, 0.0)
    d = summary(con, dt.date(2024, 2, 26), unit="days").set_index("customer_id")
    assert d.loc["A", "T"] == 56


def test_holdout_counts_purchase_days_after_calibration(con):
    add(con, [("A", "2024-01-01", 1.0), ("A", "2024-02-01", 1.0), ("A", "2024-03-05", 1.0), ("A", "2024-03-20", 1.0)])
    s = summary(con, dt.date(2024, 3, 31), unit="days", calibration_end=dt.date(2024, 2, 29)).set_index("customer_id")
    assert s.loc["A"].frequency == 1 and s.loc["A"].holdout_purchases == 2


def test_demo_fit_gives_sane_values(demo_con):
    end = demo_con.execute("SELECT max(ts)::DATE FROM interactions").fetchone()[0]
    res = fit_clv(demo_con, end, "weeks", horizon_months=12)
    c = res.customers
    for col in ("p_alive", "expected_purchases", "expected_spend", "clv"):
        assert np.all(np.isfinite(c[col])) and np.all(c[col] >= 0), col
    assert c["p_alive"].between(0, 1).all()
    # churned customers (the demo's flag) look less alive than active ones
    churned = dict(demo_con.execute("SELECT customer_id, churned FROM customers").fetchall())
    c["churned"] = c["customer_id"].map(churned)
    assert c.loc[c.churned == True, "p_alive"].mean() < c.loc[c.churned == False, "p_alive"].mean() - 0.2  # noqa: E712
    assert res.report()["repeaters"] > 0.5 * res.report()["customers"]


def test_holdout_prediction_tracks_actual(demo_con):
    check = holdout_check(demo_con, dt.date(2026, 4, 30), dt.date(2026, 10, 31), "weeks")
    assert check["predicted"].is_monotonic_increasing or check["predicted"].iloc[-1] > check["predicted"].iloc[0]
    # customers who bought more in calibration buy more in the holdout, as predicted
    assert np.corrcoef(check["actual"], check["predicted"])[0, 1] > 0.9
