"""The per-customer tables every write keeps (tiers, early-warning signals, the churn threshold)
equal a from-scratch computation after any sequence of imports, re-imports, undo and restore."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import db
from analytics.backup import backup, restore
from analytics.demo import build_demo
from analytics.filters import customer_scope, default_filters
from analytics.io.importer import import_file
from analytics.io.undo import undo, undoable
from analytics.loyalty import churn, signals, tiers

END = dt.datetime(2025, 6, 30)
customers = st.sampled_from([f"C{i:07d}" for i in range(1, 60)] + ["N001", "N002"])
purchase = st.tuples(
    customers,
    st.integers(min_value=0, max_value=900).map(lambda d: END - dt.timedelta(days=d, hours=3)),
    st.sampled_from(["purchase", "service"]),
    st.floats(min_value=1, max_value=5000).map(lambda a: round(a, 2)),
)
complaint = st.tuples(customers, st.integers(min_value=0, max_value=300).map(lambda d: END - dt.timedelta(days=d)))
step = st.one_of(
    st.tuples(st.just("purchases"), st.lists(purchase, min_size=1, max_size=25)),
    st.tuples(st.just("complaints"), st.lists(complaint, min_size=1, max_size=8)),
    st.tuples(st.just("again"), st.none()),  # the last file once more (re-import: updates, no new rows)
    st.tuples(st.just("undo"), st.none()),
    st.tuples(st.just("restore"), st.none()),  # back to the backup taken at the start
)


def from_scratch(con) -> dict:
    """What the kept tables should hold, computed from the rows themselves."""
    f = default_filters(con)
    narrowed = f.narrowed("region", "上海")
    return {
        "warnings": churn.warnings_from_history(con, *customer_scope(f)),
        "warnings_shanghai": churn.warnings_from_history(con, *customer_scope(narrowed)),
        "churn_days": churn.churn_days_from_gaps(con),
        "tiers": _tiers(con, rebuild=True),
    }


def kept(con) -> dict:
    f = default_filters(con)
    assert signals.current(con) and db.versions(con).derived_current
    return {
        "warnings": churn.early_warnings(con, f),
        "warnings_shanghai": churn.early_warnings(con, f.narrowed("region", "上海")),
        "churn_days": churn.default_churn_days(con),
        "tiers": _tiers(con),
    }


def _tiers(con, rebuild: bool = False) -> pd.DataFrame:
    sql = "SELECT customer_id, revenue, orders, tier FROM customer_value ORDER BY customer_id"
    if not rebuild:
        return con.execute(sql).df()
    con.execute("BEGIN TRANSACTION")
    try:
        tiers._build(con, tiers.DEFAULT_CUTS)
        return con.execute(sql).df()
    finally:
        con.execute("ROLLBACK")


def _write(path: Path, kind: str, rows: list) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        if kind == "purchases":
            w.writerow(["customer_id", "ts", "kind", "amount"])
            w.writerows([c, ts.isoformat(sep=" "), k, a] for c, ts, k, a in rows)
        else:
            w.writerow(["complaint_id", "customer_id", "opened_at", "cause"])
            w.writerows([f"{path.stem}-{j}", c, ts.isoformat(sep=" "), "quality"] for j, (c, ts) in enumerate(rows))


def _assert_equal(con) -> None:
    want, got = from_scratch(con), kept(con)
    assert got["churn_days"] == want["churn_days"]
    w = want["warnings_shanghai"]
    counted = churn.warning_counts(con, default_filters(con).narrowed("region", "上海"))
    assert counted == (({k: int(w[k].fillna(False).sum()) for k in churn.WARNINGS} if len(w) else {}), len(w))
    for k in ("warnings", "warnings_shanghai", "tiers"):
        pd.testing.assert_frame_equal(got[k].reset_index(drop=True), want[k].reset_index(drop=True), check_dtype=False)


@pytest.fixture(scope="module")
def start(tmp_path_factory) -> Path:
    """A small demo and its backup, shared by every example (each works on its own copy)."""
    folder = tmp_path_factory.mktemp("signals")
    with db.connect(str(folder / "start.duckdb")) as con:
        build_demo(con, customers=60, seed=3)
        backup(con, folder / "backup")
        _assert_equal(con)
    return folder


@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=5))
def test_kept_tables_equal_a_fresh_computation_after_any_writes(start, steps):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shutil.copy(start / "start.duckdb", tmp / "db.duckdb")
        con = db.connect(str(tmp / "db.duckdb"))
        last: tuple[str, Path] | None = None
        for i, (kind, rows) in enumerate(steps):
            if kind in ("purchases", "complaints"):
                path = tmp / f"{i}.csv"
                _write(path, kind, rows)
                last = ("interactions" if kind == "purchases" else "complaints", path)
                import_file(con, last[0], path)
            elif kind == "again" and last is not None:
                import_file(con, last[0], last[1])
            elif kind == "undo":
                if (newest := undoable(con)) is not None:
                    undo(con, newest)
            elif kind == "restore":
                restore(con, start / "backup")
            _assert_equal(con)
        con.close()


def test_a_file_without_kept_signals_reads_them_from_the_history_and_the_app_builds_them(tmp_path):
    path = tmp_path / "old.duckdb"
    with db.connect(str(path)) as con:
        build_demo(con, customers=300, seed=5)
        want = from_scratch(con)
        con.execute("DELETE FROM meta WHERE key IN ('signals_version', 'churn_days')")
        con.execute("DROP TABLE customer_warnings")
    with db.connect(str(path), read_only=True) as ro:  # a second process: computes, keeps nothing
        assert not signals.current(ro) and not db.versions(ro).derived_current
        assert churn.default_churn_days(ro) == want["churn_days"]
        pd.testing.assert_frame_equal(churn.early_warnings(ro, default_filters(ro)), want["warnings"])
    with db.connect(str(path)) as con:  # the app's first run brings every derived table up to date
        tiers.refresh_customer_value(con)
        _assert_equal(con)
