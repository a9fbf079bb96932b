"""Encoding detection holds for whole files: UTF-8, UTF-8 with BOM, GB18030 and UTF-16, wherever
the detection sample ends (inside a multi-byte character too) and wherever the Chinese starts."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.io import readers
from analytics.io.readers import FileReadError, stage_file

HEADER = ["客户编号", "名称", "类型"]
cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
cell = st.text(alphabet=st.one_of(cjk, st.sampled_from("abc 123")), min_size=1, max_size=8).map(str.strip).filter(bool)
rows = st.lists(st.tuples(cell, st.sampled_from(["购买", "咨询", "投诉"])), min_size=3, max_size=60)


def _table(body: list[tuple[str, str]]) -> str:
    lines = [",".join(HEADER)] + [f"C{i},{name},{kind}" for i, (name, kind) in enumerate(body)]
    return "\r\n".join(lines) + "\r\n"


def _read_back(path) -> list[tuple]:
    con = duckdb.connect()
    staged = stage_file(con, path)
    assert staged.columns == HEADER
    return con.execute('SELECT "名称", "类型" FROM _stage ORDER BY rowid').fetchall()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=rows, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]), cut=st.floats(0.02, 1.0))
def test_random_chinese_tables_read_back_in_every_encoding(tmp_path, body, encoding, cut):
    text = _table(body)
    data = text.encode(encoding)
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    sample = max(64, int(len(data) * cut))  # the detection sample ends anywhere in the file
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(readers, "SNIFF_BYTES", sample)
        assert _read_back(path) == [(name, kind) for name, kind in body]


def test_a_character_cut_by_the_real_sample_end_is_not_an_error(tmp_path):
    """A GB18030 order log whose 1 MiB sample ends inside 购 (the reported failure)."""
    enc = "gb18030"
    head = "客户编号,购买日期,类型,数量\r\n".encode(enc)
    line = "C{:07d},2026-01-02,购买,1\r\n"
    size, at = len(line.format(0).encode(enc)), line.format(0).encode(enc).index("购".encode(enc))
    # a first row padded so that the sample's last byte is the first byte of a 购
    pad = (readers.SNIFF_BYTES - 1 - at - len(head) - len("P,2026-01-01,购买,1\r\n".encode(enc))) % size
    first = f"P{'x' * pad},2026-01-01,购买,1\r\n".encode(enc)
    n = (readers.SNIFF_BYTES // size) + 10
    data = head + first + b"".join(line.format(i).encode(enc) for i in range(n))
    assert data[readers.SNIFF_BYTES - 1 : readers.SNIFF_BYTES + 1] == "购".encode(enc)
    path = tmp_path / "orders_gbk.csv"
    path.write_bytes(data)
    con = duckdb.connect()
    staged = stage_file(con, path)
    assert staged.encoding == enc and staged.rows == n + 1
    assert con.execute('SELECT DISTINCT "类型" FROM _stage').fetchall() == [("购买",)]


def test_chinese_that_starts_after_the_sample_is_found_on_the_whole_file(tmp_path):
    """English headers and numeric rows for the first megabyte, GBK names after it."""
    ascii_rows = "".join(f"C{i:07d},2026-01-02,purchase,10.50\n" for i in range(40_000))
    assert len(ascii_rows) > readers.SNIFF_BYTES
    data = ("customer_id,ts,kind,amount\n" + ascii_rows + "C9,2026-01-03,购买,8\n").encode("gb18030")
    path = tmp_path / "late_gbk.csv"
    path.write_bytes(data)
    con = duckdb.connect()
    assert stage_file(con, path).encoding == "gb18030"
    assert con.execute("SELECT kind FROM _stage WHERE customer_id = 'C9'").fetchone() == ("购买",)


def test_utf8_chinese_with_one_gbk_line_names_the_line(tmp_path):
    data = "客户编号,名称\nA1,王芳\nA2,李强\n".encode() + "A3,张伟\n".encode("gb18030")
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    with pytest.raises(FileReadError) as err:
        stage_file(duckdb.connect(), path)
    assert err.value.line == 4 and "mixed encodings" in str(err.value)


def test_utf16_without_bom_is_not_guessed_silently(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes("客户编号,名称\nA1,王芳\n".encode("utf-16-le"))
    with pytest.raises(FileReadError, match="NUL bytes"):  # refused with a reason, never read as garbage
        stage_file(duckdb.connect(), path)


@pytest.mark.parametrize("chunk", [7, 64, 1 << 24])
def test_the_whole_file_check_skips_only_ascii_chunks(monkeypatch, tmp_path, chunk):
    """The check reads the file in chunks and decodes only the non-ASCII ones: a character
    cut by a chunk's end followed by an all-ASCII chunk is still whole, and a GBK line after
    ASCII chunks that follow UTF-8 Chinese is still a mixed file, named with its line."""
    from analytics.io import encoding

    monkeypatch.setattr(encoding, "CHUNK", chunk)
    ascii_rows = "".join(f"C{i:05d},10\n" for i in range(50))
    good = tmp_path / "good.csv"
    good.write_bytes(("客户,金额\n王" + "x" * 5 + ",1\n" + ascii_rows).encode())
    assert encoding._scan(good, "utf-8") is None
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(("客户,金额\n" + ascii_rows).encode() + "张伟,8\n".encode("gb18030"))
    assert encoding._scan(mixed, "utf-8") == (52, True)
    late = tmp_path / "late.csv"  # ASCII up to GBK Chinese: no UTF-8 wide character before it
    late.write_bytes(("customer,amount\n" + ascii_rows).encode() + "张伟,8\n".encode("gb18030"))
    assert encoding._scan(late, "utf-8") == (52, False)
    assert encoding._scan(late, "gb18030") is None
