"""Back up and restore the whole database.

``backup`` writes DuckDB's EXPORT DATABASE (schema.sql, load.sql and one Parquet file per
table) plus a manifest with row counts and versions. ``restore`` reads such a folder back
into the open database in one transaction: every table is emptied and refilled, or nothing
changes. The restored data get a new data version, so every cache goes stale.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb

from analytics import db

DATA_TABLES = list(db.TABLES) + ["customer_attributes", "import_log", "scenarios"]


class BackupError(ValueError):
    """The folder is not a backup this program can restore."""


def backup(con: duckdb.DuckDBPyConnection, folder: Path | str) -> dict:
    """Export every table to ``folder`` (created; must be empty or missing)."""
    out = Path(folder)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out}: the folder is not empty")
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    con.execute(f"EXPORT DATABASE '{_quote(out)}' (FORMAT parquet)")
    manifest = {
        "schema_version": db.schema_version(con),
        "data_version": db.data_version(con),
        "rows": {t: db.scalar(con, f"SELECT count(*) FROM {t}") for t in DATA_TABLES},
        "created": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    manifest["seconds"] = round(time.perf_counter() - t0, 2)
    return manifest


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _table_file(folder: Path, table: str) -> Path:
    """EXPORT DATABASE names files after tables (lower case); find ours."""
    for f in folder.glob("*.parquet"):
        if f.stem.lower() == table.lower():
            return f
    raise BackupError(f"{folder}: no file for table {table}")


def restore(con: duckdb.DuckDBPyConnection, folder: Path | str) -> dict:
    """Replace all data with the backup in ``folder``, all or nothing."""
    src = Path(folder)
    try:
        manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{src}: not a backup made by this program (manifest.json: {exc})") from None
    if manifest.get("schema_version", 0) > db.SCHEMA_VERSION:
        raise BackupError(f"{src}: made by a newer program (schema {manifest['schema_version']})")
    files = {t: _table_file(src, t) for t in DATA_TABLES}
    with db.write_transaction(con, DATA_TABLES):
        for table, file in files.items():
            cols = ", ".join(r[0] for r in con.execute(f"DESCRIBE {table}").fetchall())
            con.execute(f"DELETE FROM {table}")
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM read_parquet(?)", [str(file)])
            got = db.scalar(con, f"SELECT count(*) FROM {table}")
            if got != manifest["rows"].get(table, got):
                raise BackupError(f"{file.name}: {got} rows, the manifest says {manifest['rows'][table]}")
    return {"restored": str(src), "rows": manifest["rows"]}


MAX_ZIP_BYTES = 4 << 30  # 4 GiB unpacked at most


def backup_zip(con: duckdb.DuckDBPyConnection) -> bytes:
    """The backup folder as one ZIP (for a download button)."""
    import io
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "backup"
        backup(con, folder)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(folder.iterdir()):
                zf.write(f, f.name)
        return buf.getvalue()


def restore_zip(con: duckdb.DuckDBPyConnection, data: bytes) -> dict:
    """Restore from a ZIP made by ``backup_zip``. Member names never become paths: only plain
    file names are extracted, into a fresh temporary folder, within a size limit."""
    import io
    import tempfile
    import zipfile

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BackupError("not a ZIP file") from None
    with zf, tempfile.TemporaryDirectory() as tmp:
        total = 0
        for info in zf.infolist():
            name = Path(info.filename).name
            if name != info.filename or name.startswith(".") or not name:
                raise BackupError(f"refused: member {info.filename!r} is not a plain file name")
            total += info.file_size
            if total > MAX_ZIP_BYTES:
                raise BackupError("refused: the ZIP unpacks to more than 4 GiB")
            (Path(tmp) / name).write_bytes(zf.read(info))
        return restore(con, Path(tmp))
