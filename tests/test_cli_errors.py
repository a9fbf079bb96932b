"""Every CLI command against a database it cannot use: one line on stderr, exit 2, no traceback,
nothing created; and an output that cannot be written leaves no file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from tests.helpers import ROOT

NEED_ONE = [  # commands that need a database to be there (they never create one)
    ["report", "--json"],
    ["clv", "--json"],
    ["churn", "--json"],
    ["deck", "--lang", "en", "--out", "{tmp}/deck.html"],
    ["backup", "{tmp}/bk"],
    ["text", "--json"],
    ["maintain"],
    ["currency"],
    # writers that need a database already there (nothing to undo, clear or label in none)
    ["undo", "1"],
    ["clear", "--yes"],
    ["currency", "USD"],
]
WRITERS = [
    ["import", "customers", str(ROOT / "data" / "samples" / "customers_gbk.csv")],
    ["demo", "--customers", "50", "--no-fit"],
    ["restore", "{tmp}/nobk"],
]


def _cli(args: list[str], db: str, tmp) -> subprocess.CompletedProcess:
    argv = [a.format(tmp=tmp) for a in args] + ["--db", db]
    return subprocess.run(
        [sys.executable, "-m", "analytics", *argv], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def _one_line_error(out: subprocess.CompletedProcess, *words: str) -> None:
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, out.stderr
    assert all(w in lines[0] for w in words), lines[0]


@pytest.fixture
def bad_paths(tmp_path):
    corrupt = tmp_path / "corrupt.duckdb"
    corrupt.write_bytes(os.urandom(5000))
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    folder = tmp_path / "folder.duckdb"
    folder.mkdir()
    return {
        "corrupt": (corrupt, "not a DuckDB database"),
        "empty": (empty, "empty (0 bytes)"),
        "folder": (folder, "is a folder"),
        "missing": (tmp_path / "missing" / "dir" / "x.duckdb", "no such database"),
    }


CASES = [
    (command, kind)
    for command in NEED_ONE + WRITERS[:2]
    for kind in ("corrupt", "empty", "folder", "missing")
    if not (command[0] in ("import", "demo") and kind == "missing")  # these create the database
]


@pytest.mark.parametrize(("command", "kind"), CASES, ids=[f"{c[0]}-{k}" for c, k in CASES])
def test_unusable_database_is_one_line(bad_paths, kind, command, tmp_path):
    path, message = bad_paths[kind]
    out = _cli(command, str(path), tmp_path)
    _one_line_error(out, message)
    assert not (tmp_path / "missing").exists()  # read-only commands never create a database or folder


def test_restore_from_a_missing_backup_creates_no_database(tmp_path):
    out = _cli(["restore", "{tmp}/nobk"], str(tmp_path / "new" / "x.duckdb"), tmp_path)
    _one_line_error(out, "not a backup", "No such file")
    assert not (tmp_path / "new").exists()


def test_file_held_by_another_process(tmp_path, demo_path):
    from analytics import db as dbm
    from analytics.backup import backup

    db = tmp_path / "held.duckdb"
    shutil.copy(demo_path, db)
    with dbm.connect(db) as con:
        backup(con, tmp_path / "nobk")  # a valid backup, so restore gets as far as the database
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('ok', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        for command in NEED_ONE + WRITERS:
            out = _cli(command, str(db), tmp_path)
            _one_line_error(out, "in use by process", str(holder.pid), "DuckLake")
    finally:
        holder.kill()
        holder.wait()


def test_output_into_a_missing_folder_leaves_nothing(tmp_path, demo_path):
    db = tmp_path / "a.duckdb"
    shutil.copy(demo_path, db)
    out = _cli(["deck", "--lang", "en", "--out", "{tmp}/nowhere/deck.html"], str(db), tmp_path)
    _one_line_error(out, "does not exist")
    assert not (tmp_path / "nowhere").exists()


def test_newer_schema_is_refused_clearly(tmp_path, demo_path):
    from analytics import db as dbm

    db = tmp_path / "future.duckdb"
    shutil.copy(demo_path, db)
    with dbm.connect(db) as con:
        dbm.set_meta(con, "schema_version", "99")
    started = time.time()
    out = _cli(["report", "--json"], str(db), tmp_path)
    _one_line_error(out, "schema version 99", "newer")
    assert time.time() - started < 60
