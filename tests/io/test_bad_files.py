"""Each bad file is rejected with file, line and column named, and nothing changes."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from analytics.io.importer import FileReadError, ImportValidationError, import_file
from tests.helpers import ROOT, snapshot

GOOD_I = ["customer_id", "ts", "kind", "amount"]


def text(content: str, encoding="utf-8") -> bytes:
    return content.encode(encoding)


def rows(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


# name: (table, file bytes or builder, options, expected fragments of the message)
CASES = {
    "empty": ("interactions", b"", {}, ["empty"]),
    "header_only": ("interactions", rows("customer_id,ts,kind"), {}, ["no data rows"]),
    "missing_required": (
        "interactions",
        rows("customer_id,kind", "C1,purchase"),
        {},
        ['"ts"', "required column missing"],
    ),
    "bad_date": (
        "interactions",
        rows("customer_id,ts,kind", "C1,2024-01-01,visit", "C2,31/31/2024,visit"),
        {},
        ["line 3", '"ts"', "not a date"],
    ),
    "future_date": ("interactions", rows("customer_id,ts,kind", "C1,2099-01-01,visit"), {}, ["line 2", "future"]),
    "ancient_date": ("interactions", rows("customer_id,ts,kind", "C1,1800-01-01,visit"), {}, ["line 2", "before 1900"]),
    "negative_amount": (
        "interactions",
        rows(",".join(GOOD_I), "C1,2024-01-01,purchase,-5"),
        {},
        ["line 2", '"amount"', "negative"],
    ),
    "text_amount": (
        "interactions",
        rows(",".join(GOOD_I), "C1,2024-01-01,purchase,12", "C1,2024-01-02,purchase,twelve"),
        {},
        ["line 3", '"amount"', "not a number"],
    ),
    "duplicate_key": (
        "interactions",
        rows("interaction_id,customer_id,ts,kind", "I1,C1,2024-01-01,visit", "I1,C2,2024-01-02,visit"),
        {},
        ["line 3", "duplicate key", "first on line 2"],
    ),
    "nps_11": (
        "surveys",
        rows("response_id,answered_at,nps", "R1,2024-01-01,11"),
        {"scale": "1-5"},
        ["line 2", '"nps"', "0–10"],
    ),
    "nps_fraction": ("surveys", rows("response_id,answered_at,nps", "R1,2024-01-01,7.5"), {"scale": "1-5"}, ['"nps"']),
    "score_outside_scale": (
        "surveys",
        rows("response_id,answered_at,overall_satisfaction", "R1,2024-01-01,4", "R2,2024-01-01,7"),
        {"scale": "1-5"},
        ["line 3", "outside the declared scale 1–5"],
    ),
    "duplicate_header": (
        "interactions",
        rows("customer_id,ts,kind,ts", "C1,2024-01-01,visit,2024-01-01"),
        {},
        ["line 1", "appears twice"],
    ),
    "empty_header_cell": ("interactions", rows("customer_id,,kind", "C1,2024-01-01,visit"), {}, ["header is empty"]),
    "nul_bytes": ("interactions", b"customer_id,ts,kind\nC1,2024-01-01,vi\x00sit\n", {}, ["NUL"]),
    "unbalanced_quotes": (
        "interactions",
        rows("customer_id,ts,kind", 'C1,2024-01-01,"visit', "C2,2024-01-02,visit"),
        {},
        ["line 2", "unbalanced quotes"],
    ),
    "ragged_row": (
        "interactions",
        rows("customer_id,ts,kind", "C1,2024-01-01,visit,extra,cells"),
        {},
        ["line 2", "cells but the header has 3"],
    ),
    "resolved_before_opened": (
        "complaints",
        rows("complaint_id,customer_id,opened_at,resolved_at", "K1,C1,2024-02-01,2024-01-01"),
        {},
        ["line 2", "resolved before"],
    ),
    "empty_key": (
        "complaints",
        rows("complaint_id,customer_id,opened_at", ",C1,2024-02-01"),
        {},
        ["line 2", "empty key"],
    ),
    "unknown_customer_strict": (
        "interactions",
        rows("customer_id,ts,kind", "NOPE,2024-01-01,visit"),
        {"strict": True},
        ["line 2", "unknown customer"],
    ),
    "bad_boolean": ("customers", rows("customer_id,churned", "C1,maybe"), {}, ["line 2", '"churned"', "yes/no"]),
    "mixed_encoding": (
        "interactions",
        "customer_id,ts,kind\n张三,2024-01-01,visit\n".encode() + "李四,2024-01-01,visit\n".encode("gbk"),
        {},
        ["line 3", "not valid"],
    ),
    "map_unknown_column": (
        "interactions",
        rows("cid,ts,kind", "C1,2024-01-01,visit"),
        {"mapping": {"nope": "customer_id"}},
        ["nope", "does not have"],
    ),
    "map_to_nonsense": (
        "interactions",
        rows("cid,ts,kind", "C1,2024-01-01,visit"),
        {"mapping": {"cid": "salary"}},
        ["cannot map"],
    ),
    "long_survey_inconsistent": (
        "surveys",
        rows(
            "response_id,answered_at,overall_satisfaction,dimension,expectation,experience",
            "R1,2024-01-01,4,reliability,4,4",
            "R1,2024-01-01,2,empathy,3,3",
        ),
        {"scale": "1-5"},
        ["line 3", "different response-level"],
    ),
    "long_survey_duplicate_dimension": (
        "surveys",
        rows(
            "response_id,answered_at,dimension,expectation,experience",
            "R1,2024-01-01,reliability,4,4",
            "R1,2024-01-01,reliability,3,3",
        ),
        {"scale": "1-5"},
        ["line 3", "duplicate key"],
    ),
    "bad_scale_option": ("surveys", rows("response_id,answered_at", "R1,2024-01-01"), {"scale": "5-1"}, ["--scale"]),
    "single_column_wrong_delimiter": (
        "interactions",
        rows("customer_id:ts:kind", "C1:2024-01-01:visit"),
        {},
        ["single column"],
    ),
    "huge_cell": ("customers", rows("customer_id,name", "C1," + "x" * 20000), {}, ["line 2", "longer than 10,000"]),
    "not_xlsx_zip": ("customers", b"PK\x03\x04garbage that is not a zip", {}, ["XLSX"]),
    # encodings and bytes
    "bom_then_gbk": (
        "interactions",
        b"\xef\xbb\xbfcustomer_id,ts,kind\n" + "王五,2024-01-01,visit\n".encode("gbk"),
        {},
        ["line 2", "not valid"],
    ),
    "utf16_odd_bytes": (
        "interactions",
        "customer_id,ts,kind\nC1,2024-01-01,visit\n".encode("utf-16") + b"\x00",
        {},
        ["in the middle of a utf-16 character"],
    ),
    "nul_in_header": ("interactions", b"custo\x00mer_id,ts,kind\nC1,2024-01-01,visit\n", {}, ["line 1", "NUL"]),
    "binary_png": ("interactions", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, {}, ["NUL"]),
    "blank_lines_only": ("interactions", b"\n\n   \n\n", {}, ["empty"]),
    "bom_header_only": ("interactions", b"\xef\xbb\xbfcustomer_id,ts,kind\r\n", {}, ["no data rows"]),
    # values
    "nan_amount": (
        "interactions",
        rows(",".join(GOOD_I), "C1,2024-01-01,purchase,NaN"),
        {},
        ["line 2", '"amount"', "not a finite number"],
    ),
    "infinite_amount": (
        "interactions",
        rows(",".join(GOOD_I), "C1,2024-01-01,purchase,12", "C1,2024-01-02,purchase,inf"),
        {},
        ["line 3", '"amount"', "not a finite number"],
    ),
    "unknown_kind": (
        "interactions",
        rows("customer_id,ts,kind", "C1,2024-01-01,购买", "C1,2024-01-02,teleport"),
        {},
        ["line 3", '"kind"', "unknown kind"],
    ),
    "year_zero": ("interactions", rows("customer_id,ts,kind", "C1,0000-01-01,visit"), {}, ["line 2", '"ts"']),
    "feb_30": (
        "complaints",
        rows("complaint_id,customer_id,opened_at", "K1,C1,2024-02-30"),
        {},
        ["line 2", '"opened_at"', "not a date"],
    ),
    "text_score": (
        "surveys",
        rows("response_id,answered_at,overall_satisfaction", "R1,2024-01-01,good"),
        {"scale": "1-5"},
        ["line 2", '"overall_satisfaction"', "not a number"],
    ),
    "negative_expectation": (
        "surveys",
        rows("response_id,answered_at,reliability_expectation,reliability_experience", "R1,2024-01-01,-1,4"),
        {"scale": "1-5"},
        ["line 2", "outside the declared scale"],
    ),
    "duplicate_customer": (
        "customers",
        rows("customer_id,region", "C9,上海", "C9,北京"),
        {},
        ["line 3", "duplicate key", "first on line 2"],
    ),
    "huge_header_cell": (
        "interactions",
        rows("customer_id,ts,kind," + "h" * 20000, "C1,2024-01-01,visit,x"),
        {},
        ["line 1"],
    ),
    "unknown_encoding_option": (
        "interactions",
        rows("customer_id,ts,kind", "C1,2024-01-01,visit"),
        {"encoding": "klingon"},
        ["klingon"],
    ),
    "corrupt_parquet": ("interactions", b"PAR1" + b"\x00garbage" * 10 + b"PAR1", {}, ["Parquet"]),
    "xlsx_zip_bomb": ("customers", "zip_bomb", {}, ["ZIP bomb"]),
    "xlsx_missing_sheet": ("customers", "xlsx_one_sheet", {"sheet": "Kunden"}, ['no sheet "Kunden"']),
}


def _zip_bomb() -> bytes:
    """An XLSX-looking ZIP whose sheet inflates ~1,000× (64 MB of zeros from ~64 KB)."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (64 << 20))
    return buf.getvalue()


