"""A company's own data into a database that holds the demo: replace or keep it, constant
columns, clear, and a new mapping being a new import (issue 15), through the real CLI."""

from __future__ import annotations

import json

import pytest

from analytics import db, origin
from analytics.cli import main
from tests.helpers import ROOT

ORDERS = ROOT / "data" / "samples" / "orders_gb18030.csv"


@pytest.fixture
def demo_copy(demo_copy, tmp_path):
    path = tmp_path / "d.duckdb"
    path = demo_copy(path)
    return path


def _counts(path) -> dict[str, int]:
    with db.connect(path, read_only=True) as con:
        return {**db.table_counts(con), "origin": origin.origin(con)}


def _orders() -> tuple[int, int]:
    lines = ORDERS.read_bytes().decode("gb18030").splitlines()[1:]
    return len(lines), len({ln.split(",")[0] for ln in lines})


def test_an_order_log_into_the_demo_must_say_replace_or_keep(demo_copy, capsys):
    before = _counts(demo_copy)
    assert before["origin"] == "demo"
    assert main(["import", "interactions", str(ORDERS), "--db", str(demo_copy), "--set", "kind=purchase"]) == 2
    err = capsys.readouterr().err
    assert (
        "orders_gb18030.csv" in err and "--replace-demo" in err and "--keep-demo" in err and len(err.splitlines()) == 1
    )
    assert _counts(demo_copy) == before


def test_replace_demo_leaves_only_the_company_s_rows(demo_copy, capsys):
    code = main(
        ["import", "interactions", str(ORDERS), "--db", str(demo_copy), "--set", "kind=purchase", "--replace-demo"]
        + ["--no-fit"]
    )
    out = json.loads(capsys.readouterr().out)
    rows, customers = _orders()
    assert code == 0 and out["rows_added"] == rows and out["demo_replaced"] and out["ignored_columns"] == ["数量"]
    after = _counts(demo_copy)
    assert after["interactions"] == rows and after["customers"] == customers and after["surveys"] == 0
    assert after["origin"] == "own"
    with db.connect(demo_copy, read_only=True) as con:
        assert db.scalar(con, "SELECT count(*) FROM customer_value") == customers  # tiers rebuilt on the new data
        assert db.scalar(con, "SELECT count(*) FROM interactions WHERE kind <> 'purchase'") == 0


def test_a_rejected_file_with_replace_demo_keeps_the_demo(demo_copy, capsys):
    before = _counts(demo_copy)
    code = main(["import", "interactions", str(ORDERS), "--db", str(demo_copy), "--set", "kind=buy", "--replace-demo"])
    err = capsys.readouterr().err
    assert code == 2 and "kind=buy" in err and "line 2" in err  # the constant column is named like any other
    assert _counts(demo_copy) == before


def test_keep_demo_marks_the_data_mixed(demo_copy, capsys):
    before = _counts(demo_copy)
    argv = ["import", "interactions", str(ORDERS), "--db", str(demo_copy), "--set", "kind=purchase", "--keep-demo"]
    assert main(argv + ["--no-fit"]) == 0
    rows, customers = _orders()
    after = _counts(demo_copy)
    assert after["origin"] == "mixed" and after["interactions"] == before["interactions"] + rows
    assert after["customers"] == before["customers"] + customers


def test_the_same_file_with_another_constant_is_a_new_import(demo_copy, capsys):
    base = ["import", "interactions", str(ORDERS), "--db", str(demo_copy), "--replace-demo", "--no-fit"]
    assert main(base + ["--set", "kind=purchase"]) == 0
    again = ["import", "interactions", str(ORDERS), "--db", str(demo_copy), "--no-fit", "--set", "kind=purchase"]
    assert main(again) == 0 and "already_imported" in capsys.readouterr().out.splitlines()[-1]
    assert main(again[:-1] + ["channel=门店", "--set", "kind=purchase"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "already_imported" not in out and out["rows_added"] == _orders()[0]  # a new channel: new rows


def test_clear_empties_the_database_and_the_demo_does_not_come_back(demo_copy, capsys):
    assert main(["clear", "--db", str(demo_copy)]) == 2 and "--yes" in capsys.readouterr().err
    assert main(["clear", "--db", str(demo_copy), "--yes"]) == 0
    cleared = json.loads(capsys.readouterr().out)["cleared"]
    assert cleared["customers"] == 5000
    after = _counts(demo_copy)
    assert after["origin"] == "empty" and not any(v for k, v in after.items() if k != "origin")
    with db.connect(demo_copy, read_only=True) as con:
        assert not db.is_empty(con)  # written: the app does not rebuild the demo on it
        assert db.scalar(con, "SELECT count(*) FROM customer_value") == 0


def test_import_problems_read_in_chinese_on_the_data_page(tmp_path):
    """Every problem of a file with many kinds of mistakes has a Chinese form (locales/*/problems.py)."""
    import re

    from analytics.io.importer import ImportValidationError, import_file
    from locales.catalog import problem

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "customer_id,ts,kind,amount\nA,2026-01-01,buy,5\nB,2026-13-45,purchase,x\nC,2099-01-01,purchase,-3\n",
        encoding="utf-8",
    )
    con = db.connect(":memory:")
    with pytest.raises(ImportValidationError) as err:
        import_file(con, "interactions", bad)
    problems = [p for _, _, p in err.value.errors]
    assert len(problems) >= 4
    for p in problems:
        zh = problem(p, "zh-CN")
        assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"\b(not a|unknown|date in|negative)\b", zh), zh
    missing = tmp_path / "nokind.csv"
    missing.write_text("customer_id,ts\nA,2026-01-01\n", encoding="utf-8")
    with pytest.raises(ImportValidationError) as err:
        import_file(con, "interactions", missing)
    assert err.value.missing == ["kind"] and problem(err.value.errors[0][2], "zh-CN").startswith("缺少必需的列")


def test_surveys_without_an_answer_date_take_one_for_every_row(tmp_path, capsys):
    f = tmp_path / "wave.csv"
    f.write_text("客户编号,总体满意度,推荐意愿\nA1,4,9\nA2,2,3\n", encoding="utf-8")
    path = tmp_path / "w.duckdb"
    assert main(["import", "surveys", str(f), "--db", str(path), "--no-fit", "--quiet"]) == 2
    assert "--set answered_at=VALUE" in capsys.readouterr().err  # the missing date, and how to give one
    argv = ["import", "surveys", str(f), "--db", str(path), "--no-fit", "--quiet", "--set", "answered_at=2026-03-31"]
    assert main(argv + ["--set", "survey=2026 Q1"]) == 0
    with db.connect(path, read_only=True) as con:
        rows = con.execute("SELECT DISTINCT answered_at::DATE, survey, scale_max FROM surveys").fetchall()
    import datetime as dt

    assert rows == [(dt.date(2026, 3, 31), "2026 Q1", 5.0)]
