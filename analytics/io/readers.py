"""Read a CSV / XLSX / Parquet file into a DuckDB staging table of text columns.

Everything arrives as VARCHAR so validation can name the exact cell that does not parse.
The staging table keeps the file's order, so ``rowid`` gives the record's position: the line
a spreadsheet shows is ``rowid + 2`` (line 1 is the header).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import tempfile
import zipfile
from pathlib import Path

import duckdb

from analytics.db import quote_literal
from analytics.io.encoding import MixedEncodingError, detect_encoding, file_encoding  # noqa: F401
from analytics.io.staged import FileReadError, Staged

MAX_XLSX_UNCOMPRESSED = 1 << 30  # 1 GiB inflated: beyond it an XLSX is treated as a ZIP bomb
MAX_XLSX_RATIO = 200  # and so is any member inflating more than 200×
MAX_HEADER_CHARS = 1000  # a column name longer than this is not a header
SNIFF_BYTES = 1 << 20


def detect_kind(path: Path, head: bytes) -> str:
    """csv, xlsx or parquet from the magic bytes, falling back to the extension."""
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    ext = path.suffix.lower()
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    if ext == ".parquet":
        return "parquet"
    return "csv"


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _transcode(path: Path, encoding: str, name: str) -> str:
    """Write a UTF-8 copy of a file in another encoding; return its path."""
    fd, out = tempfile.mkstemp(suffix=".csv")
    line = 1
    # utf-8-sig's decoder reports error positions after the BOM: strip the BOM here instead
    bom = encoding.lower().replace("_", "-") in ("utf-8-sig", "utf8-sig")
    decoder = codecs.getincrementaldecoder("utf-8" if bom else encoding)(errors="strict")

    def bad(chunk: bytes, exc: UnicodeDecodeError) -> FileReadError:
        return FileReadError(
            name,
            f"bytes that are not valid {encoding} (mixed encodings?): {chunk[exc.start : exc.start + 4]!r}",
            line + _line_of(chunk, exc.start) - 1,
        )

    try:
        with open(path, "rb") as src, os.fdopen(fd, "w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(1 << 24):
                if bom and line == 1 and chunk.startswith(codecs.BOM_UTF8):
                    chunk = chunk[len(codecs.BOM_UTF8) :]
                try:
                    dst.write(decoder.decode(chunk))
                except UnicodeDecodeError as exc:
                    raise bad(chunk, exc) from None
                line += chunk.count(b"\n")
            try:
                dst.write(decoder.decode(b"", final=True))
            except UnicodeDecodeError:
                raise FileReadError(
                    name, f"ends in the middle of a {encoding} character (truncated file?)", line
                ) from None
    except BaseException:
        os.unlink(out)
        raise
    return out


def sniff_delimiter(text: str) -> str:
    """The delimiter among , ; tab | that splits the first lines most consistently."""
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in ",;\t|"}
        return max(counts, key=counts.get) if max(counts.values()) else ","


def _check_header(columns: list[str], name: str) -> list[str]:
    cleaned = [str(c).strip() if c is not None else "" for c in columns]
    for i, col in enumerate(cleaned):
        if not col:
            raise FileReadError(name, f"column {i + 1} of the header is empty", 1)
        if len(col) > MAX_HEADER_CHARS:
            raise FileReadError(name, f"column {i + 1} of the header is longer than {MAX_HEADER_CHARS:,} characters", 1)
    seen: set[str] = set()
    for col in cleaned:
        if col.lower() in seen:
            raise FileReadError(name, f'column "{col}" appears twice in the header', 1)
        seen.add(col.lower())
    return cleaned


def read_csv(
    con: duckdb.DuckDBPyConnection, path: Path, table: str, name: str, encoding: str = "auto", lazy: bool = False
) -> Staged:
    """Stage a delimited text file, detecting encoding and delimiter; ``lazy``: as a view that
    reads the file when something reads it (see analytics/io/staged.py)."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        sample = fh.read(SNIFF_BYTES)
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileReadError(name, "contains NUL bytes: not a text file", _line_of(sample, sample.index(b"\x00")))
    try:
        enc = file_encoding(path, sample, complete=size <= SNIFF_BYTES) if encoding == "auto" else encoding
    except MixedEncodingError as exc:
        raise FileReadError(name, "bytes that are not valid UTF-8 or GB18030 (mixed encodings?)", exc.line) from None
    enc = {"gbk": "gb18030", "utf-8": "utf-8"}.get(enc, enc)
    source, tmp = str(path), None
    if enc not in ("utf-8",):
        tmp = source = _transcode(path, enc, name)
    try:
        with open(source, encoding="utf-8", errors="replace", newline="") as fh:
            text = fh.read(SNIFF_BYTES)
        if "\x00" in text:
            raise FileReadError(name, "contains NUL bytes: not a text file")
        if not text.strip():
            raise FileReadError(name, "the file is empty")
        if len([ln for ln in text.splitlines() if ln.strip()]) < 2 and size <= SNIFF_BYTES:
            raise FileReadError(name, "the file has a header but no data rows")
        delim = sniff_delimiter(text)
        header_line = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=delim))
        header = _check_header(header_line, name)
        if len(header) < 2 and delim == ",":
            raise FileReadError(name, "found a single column: is the delimiter , ; tab or |?", 1)
        cols = "{" + ", ".join("'" + h.replace("'", "''") + "': 'VARCHAR'" for h in header) + "}"
        select = f"""SELECT * FROM read_csv({quote_literal(source)},
                delim = {quote_literal(delim)}, header = false, skip = 1, quote = '"', escape = '"', columns = {cols},
                strict_mode = true, null_padding = false, max_line_size = 10000000, auto_detect = false,
                parallel = true)"""
        staged = Staged(table, header, None, "csv", encoding=enc, delimiter=delim, source=source, name=name)
        if lazy:
            con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS {select}")
            staged.select, staged.temp_files, tmp = select, [tmp] if tmp else [], None  # the copy stays until drop
            return staged
        with staged.reading():
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {select}")
        staged.rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        if tmp:
            os.unlink(tmp)
    return staged


