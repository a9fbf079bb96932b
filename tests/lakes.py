"""Database targets for the tests in each storage: a DuckDB file, or a DuckLake with a SQLite
catalog or a PostgreSQL catalog (one private cluster per test run, one database per lake)."""

from __future__ import annotations

import os
import re
import subprocess
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests import pgcluster

KINDS = ("file", "sqlite", "postgres")


@contextmanager
def lake_data(folder: Path | str):
    """``CSAT_LAKE_DATA`` set while a lake is created (the catalog remembers it afterwards)."""
    old = os.environ.get("CSAT_LAKE_DATA")
    os.environ["CSAT_LAKE_DATA"] = str(folder)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("CSAT_LAKE_DATA", None)
        else:
            os.environ["CSAT_LAKE_DATA"] = old


class Factory:
    """``new(name)`` → a new, empty target: a file path, ``ducklake:sqlite:…`` or
    ``ducklake:postgres:…`` (data files under the factory's folder)."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind, self.folder, self.count = kind, folder, 0
        self._stack = ExitStack()
        self._pg: pgcluster.Cluster | None = None

    def __enter__(self) -> Factory:
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def new(self, name: str = "db") -> Path | str:
        """A new target with the schema (a lake is created now, with its data folder)."""
        target, data = self.bare(name)
        if self.kind != "file":
            _create(str(target), data)
        return target

    def bare(self, name: str = "db") -> tuple[Path | str, Path]:
        """A target nothing has created yet (no file, no catalog file, an empty PostgreSQL
        database) and the data folder to give it through ``CSAT_LAKE_DATA``."""
        self.count += 1
        slug = f"{re.sub(r'[^a-z0-9_]', '_', name.lower())}_{self.count}"
        data = self.folder / f"{slug}.files"
        if self.kind == "file":
            return self.folder / f"{slug}.duckdb", data
        if self.kind == "sqlite":
            return f"ducklake:sqlite:{self.folder / slug}.sqlite", data
        if self._pg is None:
            self._pg = self._stack.enter_context(pgcluster.cluster())
        return f"ducklake:postgres:{self._pg.new_database(slug)}", data


def _create(target: str, data: Path) -> None:
    """Create the lake now, with its data folder, so later opens need no environment."""
    from analytics import db

    with lake_data(data), db.connect(target):
        pass


def copy_rows(source: str, target: str) -> None:
    """Every table of the lake ``source`` copied into the new lake ``target`` (one transaction)."""
    from analytics import db, storage

    with db.connect(target) as con:
        src = storage.parse(source)
        con.execute(f"ATTACH {db.quote_literal(src.url)} AS src (READ_ONLY)")
        tables = [
            r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()
        ]
        con.execute("BEGIN TRANSACTION")
        for table in tables:
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM src.{table}")
        con.execute("COMMIT")
        con.execute("DETACH src")


def cli_env(target: str | Path) -> dict[str, str]:
    """The environment a subprocess needs for ``target`` (nothing extra: the catalog knows its data)."""
    env = dict(os.environ)
    env.pop("CSAT_LAKE_DATA", None)
    return env


def run_cli(*args: str, db: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m analytics ARGS --db DB`` in a subprocess."""
    import sys

    return subprocess.run(
        [sys.executable, "-m", "analytics", *args, "--db", str(db)],
        cwd=cwd,
        env=cli_env(db),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def purchases_csv(path: Path, rows: int, customers: int = 20_000) -> Path:
    """``rows`` purchases (2025 – mid 2026) of ``customers`` customers L000000 … that no lake knows
    yet (the import creates them bare)."""
    import duckdb

    duckdb.execute(f"""COPY (SELECT 'L' || lpad(CAST(i % {customers} AS VARCHAR), 6, '0') AS customer_id,
                              TIMESTAMP '2025-01-01' + to_seconds(i * 7919 % 50000000) AS ts,
                              'purchase' AS kind, 10 + i % 997 AS amount FROM range({rows}) t(i))
                       TO '{path}' (HEADER)""")
    return path
