"""Kept results (analytics/results.py) and the warm run (ui/warm.py): computed once per data
version, read by every later process, dropped by the next write, never a wrong answer."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from analytics import db, results
from analytics.filters import default_filters
from analytics.overview import key_figures
from tests.helpers import ROOT


def _row(con, name: str, value: object, version: int | None = None) -> results.Result:
    row = results.prepare(
        name, results.key_of((1,), ()), db.data_version(con) if version is None else version, value, 1.0
    )
    assert row is not None
    return row


def test_a_kept_result_reads_back_equal_for_its_version_only(con):
    figures = key_figures(con, default_filters(con), 5)
    assert results.store(con, [_row(con, "overview.key_figures", figures)]) == 1
    v = db.data_version(con)
    key = results.key_of((1,), ())
    assert results.load(con, "overview.key_figures", key, v) == figures
    assert results.missing(results.load(con, "overview.key_figures", key, v + 1))
    assert results.missing(results.load(con, "other.name", key, v))


def test_a_write_drops_older_results_and_an_old_snapshot_cannot_add_them_back(con):
    results.store(con, [_row(con, "a.b", [1, 2, 3])])
    old = db.data_version(con)
    with db.write_transaction(con, ["customers"]):
        pass
    assert results.summary(con)["results"] == 0
    assert con.execute("SELECT count(*) FROM results").fetchone()[0] == 0
    # a reader still on the old version hands its result over after the write: not kept
    assert results.store(con, [_row(con, "a.b", [1, 2, 3], version=old)]) == 0
    assert results.missing(results.load(con, "a.b", results.key_of((1,), ()), old))


def test_storing_again_replaces_and_quick_or_huge_results_are_not_kept(con):
    results.store(con, [_row(con, "a.b", "first")])
    results.store(con, [_row(con, "a.b", "second")])
    assert results.load(con, "a.b", results.key_of((1,), ()), db.data_version(con)) == "second"
    assert results.summary(con)["results"] == 1
    assert results.prepare("a.b", "k", 1, "quick", results.STORE_AFTER_SECONDS / 2) is None
    assert results.prepare("a.b", "k", 1, b"x" * (results.MAX_BYTES + 1), 5.0) is None
    assert results.prepare("a.b", "k", 1, lambda: None, 5.0) is None  # not picklable: memory only


def test_a_large_result_is_kept_apart_and_reads_back_equal(con):
    """Results over ``INLINE_BYTES`` go to ``result_blobs`` (with their row in ``results``), so
    reading a small one never reads a large one's bytes; both count in the budget and both go
    with the next write."""
    big, small = b"x" * (results.INLINE_BYTES + 1), [1, 2, 3]
    rows = [_row(con, "a.big", big), _row(con, "a.small", small)]
    assert len(rows[0].payload) > results.INLINE_BYTES >= len(rows[1].payload)
    assert results.store(con, rows) == 2
    v, key = db.data_version(con), results.key_of((1,), ())
    assert results.load(con, "a.big", key, v) == big and results.load(con, "a.small", key, v) == small
    inline = dict(con.execute("SELECT name, payload IS NOT NULL FROM results").fetchall())
    assert inline == {"a.big": False, "a.small": True}
    parts = con.execute("SELECT name, part, bytes FROM result_blobs ORDER BY part").fetchall()
    assert parts == [("a.big", i, len(p)) for i, p in enumerate(_parts(rows[0].payload))]
    assert results.summary(con) == {
        "results": 2,
        "seconds": 2.0,
        "bytes": len(rows[0].payload) + len(rows[1].payload),
    }
    results.store(con, [_row(con, "a.big", small)])  # stored again, now small: no blob left behind
    assert results.load(con, "a.big", key, v) == small
    assert con.execute("SELECT count(*) FROM result_blobs").fetchone()[0] == 0
    results.store(con, [_row(con, "a.big", big)])
    with db.write_transaction(con, ["customers"]):
        pass
    assert [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in results.TABLES] == [0, 0]


def test_a_large_result_is_not_kept_when_the_buffer_pool_has_no_room_for_it(tmp_path):
    """Keeping a large result holds it in DuckDB's memory until the commit; under a memory cap
    a failed insert's rollback could not pin its blocks and the process's database was lost
    (FATAL). A result the pool has no room for is not kept, and the connection works on."""
    with db.connect(tmp_path / "a.duckdb") as con:
        big = _row(con, "value.summary", os.urandom(40 << 20))
        con.execute("SET memory_limit = '64MB'")
        assert results.store(con, [big, _row(con, "a.small", [1, 2, 3])]) == 1  # the small one only
        assert results.missing(results.load(con, "value.summary", big.key, big.data_version))
        con.execute("SET memory_limit = '1GB'")
        assert results.store(con, [big]) == 1
        assert results.load(con, "value.summary", big.key, big.data_version) == pickle.loads(big.payload)
        assert con.execute("SELECT 42").fetchone() == (42,)


def _parts(payload: bytes) -> list[bytes]:
    return [payload[i : i + results.PART_BYTES] for i in range(0, len(payload), results.PART_BYTES)]


def test_an_unreadable_payload_is_a_miss(con):
    row = _row(con, "a.b", 1)
    results.store(con, [results.Result(row.name, row.key, row.data_version, 1.0, b"not a pickle")])
    assert results.missing(results.load(con, "a.b", row.key, row.data_version))


def test_the_key_of_filters_is_the_same_in_every_process(con):
    f = default_filters(con)
    args = (f.narrowed("region", "上海"), 5, ("a", "b"))
    code = (
        "import datetime; from analytics.filters import Filters; from analytics import results;"
        f"print(results.key_of({args!r}, (('days', 90),)))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == results.key_of(args, (("days", 90),))


def test_an_upgraded_program_never_reads_what_an_older_one_kept(tmp_path):
    """The key carries a fingerprint of the analytics' source: the same tree in another place
    gives the same key, one changed line of analytics gives another (its kept rows are misses)."""
    import shutil

    def key_in(tree) -> str:
        code = "from analytics import results; print(results.key_of((1,), ()))"
        env = {**os.environ, "PYTHONPATH": str(tree)}
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=tree, env=env, capture_output=True, text=True, check=True
        )
        return out.stdout.strip()

    for folder in results.SOURCES:
        shutil.copytree(ROOT / folder, tmp_path / "same" / folder, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / folder, tmp_path / "newer" / folder, ignore=shutil.ignore_patterns("__pycache__"))
    changed = tmp_path / "newer" / "analytics" / "overview.py"
    changed.write_text(changed.read_text() + "\n# a fix\n")
    assert key_in(tmp_path / "same") == results.key_of((1,), ())
    assert key_in(tmp_path / "newer") != results.key_of((1,), ())


def test_a_file_without_the_table_is_a_miss_not_an_error(tmp_path):
    import duckdb

    raw = duckdb.connect(str(tmp_path / "bare.duckdb"))
    assert results.missing(results.load(raw, "a.b", "k", 1))
    raw.close()


@pytest.fixture
def warmed(demo_copy, tmp_path):
    """A demo copy written by the CLI (an import of one row), which then warms the pages."""
    path = demo_copy(tmp_path / "warm.duckdb")
    csv = tmp_path / "one.csv"
    csv.write_text("customer_id,name,region\nW0001,Warm,上海\n", encoding="utf-8")
    env = {
        **os.environ,
        "CSAT_WARM": "1",
        "CSAT_DB": str(path),
        "CSAT_KEEP_AFTER_SECONDS": "0",
        "CSAT_WARM_GROUPS": "1",
    }
    out = subprocess.run(
        [sys.executable, "-m", "analytics", "import", "customers", str(csv), "--keep-demo", "--db", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    assert "pages precomputed" in out.stderr, out.stderr
    return path


def test_a_write_warms_every_page_and_a_new_process_recomputes_none_of_it(warmed, monkeypatch):
    # the kept results are in the file itself, not waiting in a .wal a copy of the file would miss
    if isinstance(warmed, Path):  # a lake commits each result to its catalog
        wal = warmed.with_name(warmed.name + ".wal")
        assert not wal.exists() or wal.stat().st_size == 0
    with db.connect(str(warmed), read_only=True) as c:
        kept = {(r[0], r[1]) for r in c.execute("SELECT name, key FROM results").fetchall()}
    names = {n for n, _ in kept}
    assert len(kept) >= 30, len(kept)
    assert {
        "overview.key_figures",
        "analytics.views.retention.warnings",
        "analytics.value.whatif.measure_assumptions_at",  # the training deck asks for its figures one by one
    } <= names
    # the default view and one per group filter (region, segment, channel, tier)
    assert sum(n == "overview.key_figures" for n, _ in kept) == 5
    # every page again in a new process: each kept call is read, none computed again
    monkeypatch.setenv("CSAT_DB", str(warmed))
    monkeypatch.setenv("CSAT_KEEP_AFTER_SECONDS", "0")
    monkeypatch.setenv("CSAT_WARM_GROUPS", "1")
    code = (
        "import json; from analytics import results; from ui import warm; computed = []; read = [];"
        "prepare, load = results.prepare, results.load;"
        "results.prepare = lambda name, key, *a: computed.append((name, key)) or prepare(name, key, *a);"
        "results.load = lambda con, name, key, v: read.append(name) or load(con, name, key, v);"
        "out = warm.warm(); print(json.dumps({**out, 'computed': computed, 'read': read}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    second = json.loads(out.stdout.strip().splitlines()[-1])
    assert second["group_views"] == 4
    assert second["errors"] == [], second["errors"]
    # the group table's raw pass is asked for inside the key figures and the group table only:
    # once those are kept, nothing asks for it again
    unread = {n for n, _ in kept} - set(second["read"])
    assert unread <= {"overview.period_figures"}, f"the pages did not ask for what was kept: {unread}"
    assert not kept & {tuple(c) for c in second["computed"]}, kept & {tuple(c) for c in second["computed"]}


def test_a_data_version_keeps_no_more_than_its_budget(con, monkeypatch):
    monkeypatch.setenv("CSAT_KEPT_MB", "1")
    v = db.data_version(con)
    big = [results.prepare("a.big", f"k{i}", v, b"x" * 400_000, 1.0) for i in range(4)]
    assert results.store(con, [r for r in big if r is not None]) == 2  # 2 × 400 kB fit in 1 MB, a third does not
    assert results.summary(con)["bytes"] <= 1024 * 1024
    with db.write_transaction(con, ["customers"]):  # the next version starts with the whole budget
        pass
    v2 = db.data_version(con)
    assert results.store(con, [results.prepare("a.big", "k", v2, b"x" * 400_000, 1.0)]) == 1


def test_a_file_of_schema_8_gets_the_blob_table_and_drops_what_an_older_program_kept(tmp_path):
    path = tmp_path / "old.duckdb"
    with db.connect(path) as c:
        results.store(c, [_row(c, "a.b", b"x" * 10)])
        c.execute("DROP TABLE result_blobs")
        db.set_meta(c, "schema_version", "8")
    with db.connect(path) as c:
        assert db.schema_version(c) == db.SCHEMA_VERSION == 10
        assert [c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in results.TABLES] == [0, 0]


def test_a_file_of_schema_9_drops_what_it_kept_and_notes_the_program_from_then_on(tmp_path):
    """Step 10: ``result_blobs`` in parts and ``results.program``; what a schema-9 file kept was
    computed by an older program and is dropped."""
    path = tmp_path / "old.duckdb"
    with db.connect(path) as c:
        small, big = _row(c, "a.small", [1, 2]), _row(c, "a.big", b"x" * (results.INLINE_BYTES + 1))
        c.execute("DROP TABLE results")
        c.execute("DROP TABLE result_blobs")
        c.execute("""CREATE TABLE results (name VARCHAR, key VARCHAR, data_version BIGINT, computed_at TIMESTAMP,
                     seconds DOUBLE, payload BLOB, PRIMARY KEY (name, key, data_version))""")
        c.execute(
            "CREATE TABLE result_blobs (name VARCHAR, key VARCHAR, data_version BIGINT, bytes BIGINT, payload BLOB)"
        )
        c.execute("INSERT INTO results VALUES (?, ?, ?, now(), 1.0, ?)", [small.name, small.key, 0, small.payload])
        c.execute("INSERT INTO results VALUES (?, ?, ?, now(), 1.0, NULL)", [big.name, big.key, 0])
        c.execute("INSERT INTO result_blobs VALUES (?, ?, ?, ?, ?)", [big.name, big.key, 0, 9, b"x"])
        db.set_meta(c, "schema_version", "9")
    with db.connect(path) as c:
        assert db.schema_version(c) == 10
        assert [c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in results.TABLES] == [0, 0]
        assert results.store(c, [small, big]) == 2
        assert results.load(c, "a.big", big.key, big.data_version) == pickle.loads(big.payload)
        assert c.execute("SELECT count(*) FROM result_blobs").fetchone()[0] == len(_parts(big.payload))
        assert c.execute("SELECT DISTINCT program FROM results").fetchall() == [(results.program(),)]


def test_results_of_another_program_are_dropped_by_the_first_store_of_a_process(con, monkeypatch):
    small, big = _row(con, "a.small", [1]), _row(con, "a.big", b"y" * (results.INLINE_BYTES + 1))
    assert results.store(con, [small, big]) == 2
    con.execute("UPDATE results SET program = 'an older one'")  # as an older program kept them
    monkeypatch.setattr(results, "_others_dropped", [])  # a new process
    assert results.store(con, [_row(con, "a.new", [2])]) == 1
    assert [r[0] for r in con.execute("SELECT name FROM results").fetchall()] == ["a.new"]
    assert con.execute("SELECT count(*) FROM result_blobs").fetchone()[0] == 0
    con.execute("UPDATE results SET program = 'an older one'")
    assert results.store(con, [_row(con, "a.other", [3])]) == 1  # once per process: the rest stay
    assert sorted(r[0] for r in con.execute("SELECT name FROM results").fetchall()) == ["a.new", "a.other"]
