"""The demo generator: deterministic, and the planted effects are really there.

Rates are computed here with plain SQL, independently of the analytics modules.
"""

import hashlib

import pytest

from analytics import db
from analytics.demo import DEMO_END, build_demo
from analytics.satisfaction.gaps import SERVQUAL_DIMENSIONS


def fingerprint(c) -> str:
    h = hashlib.sha256()
    for table, cols in db.TABLES.items():
        key = ", ".join(cols)
        for row in c.execute(f"SELECT {key} FROM {table} ORDER BY {key}").fetchall():
            h.update(repr(row).encode())
    return h.hexdigest()


def test_same_seed_same_database():
    a, b, other = db.connect(":memory:"), db.connect(":memory:"), db.connect(":memory:")
    build_demo(a, customers=800, seed=3)
    build_demo(b, customers=800, seed=3)
    build_demo(other, customers=800, seed=4)
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint(other)


def test_rebuild_replaces_everything():
    c = db.connect(":memory:")
    build_demo(c, customers=300, seed=1)
    counts = build_demo(c, customers=200, seed=1)
    assert counts["customers"] == 200
    assert c.execute("SELECT count(*) FROM customers").fetchone()[0] == 200


def test_shape_of_default_demo(demo_con):
    counts = db.table_counts(demo_con)
    assert counts["customers"] == 5000
    assert 8 <= counts["interactions"] / counts["customers"] <= 12  # about ten each
    first, last = demo_con.execute("SELECT min(ts), max(ts) FROM interactions").fetchone()
    assert (last - first).days > 3 * 365 - 10
    assert last <= DEMO_END
    kinds = dict(demo_con.execute("SELECT kind, count(*) FROM interactions GROUP BY 1").fetchall())
    assert set(kinds) == {"purchase", "service", "complaint", "visit"}
    dims = {r[0] for r in demo_con.execute("SELECT DISTINCT dimension FROM survey_answers").fetchall()}
    assert dims == set(SERVQUAL_DIMENSIONS)
    regions = {r[0] for r in demo_con.execute("SELECT DISTINCT region FROM customers").fetchall()}
    assert "上海" in regions and len(regions) == 7


def test_planted_dimension_gaps(big_demo):
    gaps = dict(
        big_demo.execute("SELECT dimension, avg(experience - expectation) FROM survey_answers GROUP BY 1").fetchall()
    )
    planted = {"tangibles": 0.3, "reliability": -0.4, "responsiveness": -0.5, "assurance": -0.1, "empathy": 0.1}
    for dim, value in planted.items():
        assert gaps[dim] == pytest.approx(value, abs=0.1), dim


def test_gap_drives_overall_satisfaction(big_demo):
    corr = big_demo.execute("""
        SELECT corr(g, s.overall_satisfaction) FROM surveys s
        JOIN (SELECT response_id, avg(experience - expectation) g FROM survey_answers GROUP BY 1) a
        USING (response_id)""").fetchone()[0]
    assert corr > 0.4


REPURCHASE = """
    SELECT {group}, count(*) n, avg(CASE WHEN EXISTS (SELECT 1 FROM interactions i
        WHERE i.customer_id = e.customer_id AND i.kind = 'purchase'
          AND i.ts > e.{at} AND i.ts <= e.{at} + INTERVAL 365 DAY) THEN 1 ELSE 0 END) rate
    FROM {table} e WHERE e.{at} < TIMESTAMP '2025-10-31' GROUP BY 1"""


def test_satisfaction_five_vs_four(big_demo):
    rates = {
        int(k): r
        for k, n, r in big_demo.execute(
            REPURCHASE.format(group="overall_satisfaction", at="answered_at", table="surveys")
        ).fetchall()
    }
    assert rates[5] / rates[4] == pytest.approx(6, abs=1.5)  # deck 003: a 5 is worth six 4s
    assert rates[5] > rates[4] >= rates[2] * 0.9


def test_complaint_outcomes_near_deck(big_demo):
    rates = {
        k: r
        for k, n, r in big_demo.execute(
            REPURCHASE.format(group="outcome", at="opened_at", table="complaints")
        ).fetchall()
    }
    assert rates["resolved_quickly"] == pytest.approx(0.82, abs=0.07)
    assert rates["resolved"] == pytest.approx(0.54, abs=0.07)
    assert rates["unresolved"] == pytest.approx(0.19, abs=0.07)


def test_pareto_spend(big_demo):
    share = big_demo.execute("""
        WITH s AS (SELECT customer_id, sum(amount) v FROM interactions WHERE kind = 'purchase' GROUP BY 1),
        r AS (SELECT v, row_number() OVER (ORDER BY v DESC) rn, count(*) OVER () n FROM s)
        SELECT sum(v) FILTER (WHERE rn <= 0.2 * n) / sum(v) FROM r""").fetchone()[0]
    assert 0.70 <= share <= 0.82


def test_churn_linked_to_gaps_and_unresolved(big_demo):
    by_gap = dict(
        big_demo.execute("""
        SELECT g < -0.5, avg(churned::INT) FROM customers c JOIN (
            SELECT s.customer_id, avg(experience - expectation) g
            FROM surveys s JOIN survey_answers a USING (response_id)
            GROUP BY 1) USING (customer_id) GROUP BY 1""").fetchall()
    )
    assert by_gap[True] > by_gap[False] + 0.1
    by_outcome = dict(
        big_demo.execute("""
        SELECT outcome, avg(churned::INT) FROM complaints JOIN customers USING (customer_id) GROUP BY 1""").fetchall()
    )
    assert by_outcome["unresolved"] > by_outcome["resolved_quickly"] + 0.3


def test_regions_differ(big_demo):
    gaps = dict(
        big_demo.execute("""
        SELECT region, avg(experience - expectation) FROM customers JOIN surveys USING (customer_id)
        JOIN survey_answers USING (response_id) GROUP BY 1""").fetchall()
    )
    assert gaps["成都"] > gaps["武汉"] + 0.3
