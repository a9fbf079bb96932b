"""A look at a file before importing it: headers, first rows, suggested mapping."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analytics.io.mapping import IMPORT_COLUMNS, suggest_mapping
from analytics.io.readers import stage_file


@dataclass
class Preview:
    headers: list[str]
    rows: pd.DataFrame
    total_rows: int
    kind: str
    encoding: str | None
    suggested: dict[str, str]


def preview_file(path: Path, table: str, name: str, sheet: str | None = None, n: int = 10) -> Preview:
    """Stage the file in a throwaway in-memory database and return its first rows (as text)."""
    with duckdb.connect(":memory:") as con:
        staged = stage_file(con, path, sheet=sheet, name=name)
        rows = con.execute(f"SELECT * FROM {staged.table} LIMIT {int(n)}").df()
    return Preview(
        staged.columns, rows, staged.rows, staged.kind, staged.encoding, suggest_mapping(table, staged.columns)
    )


def target_options(table: str) -> list[str]:
    """Canonical columns a file column can map to (wide survey answers included)."""
    options = list(IMPORT_COLUMNS[table])
    if table == "surveys":
        from analytics.satisfaction.gaps import SERVQUAL_DIMENSIONS

        options += [f"{d}.{part}" for d in SERVQUAL_DIMENSIONS for part in ("expectation", "experience")]
    return options
