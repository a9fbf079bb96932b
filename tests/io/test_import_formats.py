"""Real files in every supported format, encoding and survey shape."""

import csv
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from analytics import db
from analytics.io.importer import import_file
from tests.helpers import ROOT

SAMPLES = ROOT / "data" / "samples"
WIDE_MAP = {
    "RespID": "response_id",
    **{
        f"Q{i}{p}": f"{d}.{part}"
        for i, d in enumerate(["tangibles", "reliability", "responsiveness", "assurance", "empathy"], 1)
        for p, part in (("a", "expectation"), ("b", "experience"))
    },
}


def write_csv(path, rows, encoding="utf-8", delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def test_gbk_customers_with_chinese_headers_and_attribute(con):
    res = import_file(con, "customers", SAMPLES / "customers_gbk.csv")
    assert res["rows_added"] == 3
    row = con.execute("SELECT name, signup_date, region FROM customers WHERE customer_id = 'A002'").fetchone()
    assert row == ("李强", dt.date(2024, 4, 18), "北京")
    attrs = con.execute("SELECT attribute, value_text FROM customer_attributes WHERE customer_id = 'A001'").fetchall()
    assert attrs == [("会员等级", "金卡")]


def test_bom_semicolon_interactions(con):
    res = import_file(con, "interactions", SAMPLES / "interactions_bom.csv")
    assert res["rows_added"] == 5 and res["customers_created"] == 3
    assert con.execute("SELECT amount FROM interactions WHERE interaction_id = 'T2'").fetchone()[0] == 1060.0
    assert con.execute("SELECT amount FROM interactions WHERE interaction_id = 'T3'").fetchone()[0] is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_encodings_and_delimiters(con, tmp_path, encoding, delimiter):
    rows = [
        ["客户编号", "日期", "类型", "金额"],
        ["张三", "2024-03-05", "purchase", "12.5"],
        ["李四", "2024/3/6", "service", ""],
    ]
    path = write_csv(tmp_path / "x.csv", rows, encoding, delimiter)
    import_file(con, "interactions", path)
    got = con.execute("SELECT customer_id, ts, amount FROM interactions ORDER BY ts").fetchall()
    assert got == [("张三", dt.datetime(2024, 3, 5), 12.5), ("李四", dt.datetime(2024, 3, 6), None)]


def test_date_forms(con, tmp_path):
    forms = ["2024-03-05", "20240305", "2024/3/5", "2024年3月5日", "2024-03-05 00:00:00", "2024-03-05T00:00:00"]
    rows = [["customer_id", "ts", "kind"]] + [[f"C{i}", f, "visit"] for i, f in enumerate(forms)]
    import_file(con, "interactions", write_csv(tmp_path / "d.csv", rows))
    assert {r[0] for r in con.execute("SELECT DISTINCT ts FROM interactions").fetchall()} == {dt.datetime(2024, 3, 5)}


def test_xlsx_with_date_cells_and_excel_serials(con):
    res = import_file(con, "complaints", SAMPLES / "complaints.xlsx")
    assert res["rows_added"] == 3
    k3 = con.execute("SELECT opened_at, resolved_at FROM complaints WHERE complaint_id = 'K3'").fetchone()
    assert k3 == (dt.datetime(2024, 7, 27), dt.datetime(2024, 8, 6))  # Excel serials 45500, 45510
    k1 = con.execute("SELECT resolved_at - opened_at FROM complaints WHERE complaint_id = 'K1'").fetchone()[0]
    assert k1 == dt.timedelta(hours=8)


def test_xlsx_named_sheet(con, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["ignored"])
    ws = wb.create_sheet("data")
    ws.append(["customer_id", "name"])
    ws.append(["X1", "甲"])
    wb.save(tmp_path / "c.xlsx")
    import_file(con, "customers", tmp_path / "c.xlsx", sheet="data")
    assert con.execute("SELECT name FROM customers").fetchall() == [("甲",)]


def test_parquet(con, tmp_path):
    frame = pd.DataFrame(
        {
            "customer_id": ["P1", "P2"],
            "ts": pd.to_datetime(["2024-01-02 03:04:05", "2024-02-03 00:00:00"]),
            "kind": ["purchase", "purchase"],
            "amount": [10.0, 20.5],
        }
    )
    frame.to_parquet(tmp_path / "i.parquet")
    res = import_file(con, "interactions", tmp_path / "i.parquet")
    assert res["rows_added"] == 2
    assert con.execute("SELECT sum(amount), min(ts) FROM interactions").fetchone() == (
        30.5,
        dt.datetime(2024, 1, 2, 3, 4, 5),
    )


def test_parquet_directory(con, tmp_path):
    for part in ("2024", "2025"):
        (tmp_path / "ds" / f"year={part}").mkdir(parents=True)
        pd.DataFrame({"customer_id": [f"P{part}"], "ts": [f"{part}-05-01"], "kind": ["visit"]}).to_parquet(
            tmp_path / "ds" / f"year={part}" / "part-0.parquet"
        )
    res = import_file(con, "interactions", tmp_path / "ds")
    assert res["rows_added"] == 2


def test_wide_survey_with_question_codes(con):
    res = import_file(con, "surveys", SAMPLES / "survey_wide.csv", mapping=WIDE_MAP, scale="1-5")
    assert res["rows_added"] == 3 and res["scale"] == "1-5"
    assert con.execute("SELECT count(*) FROM survey_answers").fetchone()[0] == 15
    gap = con.execute(
        "SELECT experience - expectation FROM survey_answers WHERE response_id = 'S2' AND dimension = 'reliability'"
    ).fetchone()[0]
    assert gap == -3
    assert con.execute("SELECT customer_id FROM surveys WHERE response_id = 'S3'").fetchone()[0] is None  # anonymous


def test_long_survey_keeps_its_scale(con):
    res = import_file(con, "surveys", SAMPLES / "survey_long_1to7.csv", scale="1-7")
    assert res["rows_added"] == 2
    assert con.execute("SELECT DISTINCT scale_min, scale_max FROM surveys").fetchall() == [(1.0, 7.0)]
    assert con.execute("SELECT count(*) FROM survey_answers WHERE response_id = 'L1'").fetchone()[0] == 5


def test_scale_inferred_when_not_declared(con, tmp_path):
    rows = [["response_id", "answered_at", "overall_satisfaction"], ["A", "2024-01-01", "6"]]
    res = import_file(con, "surveys", write_csv(tmp_path / "s.csv", rows))
    assert res["scale"] == "1-7"


def test_reimport_same_file_changes_nothing(con):
    import_file(con, "interactions", SAMPLES / "interactions_bom.csv")
    before = db.data_version(con)
    res = import_file(con, "interactions", SAMPLES / "interactions_bom.csv")
    assert res["rows_added"] == 0 and "already_imported" in res
    assert db.data_version(con) == before
    assert con.execute("SELECT count(*) FROM interactions").fetchone()[0] == 5


def test_upsert_counts_added_updated_skipped(con, tmp_path):
    a = write_csv(tmp_path / "a.csv", [["customer_id", "name", "region"], ["1", "甲", "上海"], ["2", "乙", "北京"]])
    b = write_csv(tmp_path / "b.csv", [["customer_id", "name"], ["1", "甲"], ["2", "乙二"], ["3", "丙"]])
    import_file(con, "customers", a)
    res = import_file(con, "customers", b)
    assert (res["rows_added"], res["rows_updated"], res["rows_skipped"]) == (1, 1, 1)
    # a column the second file lacks keeps its stored value
    assert con.execute("SELECT name, region FROM customers WHERE customer_id = '2'").fetchone() == ("乙二", "北京")


def test_same_rows_in_a_new_file_are_not_duplicated(con, tmp_path):
    rows = [
        ["customer_id", "ts", "kind", "amount"],
        ["1", "2024-01-01", "purchase", "5"],
        ["1", "2024-01-01", "purchase", "5"],
    ]  # two identical purchases are two purchases
    import_file(con, "interactions", write_csv(tmp_path / "a.csv", rows))
    res = import_file(con, "interactions", write_csv(tmp_path / "b.csv", rows + [["2", "2024-01-02", "visit", ""]]))
    assert (res["rows_added"], res["rows_skipped"]) == (1, 2)
    assert con.execute("SELECT count(*) FROM interactions").fetchone()[0] == 3


def test_unknown_customers_create_bare_rows(con, tmp_path):
    rows = [["customer_id", "complaint_id", "opened_at"], ["N1", "K1", "2024-01-01"], ["N1", "K2", "2024-01-02"]]
    res = import_file(con, "complaints", write_csv(tmp_path / "k.csv", rows))
    assert res["customers_created"] == 1
    assert con.execute("SELECT customer_id, name FROM customers").fetchall() == [("N1", None)]


def test_log_records_the_import(con):
    import_file(con, "customers", SAMPLES / "customers_gbk.csv")
    row = con.execute("SELECT file_name, table_name, rows, length(content_hash) FROM import_log").fetchone()
    assert row == ("customers_gbk.csv", "customers", 3, 64)


@pytest.mark.parametrize(
    "text, encoding, expected",
    [
        ("客户编号,姓名\nA1,抓\n", "gb18030", "gb18030"),  # one GBK char that is also valid UTF-8
        ("客户编号,姓名\nA1,王芳\n", "utf-8", "utf-8"),
        ("customer_id,name\nA1,José Müller\n", "utf-8", "utf-8"),  # Latin letters stay UTF-8
        ("customer_id,name\nA1,王芳\n", "gb18030", "gb18030"),
    ],
)
def test_encoding_detection(text, encoding, expected):
    from analytics.io.readers import detect_encoding

    assert detect_encoding(text.encode(encoding), complete=True) == expected
