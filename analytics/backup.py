"""Back up and restore the whole database.

``backup`` writes DuckDB's EXPORT DATABASE (schema.sql, load.sql and one Parquet file per
table) plus a manifest with row counts and versions. ``restore`` reads such a folder back
into the open database in one transaction: every table is emptied and refilled, or nothing
changes. The restored data get a new data version, so every cache goes stale.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import duckdb

from analytics import db
from analytics.io.undo import UNDO_STATE
from analytics.schema import order_clause
from analytics.storage import first_line

DATA_TABLES = list(db.TABLES) + ["customer_attributes", "import_log", "scenarios"]


class BackupError(ValueError):
    """The folder is not a backup this program can restore."""


def backup(con: duckdb.DuckDBPyConnection, folder: Path | str) -> dict:
    """Export every table to ``folder`` (created; must be empty or missing).

    The export goes to a hidden sibling folder first and is renamed into place once its
    manifest is written: a full disk or a kill leaves no half backup that blocks the next try.
    """
    out = Path(folder)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"{out}: the folder is not empty")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    t0 = time.perf_counter()
    try:
        con.execute(f"EXPORT DATABASE '{_quote(partial)}' (FORMAT parquet)")
        manifest = {
            "schema_version": db.schema_version(con),
            "data_version": db.data_version(con),
            "rows": {t: db.scalar(con, f"SELECT count(*) FROM {t}") for t in DATA_TABLES},
            "created": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        if out.exists():
            out.rmdir()  # empty, checked above
        partial.rename(out)
    except (OSError, duckdb.Error) as exc:
        raise BackupError(f"{out}: the backup could not be written ({first_line(exc)})") from None
    finally:
        shutil.rmtree(partial, ignore_errors=True)
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


def read_manifest(text: str, where: str) -> dict:
    """The manifest of a backup, checked: an object with a whole schema version and a row
    count per table (anything else is not a backup made by this program)."""
    try:
        manifest = json.loads(text)
    except ValueError as exc:
        raise BackupError(f"{where}: not a backup made by this program (manifest.json: {exc})") from None
    rows = manifest.get("rows") if isinstance(manifest, dict) else None
    version = manifest.get("schema_version") if isinstance(manifest, dict) else None
    if (
        not isinstance(version, int)
        or isinstance(version, bool)
        or not isinstance(rows, dict)
        or not all(isinstance(n, int) and n >= 0 for n in rows.values())
    ):
        raise BackupError(f"{where}: manifest.json is not a manifest of this program")
    if version > db.SCHEMA_VERSION:
        raise BackupError(f"{where}: made by a newer program (schema {version}, this one reads {db.SCHEMA_VERSION})")
    return manifest


def check_backup(folder: Path) -> tuple[dict, dict[str, Path]]:
    """The manifest and the table files of a backup folder, or a BackupError saying what is wrong."""
    try:
        text = (folder / "manifest.json").read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise BackupError(f"{folder}: not a backup made by this program (manifest.json: {reason})") from None
    return read_manifest(text, str(folder)), {t: _table_file(folder, t) for t in DATA_TABLES}


def restore(con: duckdb.DuckDBPyConnection, folder: Path | str) -> dict:
    """Replace all data with the backup in ``folder``, all or nothing."""
    src = Path(folder)
    manifest, files = check_backup(src)
    try:
        with db.write_transaction(con, DATA_TABLES):
            for table in UNDO_STATE:  # a restore is a new starting point: nothing before it to undo
                con.execute(f"DELETE FROM {table}")
            for table, file in files.items():
                con.execute(f"DELETE FROM {table}")
                try:
                    # a backup from an older schema lacks the newer columns (e.g. surveys.comment): they stay empty
                    have = {r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(file)]).fetchall()}
                    names = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] in have]
                    cols = ", ".join(names)
                    order = order_clause(table, names)
                    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM read_parquet(?){order}", [str(file)])
                except duckdb.Error as exc:  # not Parquet, other columns, other types
                    raise BackupError(f"{file.name}: not a backup of table {table} ({first_line(exc)})") from None
                got = db.scalar(con, f"SELECT count(*) FROM {table}")
                if got != manifest["rows"].get(table, got):
                    raise BackupError(f"{file.name}: {got} rows, the manifest says {manifest['rows'][table]}")
    except duckdb.Error as exc:  # a full disk while writing
        raise BackupError(f"{src}: the restore could not be written, nothing changed ({first_line(exc)})") from None
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
    """Restore from a ZIP made by ``backup_zip``, refusing early and using little memory.

    The manifest is read and checked first; then only the tables' Parquet members are
    streamed to a fresh temporary folder in 1 MiB chunks, counting the bytes actually
    written (not the sizes the ZIP declares), with a cap on the total and on each member's
    unpacking ratio. Member names never become paths; links and folders are refused.
    """
    import io
    import tempfile
    import zipfile

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise BackupError("not a ZIP file") from None
    with zf, tempfile.TemporaryDirectory() as tmp:
        members = {}
        for info in zf.infolist():
            name = info.filename
            if Path(name).name != name or name.startswith(".") or not name or info.is_dir():
                raise BackupError(f"refused: member {name!r} is not a plain file name")
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                raise BackupError(f"refused: member {name!r} is a link")
            members[name] = info
        if "manifest.json" not in members:
            raise BackupError("not a backup made by this program (no manifest.json)")
        text = _read_member(zf, members["manifest.json"], MAX_MANIFEST_BYTES).decode("utf-8", "replace")
        read_manifest(text, "manifest.json")
        budget = MAX_ZIP_BYTES
        wanted = {t.lower() for t in DATA_TABLES}
        for name, info in members.items():
            if name == "manifest.json" or (name.endswith(".parquet") and name[: -len(".parquet")].lower() in wanted):
                budget -= _extract(zf, info, Path(tmp) / name, budget)
        return restore(con, Path(tmp))


MAX_MANIFEST_BYTES = 1 << 20
#: A member may unpack to at most this many times its compressed size (Parquet is already
#: compressed; a ZIP bomb is not).
MAX_RATIO = 100
_CHUNK = 1 << 20


def _read_member(zf, info, cap: int) -> bytes:
    out = bytearray()
    for chunk in _chunks(zf, info, cap):
        out += chunk
    return bytes(out)


def _extract(zf, info, target: Path, budget: int) -> int:
    """Stream one member to ``target``; returns the bytes written."""
    written = 0
    with open(target, "wb") as fh:
        for chunk in _chunks(zf, info, budget):
            fh.write(chunk)
            written += len(chunk)
    return written


def _chunks(zf, info, cap: int):
    """A member's bytes in chunks, refusing past ``cap`` or ``MAX_RATIO`` times its packed size."""
    import zipfile

    limit = min(cap, max(info.compress_size, 1) * MAX_RATIO + _CHUNK)
    seen = 0
    try:
        with zf.open(info) as src:
            while chunk := src.read(_CHUNK):
                seen += len(chunk)
                if seen > limit:
                    reason = "more than 4 GiB in all" if seen > cap else f"over {MAX_RATIO} times its packed size"
                    raise BackupError(f"refused: {info.filename} unpacks to {reason} (a ZIP bomb?)")
                yield chunk
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError) as exc:
        raise BackupError(f"{info.filename}: the ZIP is damaged ({first_line(exc)})") from None
