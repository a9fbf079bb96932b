"""The expectation gap: hand-computed cases and the demo's planted gaps."""

import datetime as dt

import pandas as pd
import pytest

from analytics.filters import Filters, default_filters
from analytics.satisfaction import drivers, gaps, scores

ALL = Filters(dt.date(2020, 1, 1), dt.date(2026, 12, 31))


def add_response(con, rid, cid, scale, overall, nps, answers, at="2024-05-01"):
    con.execute(
        "INSERT INTO surveys VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 'test', NULL)",
        [rid, cid, at, overall, nps, scale[0], scale[1]],
    )
    for dim, e, x in answers:
        con.execute("INSERT INTO survey_answers VALUES (?, ?, ?, ?)", [rid, dim, e, x])


def test_gap_by_hand(con):
    add_response(con, "r1", None, (1, 5), 4, 9, [("reliability", 5, 3), ("empathy", 3, 4)])
    add_response(con, "r2", None, (1, 7), 7, 10, [("reliability", 6, 7), ("empathy", 4, 4)])
    d = gaps.by_dimension(con, ALL, min_n=1).set_index("dimension")
    assert d.loc["reliability", "mean_gap"] == pytest.approx((-2 + 1) / 2)
    assert d.loc["reliability", "mean_gap_share"] == pytest.approx((-2 / 4 + 1 / 6) / 2)
    s = gaps.summary(con, ALL)
    assert s["responses"] == 2
    assert s["mean_gap"] == pytest.approx(((-2 + 1) / 2 + (1 + 0) / 2) / 2)
    assert (s["share_positive"], s["share_negative"], s["share_zero"]) == (0.5, 0.5, 0.0)


def test_levels_thresholds():
    shares = pd.Series([-0.5, -0.1, 0.0, 0.1, 0.3])
    assert list(gaps.levels(shares)) == list(gaps.LEVELS)
    assert list(gaps.levels(pd.Series([0.0]), (-0.5, -0.4, -0.3, -0.2))) == ["very_satisfied"]


def test_suppressed_below_min_n(con):
    add_response(con, "r1", None, (1, 5), 4, 9, [("reliability", 5, 3)])
    d = gaps.by_dimension(con, ALL, min_n=10)
    assert d["mean_gap"].isna().all() and d["n"].tolist() == [1]


def test_nps_and_csat_edge_cases(con):
    for i in range(12):
        add_response(con, f"p{i}", None, (1, 5), 5, 10, [])
    r = scores.csat_nps(con, ALL)
    assert r["nps"] == 100 and r["csat"] == 1.0 and r["nps_ci"] == [100, 100]
    add_response(con, "d1", None, (1, 5), 1, 0, [])
    add_response(con, "n1", None, (1, 5), 3, 7, [])
    r = scores.csat_nps(con, ALL)
    assert r["nps"] == pytest.approx(100 * (12 / 14 - 1 / 14))
    assert r["csat"] == pytest.approx(12 / 14)
    empty = scores.csat_nps(con, Filters(dt.date(2030, 1, 1), dt.date(2030, 1, 2)))
    assert empty["nps"] is None and empty["csat"] is None and empty["csat_n"] == 0


def test_planted_dimension_gaps_recovered(big_demo):
    f = default_filters(big_demo, "all")
    d = gaps.by_dimension(big_demo, f).set_index("dimension")
    planted = {"tangibles": 0.3, "reliability": -0.4, "responsiveness": -0.5, "assurance": -0.1, "empathy": 0.1}
    for dim, value in planted.items():
        assert d.loc[dim, "mean_gap"] == pytest.approx(value, abs=0.1)
        assert d.loc[dim, "ci_low"] < d.loc[dim, "mean_gap"] < d.loc[dim, "ci_high"]
    assert gaps.summary(big_demo, f)["corr_gap_overall"] > 0.6


def test_planted_kano_and_drivers(big_demo):
    f = default_filters(big_demo, "all")
    answers = scores.answers_frame(big_demo, f)
    k = drivers.kano(answers).set_index("dimension")["kano"]
    assert k["reliability"] == "basic"  # planted: shortfall 0.9, excess 0.1
    assert k["empathy"] == "surprise"  # planted: shortfall 0.1, excess 0.7
    assert k["responsiveness"] == "expected" and k["assurance"] == "expected"
    assert k["tangibles"] == "indifferent"  # planted: 0.1 both ways
    d = drivers.key_drivers(answers).set_index("dimension")
    assert d["importance"].idxmin() == "tangibles"
    assert d.loc["reliability", "quadrant"] == "fix_first"


def test_responses_pivoted_in_duckdb_give_the_same_models(big_demo):
    """The pages pivot answers in DuckDB (responses_wide); the long frame pivoted in pandas
    gives the same drivers and Kano classes."""
    import pandas as pd

    f = default_filters(big_demo, "this_year")
    long, wide = scores.answers_frame(big_demo, f), scores.responses_wide(big_demo, f)
    assert len(wide) == long["response_id"].nunique()
    pd.testing.assert_frame_equal(drivers.key_drivers(long), drivers.key_drivers(wide))
    pd.testing.assert_frame_equal(drivers.kano(long), drivers.kano(wide))
