"""Interactions are stored in customer order (``schema.STORAGE_ORDER``) by every write, so one
customer's rows sit in one row group and the Customer page reads that group, not the base."""

from __future__ import annotations

import json
import random

import pytest

from analytics import backup, customer, db
from analytics.demo import build_demo
from analytics.filters import Filters, default_filters
from analytics.io.importer import import_file
from analytics.loyalty import lifecycle, zones
from analytics.maintain import maintain

ROW_GROUP = 122_880  # DuckDB's rows per row group


def descents(con) -> int:
    """How many times the stored (customer_id, ts) order goes back: 0 for one sorted run,
    k for k + 1 runs."""
    return db.scalar(
        con,
        """SELECT count(*) FROM (SELECT customer_id, ts, lag(customer_id) OVER w AS pc, lag(ts) OVER w AS pt
           FROM interactions WINDOW w AS (ORDER BY rowid)) WHERE customer_id < pc OR (customer_id = pc AND ts < pt)""",
    )


def shuffle(con) -> None:
    """Rewrite interactions in a random order (as an older program, or a time-ordered load, left them)."""
    con.execute("CREATE TEMP TABLE _s AS SELECT * FROM interactions ORDER BY hash(interaction_id)")
    con.execute("DELETE FROM interactions")
    con.execute("INSERT INTO interactions SELECT * FROM _s")
    con.execute("DROP TABLE _s")
    assert descents(con) > 0


def _orders_csv(path, ids: list[str], seed: int) -> None:
    """Purchases in time order (as an order system exports them), customers interleaved."""
    rng = random.Random(seed)
    rows = sorted((f"2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)} 10:00:00", rng.choice(ids)) for _ in range(600))
    path.write_text(
        "customer_id,ts,kind,amount\n" + "".join(f"{c},{ts},purchase,{rng.randint(5, 90)}\n" for ts, c in rows)
    )


def test_demo_imports_maintain_migration_and_restore_keep_customer_order(tmp_path):
    path = tmp_path / "o.duckdb"
    with db.connect(path) as con:
        build_demo(con, customers=300, seed=3)
        assert descents(con) == 0
        ids = [r[0] for r in con.execute("SELECT customer_id FROM customers").fetchall()]
        for i in range(2):  # each import appends its rows as one sorted run
            _orders_csv(tmp_path / f"orders{i}.csv", ids + [f"NEW{i}{k}" for k in range(5)], seed=i)
            import_file(con, "interactions", tmp_path / f"orders{i}.csv")
        assert 1 <= descents(con) <= 2
        before = con.execute("SELECT * FROM interactions ORDER BY interaction_id").fetchall()
        version = db.data_version(con)
        maintain(con)  # one run again, the same rows, the same data version
        assert descents(con) == 0 and db.data_version(con) == version
        assert con.execute("SELECT * FROM interactions ORDER BY interaction_id").fetchall() == before
        backup.backup(con, tmp_path / "bk")
        shuffle(con)
        backup.restore(con, tmp_path / "bk")
        assert descents(con) == 0
        shuffle(con)
        db.set_meta(con, "schema_version", "7")  # a file of the previous program
    with db.connect(path) as con:  # migrated on open: step 8 sorts it
        assert db.schema_version(con) == db.SCHEMA_VERSION and descents(con) == 0
        assert con.execute("SELECT * FROM interactions ORDER BY interaction_id").fetchall() == before


def _rows_scanned(con, tmp_path, run) -> int:
    """Rows the table scans of the last statement ``run`` executes read (DuckDB's profiler)."""
    out = tmp_path / "profile.json"
    con.execute("SET enable_profiling = 'json'")
    con.execute(f"SET profiling_output = '{out}'")
    con.execute("""SET custom_profiling_settings = '{"CUMULATIVE_ROWS_SCANNED": "true"}'""")
    try:
        run()
    finally:
        con.execute("SET enable_profiling = 'no_output'")
    return json.loads(out.read_text())["cumulative_rows_scanned"]


def test_the_customer_page_reads_one_customers_row_group_not_the_base(big_demo, storage, tmp_path):
    """The Customer page's timeline, stage and zone of one of 50,000 customers (about 480,000
    interactions in four row groups) read at most one row group of interactions each."""
    if storage != "file":
        pytest.skip("row groups and zone maps of a DuckDB file")
    con = big_demo
    total = db.scalar(con, "SELECT count(*) FROM interactions")
    assert total > 3 * ROW_GROUP
    small = db.scalar(con, "SELECT (SELECT count(*) FROM surveys) + (SELECT count(*) FROM complaints)")
    f = default_filters(con)
    whole = Filters(f.start, f.end)
    for cid in ("C0000042", "C0031337", "C0049999"):
        calls = {
            "timeline": lambda c=cid: customer.timeline(con, c),
            "stage": lambda c=cid: lifecycle.stages(con, whole, f.end, 90, customer_id=c),
            "zone": lambda c=cid: zones.zones(con, whole, 2, customer_id=c),
        }
        for name, run in calls.items():
            scanned = _rows_scanned(con, tmp_path, run)
            assert scanned <= 2 * ROW_GROUP + small, (name, cid, scanned, total)


def test_search_finds_ids_by_prefix_and_names_by_contents(demo_con):
    """An id or its beginning reads a range of the id column; anything else (a name, an id in
    lower case, a middle part) is matched anywhere in id or name, case-insensitive."""
    assert list(customer.search(demo_con, "C0000042")["customer_id"]) == ["C0000042"]
    assert list(customer.search(demo_con, "C000004")["customer_id"]) == ["C000004" + str(d) for d in range(10)]
    assert list(customer.search(demo_con, "c0000042")["customer_id"]) == ["C0000042"]
    name = db.scalar(demo_con, "SELECT name FROM customers WHERE customer_id = 'C0000042'")
    by_name = customer.search(demo_con, name, limit=1000)
    assert "C0000042" in set(by_name["customer_id"]) and set(by_name["name"].str.contains(name, regex=False)) == {True}
    middle = customer.search(demo_con, "000042", limit=1000)
    assert set(middle["customer_id"]) == {
        r[0] for r in demo_con.execute("SELECT customer_id FROM customers WHERE customer_id LIKE '%000042%'").fetchall()
    }
