"""A CSV is read once, straight into the typed table (analytics/io/staged.py): the lazy read
gives the same rows, messages and clean-up as a staged table did."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pytest

from analytics import db
from analytics.io.importer import FileReadError, ImportValidationError, import_file
from analytics.io.readers import stage_file
from analytics.io.validate import text_expr


@pytest.mark.parametrize(
    "cell, expected",
    [("C1", "C1"), (" C1", "C1"), ("C1  ", "C1"), ("  C 1 ", "C 1"), ("", None), ("   ", None), ("\tC1", "\tC1")],
)
def test_text_cells_lose_surrounding_spaces_only_when_they_have_them(cell, expected):
    con = duckdb.connect()
    assert con.execute(f"SELECT {text_expr('v')} FROM (SELECT ? AS v)", [cell]).fetchone()[0] == expected
    trimmed = con.execute("SELECT NULLIF(trim(?), '')", [cell]).fetchone()[0]
    assert trimmed == expected  # the shortcut is the full trim's result


def test_lazy_and_staged_reads_import_the_same_rows(tmp_path):
    csv = tmp_path / "orders.csv"
    csv.write_text(
        "customer_id,ts,kind,amount\n"
        " C1 ,2024-01-05,purchase, 12.5\n"
        'C2,2024/2/3,购买,"1,200"\n'
        "C3,2024年3月5日,visit,\n"
        '"C4","2024-04-01 10:00:00","  服务 ",  \n',
        encoding="utf-8",
    )
    with db.connect(tmp_path / "a.duckdb") as con:
        import_file(con, "interactions", csv)
        got = con.execute("SELECT customer_id, ts, kind, amount FROM interactions ORDER BY customer_id").fetchall()
        staged = stage_file(con, csv)  # the eager read, as the preview does
        assert staged.rows == 4 and not staged.lazy
    assert [r[0] for r in got] == ["C1", "C2", "C3", "C4"]
    assert [r[2] for r in got] == ["purchase", "purchase", "visit", "service"]
    assert [r[3] for r in got] == [12.5, 1200.0, None, None]
    assert str(got[2][1]) == "2024-03-05 00:00:00"


def test_errors_show_the_cell_as_written_and_a_range_error_its_value(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("customer_id,ts,kind,amount\nC1,31/31/2024,visit,\nC2,2024-01-01,purchase,-5\n", encoding="utf-8")
    with db.connect(tmp_path / "a.duckdb") as con, pytest.raises(ImportValidationError) as err:
        import_file(con, "interactions", csv)
    text = str(err.value)
    assert "line 2" in text and "not a date (use" in text and "'31/31/2024'" in text
    assert "line 3" in text and "negative purchase amount (value: '-5.0')" in text


def test_a_ragged_row_deep_in_a_lazy_read_names_its_line_and_writes_nothing(tmp_path):
    lines = ["customer_id,ts,kind"] + [f"C{i},2024-01-01,visit" for i in range(5000)] + ["C9,2024-01-01,visit,extra"]
    csv = tmp_path / "ragged.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with db.connect(tmp_path / "a.duckdb") as con:
        before = con.execute("SELECT count(*) FROM interactions").fetchone()[0]
        with pytest.raises(FileReadError, match=r"ragged.csv, line 5002: cannot be read as CSV: the row has 4 cells"):
            import_file(con, "interactions", csv)
        assert con.execute("SELECT count(*) FROM interactions").fetchone()[0] == before
        assert not con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
        assert not con.execute("SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal").fetchall()


def test_a_transcoded_copy_lives_until_the_import_ends(tmp_path):
    csv = tmp_path / "gbk.csv"
    csv.write_bytes("customer_id,ts,kind\n客户1,2024-01-01,到访\n客户2,2024-01-02,购买\n".encode("gb18030"))
    before = set(Path(tempfile.gettempdir()).glob("tmp*.csv"))
    with db.connect(tmp_path / "a.duckdb") as con:
        result = import_file(con, "interactions", csv, constants={"channel": "门店"})
        assert result["rows_added"] == 2
        assert con.execute("SELECT DISTINCT channel FROM interactions").fetchall() == [("门店",)]
        ids = con.execute("SELECT customer_id FROM interactions ORDER BY 1").fetchall()
        assert ids == [("客户1",), ("客户2",)]
    assert set(Path(tempfile.gettempdir()).glob("tmp*.csv")) == before


@pytest.mark.parametrize("twins", [False, True])
def test_new_rows_are_written_in_storage_order(tmp_path, twins):
    """Only new rows: sorted before their ids are computed; identical rows (numbered by a window,
    which does not keep order) are sorted after. Either way the table is in (customer, time) order."""
    import random

    rng = random.Random(7)
    lines = [
        f"C{rng.randrange(300):03d},2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 28):02d},visit"
        for _ in range(3000)
    ]
    if twins:
        lines += lines[:50]
    rng.shuffle(lines)
    csv = tmp_path / "shuffled.csv"
    csv.write_text("customer_id,ts,kind\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with db.connect(tmp_path / "a.duckdb") as con:
        assert import_file(con, "interactions", csv)["rows_added"] == len(lines)
        stored = con.execute("SELECT customer_id, ts FROM interactions ORDER BY rowid").fetchall()
    assert stored == sorted(stored)