def _xlsx_one_sheet() -> bytes:
    import io

    wb = openpyxl.Workbook()
    wb.active.append(["customer_id"])
    wb.active.append(["C1"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


BUILDERS = {"zip_bomb": _zip_bomb, "xlsx_one_sheet": _xlsx_one_sheet}


def test_corpus_has_forty_hostile_files():
    assert len(CASES) >= 40


def _write_case(tmp_path, case: str):
    """Write a corpus file under a name with the suffix its bytes call for; (table, path, options, fragments)."""
    table, content, options, fragments = CASES[case]
    if isinstance(content, str):
        content = BUILDERS[content]()
    path = tmp_path / f"{case}{ {b'PK': '.xlsx', b'PA': '.parquet'}.get(content[:2], '.csv') }"
    path.write_bytes(content)
    return table, path, options, fragments


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_rejected_and_nothing_changes(demo_copy, tmp_path, case):

    from analytics import db

    table, path, options, fragments = _write_case(tmp_path, case)
    copy = tmp_path / "db.duckdb"
    copy = demo_copy(copy)
    with db.connect(copy) as con:
        before = snapshot(con)
        with pytest.raises((ImportValidationError, FileReadError)) as err:
            import_file(con, table, path, **options)
        message = str(err.value)
        assert message.startswith(path.name), message
        for fragment in fragments:
            assert fragment in message, (fragment, message)
        assert snapshot(con) == before


@pytest.mark.parametrize("case", sorted(CASES))
def test_data_page_preview_never_raises_anything_else(tmp_path, case):
    """The Data page previews an upload before anything else; on every hostile file that step
    either shows rows or a FileReadError the page prints, never an unexpected exception."""
    from analytics.io.preview import preview_file

    table, path, options, _ = _write_case(tmp_path, case)
    try:
        preview_file(path, table, path.name, sheet=options.get("sheet"))
    except FileReadError as exc:
        assert str(exc).startswith(path.name)


def test_parquet_with_bad_values(con, tmp_path):
    pd.DataFrame(
        {"customer_id": ["A", "B"], "ts": ["2024-01-01", "2024-01-02"], "kind": ["purchase"] * 2, "amount": [1.0, -2.0]}
    ).to_parquet(tmp_path / "bad.parquet")
    before = snapshot(con)
    with pytest.raises(ImportValidationError, match=r"bad.parquet: line 2, column \"amount\": negative"):
        import_file(con, "interactions", tmp_path / "bad.parquet")
    assert snapshot(con) == before


def test_xlsx_bad_cell_names_spreadsheet_row(con, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["customer_id", "ts", "kind", "amount"])
    ws.append(["A", "2024-01-01", "purchase", 3])
    ws.append(["B", "not a day", "purchase", 3])
    wb.save(tmp_path / "b.xlsx")
    with pytest.raises(ImportValidationError, match=r'b.xlsx: line 3, column "ts": not a date'):
        import_file(con, "interactions", tmp_path / "b.xlsx")


def test_errors_are_capped_at_twenty_with_a_count(con, tmp_path):
    lines = ["customer_id,ts,kind,amount"] + [f"C{i},2024-01-01,purchase,-1" for i in range(50)]
    (tmp_path / "many.csv").write_text("\n".join(lines))
    with pytest.raises(ImportValidationError) as err:
        import_file(con, "interactions", tmp_path / "many.csv")
    assert len(err.value.errors) == 20 and err.value.total == 50
    assert "and 30 more errors" in str(err.value)


def test_cli_rejects_with_exit_2_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("customer_id,ts,kind,amount\nC1,2024-01-01,purchase,-1\n")
    proc = subprocess.run(
        [sys.executable, "-m", "analytics", "import", "interactions", str(bad), "--db", str(tmp_path / "x.duckdb")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert 'bad.csv: line 2, column "amount": negative purchase amount' in proc.stderr
    assert proc.stdout == ""


def test_a_write_failure_is_a_clear_error_and_changes_nothing(con, tmp_path, monkeypatch):
    """A valid file whose write fails (a full disk: injected, it cannot be made portably here)
    gets ImportWriteError naming the file, and the database is as before."""
    import duckdb

    from analytics.io import importer
    from tests.helpers import snapshot

    path = tmp_path / "ok.csv"
    path.write_text("customer_id,name\nA,x\nB,y\n", encoding="utf-8")
    before = snapshot(con)

    def disk_full(*args, **kwargs):
        raise duckdb.IOException("IO Error: Could not write file: No space left on device")

    monkeypatch.setattr(importer, "apply_merge", disk_full)
    with pytest.raises(
        importer.ImportWriteError, match=r"ok.csv: could not be written, nothing changed .*No space left"
    ):
        importer.import_file(con, "customers", path)
    assert snapshot(con) == before
