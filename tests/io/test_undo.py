"""Undo an import: every table back exactly as before (added rows gone, replaced rows restored,
attributes and bare customers too), newest first, and the file importable again."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analytics import db, origin
from analytics.cli import main
from analytics.io.importer import import_file
from analytics.io.undo import UndoError, undo, undoable

TABLES = ["customers", "interactions", "surveys", "survey_answers", "complaints", "customer_attributes"]


def _snapshot(con) -> dict[str, pd.DataFrame]:
    out = {}
    for t in TABLES:
        df = con.execute(f"SELECT * FROM {t}").df()
        out[t] = df.sort_values(list(df.columns)).reset_index(drop=True)
    return out


def _same(a: dict, b: dict) -> None:
    for t in TABLES:
        pd.testing.assert_frame_equal(a[t], b[t], check_dtype=False, obj=t)


@pytest.fixture
def demo_con(demo_copy, tmp_path):
    path = tmp_path / "u.duckdb"
    path = demo_copy(path)
    con = db.connect(path)
    yield con
    con.close()


def test_undo_restores_every_table_after_adds_updates_and_bare_customers(demo_con, tmp_path):
    con = demo_con
    before = _snapshot(con)
    # a customers file: one new customer, one changed (region), an attribute for both
    cust = tmp_path / "c.csv"
    cust.write_text("customer_id,region,会员等级\nC0000001,拉萨,金卡\nNEW1,上海,银卡\n", encoding="utf-8")
    first = import_file(con, "customers", cust)
    assert first["rows_added"] == 1 and first["rows_updated"] == 1
    middle = _snapshot(con)
    # interactions for an unknown customer (a bare customer) and a survey replacing a demo answer
    inter = tmp_path / "i.csv"
    inter.write_text("customer_id,ts,kind,amount\nGHOST,2026-10-01,purchase,99\nC0000002,2026-10-02,purchase,5\n")
    second = import_file(con, "interactions", inter)
    assert second["customers_created"] == 1
    assert undoable(con) == second["import_id"]
    with pytest.raises(UndoError, match="only the newest"):
        undo(con, first["import_id"])
    out = undo(con, second["import_id"])
    assert out["rows_removed"] == {"customers": 1, "interactions": 2}
    _same(_snapshot(con), middle)
    undo(con, first["import_id"])
    _same(_snapshot(con), before)
    assert origin.origin(con) == "demo"  # the demo alone again: the banner says demo, not mixed
    assert import_file(con, "customers", cust)["rows_added"] == 1  # importable again, not "already imported"


def test_undo_of_a_first_import_empties_the_tables_it_filled(tmp_path):
    con = db.connect(tmp_path / "e.duckdb")
    f = tmp_path / "s.csv"
    f.write_text(
        "response_id,customer_id,answered_at,overall_satisfaction,reliability.expectation,reliability.experience\n"
        "R1,A,2026-01-02,4,4,5\nR2,B,2026-01-03,2,5,2\n"
    )
    res = import_file(con, "surveys", f, scale="1-5")
    assert db.table_counts(con)["survey_answers"] == 2
    kept = db.scalar(con, "SELECT count(*) FROM import_undo WHERE kind = 'added'")
    assert kept == 0  # tables filled from empty keep no keys: undo empties them
    undo(con, res["import_id"])
    assert not any(db.table_counts(con).values())
    con.close()


def test_undo_from_the_cli_and_its_refusals(demo_copy, tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    path = demo_copy(path)
    f = tmp_path / "k.csv"
    f.write_text("complaint_id,customer_id,opened_at,cause\nKX1,C0000003,2026-09-01,packaging\n")
    assert main(["import", "complaints", str(f), "--db", str(path), "--keep-demo", "--no-fit", "--quiet"]) == 0
    import_id = json.loads(capsys.readouterr().out)["import_id"]
    assert main(["undo", str(import_id + 5), "--db", str(path)]) == 2
    assert "no such import" in capsys.readouterr().err
    assert main(["undo", str(import_id), "--db", str(path), "--no-fit"]) == 0
    assert json.loads(capsys.readouterr().out)["rows_removed"] == {"complaints": 1}
    with db.connect(path, read_only=True) as con:
        assert db.scalar(con, "SELECT count(*) FROM complaints WHERE complaint_id = 'KX1'") == 0
        assert db.scalar(con, "SELECT count(*) FROM import_log") == 0