def _check_zip(path: Path, name: str) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if (
                    info.compress_size
                    and info.file_size / max(info.compress_size, 1) > MAX_XLSX_RATIO
                    and info.file_size > 10 << 20
                ):
                    raise FileReadError(
                        name,
                        f"refused: member {info.filename} inflates "
                        f"{info.file_size // max(info.compress_size, 1)}× (ZIP bomb?)",
                    )
            if total > MAX_XLSX_UNCOMPRESSED:
                raise FileReadError(
                    name, f"refused: {total >> 20} MB once unzipped (limit {MAX_XLSX_UNCOMPRESSED >> 20} MB)"
                )
    except zipfile.BadZipFile:
        raise FileReadError(name, "not a valid XLSX file (damaged ZIP)") from None


def _cell_text(value) -> str | None:
    import datetime as dt

    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, table: str, name: str, sheet: str | None = None) -> Staged:
    """Stage one sheet of a workbook (the first unless named); dates become ISO text."""
    import openpyxl
    import pandas as pd

    _check_zip(path, name)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileReadError(name, f"not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise FileReadError(name, f'no sheet "{sheet}" (sheets: {", ".join(wb.sheetnames)})')
        ws = wb[sheet] if sheet else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None or all(c is None for c in header_row):
            raise FileReadError(name, "the sheet is empty")
        while header_row and header_row[-1] is None:
            header_row = header_row[:-1]
        header = _check_header(list(header_row), name)
        width = len(header)
        data = [[_cell_text(v) for v in r[:width]] + [None] * (width - len(r[:width])) for r in rows]
        while data and all(v is None for v in data[-1]):
            data.pop()
    finally:
        wb.close()
    frame = pd.DataFrame(data, columns=[f"c{i}" for i in range(width)], dtype=object)
    con.register("_xlsx_frame", frame)
    try:
        sel = ", ".join(f'CAST(c{i} AS VARCHAR) AS "{h}"' for i, h in enumerate(header))
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {sel} FROM _xlsx_frame")
    finally:
        con.unregister("_xlsx_frame")
    return Staged(table, header, len(data), "xlsx", notes=[f"sheet {ws.title}"])


def read_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str, name: str) -> Staged:
    """Stage a Parquet file (or a directory of Parquet files) with its columns as text."""
    source = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
    try:
        desc = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [source]).fetchall()
    except duckdb.Error as exc:
        raise FileReadError(name, f"not a readable Parquet file ({str(exc).splitlines()[0][:200]})") from None
    header = _check_header([d[0] for d in desc], name)
    sel = ", ".join(
        f'strftime("{c}", \'%Y-%m-%d %H:%M:%S\') AS "{c}"'
        if t.startswith(("TIMESTAMP", "DATE"))
        else f'CAST("{c}" AS VARCHAR) AS "{c}"'
        for c, t in ((d[0], d[1]) for d in desc)
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {sel} FROM read_parquet(?)", [source])
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return Staged(table, header, rows, "parquet")


def stage_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str = "_stage",
    encoding: str = "auto",
    sheet: str | None = None,
    name: str | None = None,
    lazy: bool = False,
) -> Staged:
    """Load any supported file into a temp table of text columns (``lazy``: a CSV as a view)."""
    name = name or path.name
    if not path.exists():
        raise FileReadError(name, "no such file")
    if path.is_dir():
        return read_parquet(con, path, table, name)
    if path.stat().st_size == 0:
        raise FileReadError(name, "the file is empty (0 bytes)")
    if encoding != "auto":
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise FileReadError(name, f"unknown encoding {encoding!r} (try utf-8, gbk, gb18030 or utf-16)") from None
    with open(path, "rb") as fh:
        head = fh.read(8)
    kind = detect_kind(path, head)
    if kind == "xlsx":
        staged = read_xlsx(con, path, table, name, sheet)
    elif kind == "parquet":
        staged = read_parquet(con, path, table, name)
    else:
        staged = read_csv(con, path, table, name, encoding, lazy)
    if staged.rows == 0:
        raise FileReadError(name, "the file has a header but no data rows")
    return staged
