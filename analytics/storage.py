"""Where the data lives: a DuckDB file (embedded, the default: one writing process) or a
DuckLake shared by several processes and machines.

A DuckLake (https://ducklake.select) keeps its catalog in SQLite (several processes on one
machine) or PostgreSQL (several machines) and the table data as Parquet files in a folder or
on S3. ``CSAT_DB`` / ``--db`` name one as ``ducklake:sqlite:PATH`` or
``ducklake:postgres:CONNINFO``; ``CSAT_LAKE_DATA`` says where a new lake keeps its files (for
SQLite it defaults to ``PATH.files/`` beside the catalog; the catalog remembers it).

DuckDB's extensions come from pip packages (``duckdb-extension-ducklake`` …): they are linked
into a private extension folder of this process, so nothing is ever downloaded at run time.
Every connection of a lake has the lake as its default database, cursors included, so the
SQL of the rest of the package runs unchanged; each transaction reads one lake snapshot.
"""

from __future__ import annotations

import atexit
import importlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

PREFIX = "ducklake:"
#: Catalog kind → the pip package whose extension reads it.
CATALOGS = {"sqlite": "duckdb_extension_sqlite_scanner", "postgres": "duckdb_extension_postgres_scanner"}
#: Extensions every lake needs, and the one S3 data paths need.
_ALWAYS = ("duckdb_extension_ducklake",)
_S3 = "duckdb_extension_httpfs"


class LakeError(RuntimeError):
    """The lake cannot be opened (named wrong, catalog unreachable, extension missing)."""


@dataclass(frozen=True)
class Lake:
    """A DuckLake target: its catalog kind and address, and where new data files go."""

    catalog: str
    address: str
    data_path: str | None

    @property
    def url(self) -> str:
        return f"{PREFIX}{self.catalog}:{self.address}"

    @property
    def label(self) -> str:
        """The target without secrets (a PostgreSQL password is never shown)."""
        if self.catalog == "postgres":
            parts = [p for p in self.address.split() if not p.lower().startswith("password=")]
            return f"{PREFIX}postgres:{' '.join(parts)}"
        return self.url


def is_lake(target: str | os.PathLike | None) -> bool:
    return str(target or "").startswith(PREFIX)


def parse(target: str) -> Lake:
    """``ducklake:sqlite:PATH`` or ``ducklake:postgres:CONNINFO`` → Lake (LakeError otherwise)."""
    rest = target[len(PREFIX) :]
    catalog, _, address = rest.partition(":")
    if catalog not in CATALOGS or not address.strip():
        raise LakeError(
            f"{target}: expected ducklake:sqlite:PATH or ducklake:postgres:CONNINFO "
            "(e.g. ducklake:postgres:dbname=csat host=db user=app)"
        )
    data = os.environ.get("CSAT_LAKE_DATA") or None
    if catalog == "sqlite":
        address = str(Path(address).expanduser().resolve())
        data = data or address + ".files"
    if data and "://" not in data:
        data = str(Path(data).expanduser().resolve())
    if data and not data.endswith("/"):
        data += "/"
    return Lake(catalog, address, data)


def open_lake(lake: Lake, read_only: bool, create: bool) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is the lake (created first when missing and allowed)."""
    config = {"extension_directory": extension_dir(), "autoinstall_known_extensions": False}
    exists = _exists(lake, config)
    if not exists:
        if read_only or not create:
            raise LakeError(f"{lake.label}: no such lake (create one with `python -m analytics demo` or an import)")
        _create(lake, config)
    if lake.catalog == "sqlite" and not read_only:
        _wal(Path(lake.address), config)
    try:
        con = duckdb.connect(lake.url, read_only=read_only, config=config)
    except duckdb.Error as exc:
        raise LakeError(f"{lake.label}: cannot open the lake ({first_line(exc)})") from None
    _s3_secret(con, lake)
    return con


def _exists(lake: Lake, config: dict) -> bool:
    """Whether the catalog already holds a DuckLake (checked without creating anything)."""
    if lake.catalog == "sqlite":
        p = Path(lake.address)
        if p.is_dir():
            raise LakeError(f"{lake.label}: is a folder, not a catalog file")
        return p.exists() and p.stat().st_size > 0
    with duckdb.connect(config=config) as con:
        try:
            con.execute(f"ATTACH {_literal(lake.address)} AS pg (TYPE postgres, READ_ONLY)")
            sql = "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'pg' AND table_name = 'ducklake_metadata'"
            return bool(con.execute(sql).fetchone()[0])
        except duckdb.Error as exc:
            raise LakeError(f"{lake.label}: cannot reach the PostgreSQL catalog ({first_line(exc)})") from None


def _wal(catalog: Path, config: dict) -> None:
    """Put a SQLite catalog in WAL mode (persistent in the file), so that readers never wait for
    a writer's commit and never fail with "database is locked" (DuckLake issue #128). Done
    through DuckDB's own SQLite: a second SQLite library in this process would drop the first
    one's file locks when it closes the file."""
    with duckdb.connect(config=config) as con:
        con.execute(f"ATTACH {_literal(str(catalog))} AS catalog (TYPE sqlite, JOURNAL_MODE 'WAL')")
        con.execute("SELECT * FROM sqlite_query('catalog', 'PRAGMA journal_mode')").fetchall()  # opens it


