"""Tiers, Pareto, zones and lifecycle on hand-made cases, and on the demo."""

import datetime as dt

import pandas as pd
import pytest

from analytics import db
from analytics.demo import build_demo
from analytics.filters import Filters, default_filters
from analytics.loyalty import lifecycle, pyramid, zones

P = Filters(dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def buy(con, rows):
    con.executemany(
        "INSERT INTO interactions (interaction_id, customer_id, ts, kind, amount) VALUES (?, ?, ?, 'purchase', ?)",
        [(f"i{k}", c, ts, a) for k, (c, ts, a) in enumerate(rows)],
    )
    con.executemany("INSERT INTO customers (customer_id) VALUES (?)", [(c,) for c in sorted({r[0] for r in rows})])


def test_pareto_and_pyramid_by_hand(con):
    # 10 buyers: one spends 55, the rest 5 each → top 10 % bring 55 %
    buy(con, [("A", "2024-03-01", 55.0)] + [(f"B{i}", "2024-03-01", 5.0) for i in range(9)])
    curve = pyramid.pareto_curve(con, P)
    assert pyramid.top_share(curve, 0.1) == pytest.approx(0.55)
    assert pyramid.top_share(curve, 0.2) == pytest.approx(0.60)
    pyr = pyramid.pyramid(con, P, cuts=(0.1, 0.2, 0.5)).set_index("tier")
    assert pyr.loc["key", "customers"] == 1 and pyr.loc["key", "revenue_share"] == pytest.approx(0.55)
    assert pyr["customers"].sum() == 10
    assert (pyr.loc["important", "customers"], pyr.loc["ordinary", "customers"], pyr.loc["small", "customers"]) == (
        1,
        3,
        5,
    )


def test_zones_by_hand(con):
    buy(
        con,
        [
            ("A", "2024-06-01", 1.0),
            ("A", "2024-07-01", 1.0),
            ("B", "2024-06-01", 1.0),
            ("C", "2024-06-01", 1.0),
            ("C", "2024-08-01", 1.0),
            ("D", "2024-06-01", 1.0),
            ("E", "2024-06-01", 1.0),
        ],
    )
    for cid, overall, nps in (("A", 5, 10), ("B", 5, 9), ("C", 2, 8), ("D", 1, 0), ("E", 3, 5)):
        con.execute(
            "INSERT INTO surveys VALUES (?, ?, '2024-09-01', ?, ?, NULL, 1, 5, 't', NULL)",
            [f"r{cid}", cid, overall, nps],
        )
    z = zones.zones(con, P, repeat_min=2).set_index("customer_id")["zone"].to_dict()
    assert z == {"A": "apostle", "B": "mercenary", "C": "hostage", "D": "terrorist", "E": "defector"}


def test_lifecycle_by_hand(con):
    rows = [("new", "2024-12-01", 1.0)]
    rows += [("gone", "2024-01-05", 1.0), ("gone", "2024-02-05", 1.0)]
    rows += [("steady", f"2024-{m:02d}-10", 1.0) for m in range(1, 13)] + [("steady", "2023-01-10", 1.0)]
    rows += [("fading", f"2024-{m:02d}-10", 1.0) for m in (1, 2, 3, 4, 5, 6)] + [
        ("fading", "2024-11-01", 1.0),
        ("fading", "2023-01-01", 1.0),
    ]
    buy(con, rows)
    s = lifecycle.stages(con, P, dt.date(2024, 12, 31), churn_days=120).set_index("customer_id")["stage"].to_dict()
    assert s == {"new": "acquisition", "gone": "exit", "steady": "maturity", "fading": "decline"}


def test_demo_pareto_and_zones(big_demo):
    f = default_filters(big_demo, "all")
    assert 0.65 <= pyramid.top_share(pyramid.pareto_curve(big_demo, f)) <= 0.85
    counts = zones.zone_counts(zones.zones(big_demo, f))
    assert all(counts[z] > 0 for z in zones.ZONES)
    assert sum(counts.values()) > 10_000


def test_one_customer_matches_the_whole_base(demo_con):
    f = default_filters(demo_con, "all")
    whole = zones.zones(demo_con, f).set_index("customer_id")["zone"]
    cid = whole.index[0]
    assert zones.zones(demo_con, f, customer_id=cid)["zone"].tolist() == [whole[cid]]
    st_all = lifecycle.stages(demo_con, f, f.end, 150).set_index("customer_id")["stage"]
    assert lifecycle.stages(demo_con, f, f.end, 150, customer_id=cid)["stage"].tolist() == [st_all[cid]]


@pytest.mark.parametrize("region", [None, "上海"])
def test_stage_counts_and_flows_from_one_pass_equal_each_on_its_own(demo_con, region):
    """The Retention page reads both from ``transitions``: the counts equal the per-customer
    stages counted, the flows equal each customer's stage a year before against now."""
    f = default_filters(demo_con)
    f = f.narrowed("region", region) if region else f
    t = lifecycle.transitions(demo_con, f, f.end, 150)
    assert lifecycle.counts_now(t) == lifecycle.stage_counts(lifecycle.stages(demo_con, f, f.end, 150))
    was = lifecycle.stages(demo_con, f, f.end - dt.timedelta(days=365), 150).set_index("customer_id")["stage"]
    now = lifecycle.stages(demo_con, f, f.end, 150).set_index("customer_id")["stage"]
    pairs = pd.DataFrame({"source": was.reindex(now.index).fillna("new"), "target": now})
    pairs = pairs[~((pairs["source"] == "exit") & (pairs["target"] == "exit"))]
    expected = pairs.value_counts().rename("customers").reset_index().sort_values(["source", "target"])
    got = lifecycle.flows_of(t).sort_values(["source", "target"])
    assert got.to_dict("list") == expected.reset_index(drop=True).to_dict("list")


def test_writes_rebuild_tiers_in_their_own_transaction(con, tmp_path):
    """Import and demo build leave customer_value at the new data version (no rebuild on first
    read); a survey-only import carries the version forward without recomputing tiers."""
    from analytics.io.importer import import_file

    build_demo(con, customers=200, seed=3)
    assert db.get_meta(con, "customer_value_version") == str(db.data_version(con))
    csv = tmp_path / "p.csv"
    csv.write_text("customer_id,ts,kind,amount\nNEW1,2024-01-05,purchase,99999999\n", encoding="utf-8")
    import_file(con, "interactions", csv)
    assert db.get_meta(con, "customer_value_version") == str(db.data_version(con))
    assert con.execute("SELECT tier, revenue FROM customer_value WHERE customer_id = 'NEW1'").fetchone() == (
        "key",
        99999999.0,
    )
    before = con.execute("SELECT count(*) FROM customer_value").fetchone()[0]
    s = tmp_path / "s.csv"
    s.write_text(
        "response_id,customer_id,answered_at,overall_satisfaction\nRX,C0000001,2024-01-06,4\n", encoding="utf-8"
    )
    import_file(con, "surveys", s, scale="1-5")
    assert db.get_meta(con, "customer_value_version") == str(db.data_version(con))
    assert con.execute("SELECT count(*) FROM customer_value").fetchone()[0] == before


def test_customers_without_purchases_are_small_whatever_their_number(con, tmp_path):
    """A customers-only export with two buyers in 20: the 18 who never bought tie at zero
    revenue, which ranked them all first ('key') before; they are the pyramid's base."""
    from analytics.io.importer import import_file

    people = tmp_path / "c.csv"
    people.write_text("customer_id,name\n" + "".join(f"P{i:02d},N{i}\n" for i in range(20)), encoding="utf-8")
    import_file(con, "customers", people)
    assert {r[0] for r in con.execute("SELECT DISTINCT tier FROM customer_value").fetchall()} == {"small"}
    orders = tmp_path / "o.csv"
    orders.write_text("customer_id,ts,kind,amount\nP00,2024-01-05,purchase,500\nP01,2024-01-06,purchase,20\n")
    import_file(con, "interactions", orders)
    tiers = dict(con.execute("SELECT customer_id, tier FROM customer_value").fetchall())
    assert tiers["P00"] == "key" and tiers["P01"] == "important"
    assert {t for c, t in tiers.items() if c not in ("P00", "P01")} == {"small"}
