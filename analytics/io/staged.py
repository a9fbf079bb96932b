"""A file staged for import: a temp table of text columns, or a view that reads the CSV.

A staged CSV read once into a table and then again into the typed table cost two passes over
10M rows (1.9 s + 3.4 s); read lazily, DuckDB's CSV reader feeds the typed table directly
(3.5 s). The view holds no rows, so a lazily staged file's read errors (a row with too many
cells, an unclosed quote) surface when it is first read: ``reading`` turns them into the same
``FileReadError`` an eager read gives.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import duckdb


class FileReadError(ValueError):
    """The file cannot be read at all (format, encoding, structure)."""

    def __init__(self, file: str, problem: str, line: int | None = None):
        self.file, self.problem, self.line = file, problem, line
        where = f", line {line}" if line else ""
        super().__init__(f"{file}{where}: {problem}")


def csv_problem(message: str) -> tuple[str, int | None]:
    """DuckDB's CSV error as (what a user can act on, line number of the file)."""
    line_m = re.search(r"CSV Error on Line: (\d+)", message)
    line = int(line_m.group(1)) if line_m else None
    cols = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message)
    if cols:
        problem = f"the row has {cols.group(2)} cells but the header has {cols.group(1)}"
    elif "unterminated quote" in message.lower():
        problem = "a quoted value is never closed (unbalanced quotes)"
    elif "maximum line size" in message.lower():
        problem = "a line is longer than 10 MB"
    else:
        problem = message.strip().splitlines()[0][:300]
    return f"cannot be read as CSV: {problem}", line


@dataclass
class Staged:
    """A file loaded into a staging table (all text columns), or a view reading it (``select``).

    ``rows`` is None for a view until something counts them (the typed table does)."""

    table: str
    columns: list[str]
    rows: int | None
    kind: str  # csv, xlsx, parquet
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)
    select: str | None = None  # a lazily staged file: the SELECT its view runs
    source: str | None = None  # the path DuckDB reads (named in its errors)
    name: str = ""  # the file name a user knows
    temp_files: list[str] = field(default_factory=list)  # a transcoded copy: removed by ``drop``

    @property
    def line_offset(self) -> int:
        """Add to rowid to get the line a spreadsheet shows (header = line 1)."""
        return 2 if self.kind in ("csv", "xlsx") else 1

    @property
    def lazy(self) -> bool:
        return self.select is not None

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Around a statement that reads the CSV: DuckDB's errors as ``FileReadError``."""
        try:
            yield
        except duckdb.Error as exc:
            if self.kind != "csv":
                raise
            raise FileReadError(self.name, *csv_problem(str(exc).replace(self.source or "", self.name))) from None

    def add_column(self, con: duckdb.DuckDBPyConnection, header: str, literal: str) -> None:
        """A text column holding ``literal`` (a SQL literal) on every row."""
        quoted = '"' + header.replace('"', "") + '"'
        if self.lazy:
            self.select = f"SELECT *, CAST({literal} AS VARCHAR) AS {quoted} FROM ({self.select})"
            con.execute(f"CREATE OR REPLACE TEMP VIEW {self.table} AS {self.select}")
        else:
            con.execute(f"ALTER TABLE {self.table} ADD COLUMN {quoted} VARCHAR DEFAULT {literal}")
        self.columns.append(header.replace('"', ""))

    def materialize(self, con: duckdb.DuckDBPyConnection) -> None:
        """Read a lazy file into a table (for what reads it many times: customer attributes)."""
        if not self.lazy:
            return
        with self.reading():
            con.execute(f"CREATE OR REPLACE TEMP TABLE {self.table}_rows AS {self.select}")
        con.execute(f"DROP VIEW IF EXISTS {self.table}")
        self.table, self.select = f"{self.table}_rows", None
        self.rows = con.execute(f"SELECT count(*) FROM {self.table}").fetchone()[0]

    def drop(self, con: duckdb.DuckDBPyConnection) -> None:
        """Remove the staging table or view and any transcoded copy."""
        try:
            con.execute(f"DROP {'VIEW' if self.lazy else 'TABLE'} IF EXISTS {self.table}")
        except duckdb.Error:  # clean-up after a failed write: the write's own error matters
            pass
        for path in self.temp_files:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
        self.temp_files.clear()