def _create(lake: Lake, config: dict) -> None:
    if not lake.data_path:
        raise LakeError(f"{lake.label}: a new lake needs CSAT_LAKE_DATA (a folder or an s3:// URL for its data files)")
    if lake.catalog == "sqlite":
        Path(lake.address).parent.mkdir(parents=True, exist_ok=True)
    if "://" not in lake.data_path:
        Path(lake.data_path).mkdir(parents=True, exist_ok=True)
    with duckdb.connect(config=config) as con:
        _s3_secret(con, lake)
        try:
            con.execute(f"ATTACH {_literal(lake.url)} AS new_lake (DATA_PATH {_literal(lake.data_path)})")
        except duckdb.Error as exc:
            raise LakeError(f"{lake.label}: cannot create the lake ({first_line(exc)})") from None


def _s3_secret(con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    """Credentials for an s3:// data path from the usual AWS_* variables (AWS_ENDPOINT_URL for
    an S3-compatible server), whenever they are set: a lake opened later names its s3:// path
    in the catalog only."""
    if not os.environ.get("AWS_ACCESS_KEY_ID"):  # the catalog, not the environment, may name the s3:// path
        return
    opts = {"KEY_ID": os.environ["AWS_ACCESS_KEY_ID"], "SECRET": os.environ.get("AWS_SECRET_ACCESS_KEY", "")}
    opts["REGION"] = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        opts["ENDPOINT"] = endpoint.split("://", 1)[-1]
        opts["USE_SSL"] = "true" if endpoint.startswith("https") else "false"
        opts["URL_STYLE"] = "path"
    body = ", ".join(f"{k} {v if k == 'USE_SSL' else _literal(v)}" for k, v in opts.items())
    con.execute(f"CREATE OR REPLACE SECRET csat_s3 (TYPE s3, {body})")


_EXT_DIR: str | None = None


def extension_dir() -> str:
    """A private folder laid out as DuckDB expects (``vX.Y.Z/PLATFORM/NAME.duckdb_extension``)
    with links to the extensions the pip packages ship; DuckDB autoloads from it."""
    global _EXT_DIR
    if _EXT_DIR and Path(_EXT_DIR).is_dir():
        return _EXT_DIR
    root = Path(tempfile.mkdtemp(prefix="csat-duckdb-ext-"))
    atexit.register(shutil.rmtree, root, True)
    platform = duckdb.execute("PRAGMA platform").fetchone()[0]
    folder = root / duckdb.__version__.join(("v", "")) / platform
    folder.mkdir(parents=True)
    for package in (*_ALWAYS, *CATALOGS.values(), _S3):
        for ext in _shipped(package):
            (folder / ext.name).symlink_to(ext)
    _EXT_DIR = str(root)
    return _EXT_DIR


def _shipped(package: str) -> list[Path]:
    """The extension files a pip package ships for this DuckDB version (none if not installed)."""
    try:
        module = importlib.import_module(package)
    except ImportError:
        if package in _ALWAYS:
            raise LakeError(f"the {package} package is missing: pip install -r requirements.txt") from None
        return []
    found = list(Path(module.__file__).parent.glob(f"extensions/v{duckdb.__version__}/*.duckdb_extension"))
    if not found and package in _ALWAYS:
        raise LakeError(
            f"{package} ships no extension for DuckDB {duckdb.__version__}: pip install -r requirements.txt"
        )
    return found


def _literal(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


_SECRET = re.compile(r"(password\s*=\s*)('[^']*'|\S+)", re.IGNORECASE)


def first_line(exc: BaseException) -> str:
    """The error's first line with any connection-string password blanked (PostgreSQL's
    errors quote the whole connection string)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return _SECRET.sub(r"\1***", text)
