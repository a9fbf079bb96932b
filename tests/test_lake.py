"""Shared storage for real: every CLI command on a DuckLake with a SQLite catalog and with a
PostgreSQL catalog (a private cluster), a reader in another process that sees all-old or
all-new while an import commits, ``kill -9`` of imports that leaves the lake whole, and
``maintain`` that leaves no file the catalog does not know."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from analytics import db, storage
from analytics.maintain import data_path, lake_files
from tests import lakes
from tests.helpers import ROOT

ROWS = 200_000


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def factory(request, tmp_path_factory):
    with lakes.Factory(request.param, tmp_path_factory.mktemp(f"lakes-{request.param}")) as f:
        yield f


@pytest.fixture(scope="module")
def demo_lake(factory) -> str:
    """A 400-customer demo lake built by the CLI (the source of the copies below)."""
    target, data = factory.bare("demo")
    out = cli("demo", "--customers", "400", db=target, data=data)
    assert out.returncode == 0, out.stderr
    return str(target)


def cli(*args: str, db: object, data: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """``python -m analytics ARGS --db DB`` (``CSAT_LAKE_DATA`` only where a lake is created)."""
    env = lakes.cli_env(str(db))
    if data is not None:
        env["CSAT_LAKE_DATA"] = str(data)
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args, "--db", str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def state(target: str) -> tuple[int, int, int]:
    """(data version, customers, interactions), read in one snapshot."""
    with db.connect(target, read_only=True) as con:
        row = con.execute(
            "SELECT (SELECT value FROM meta WHERE key = 'data_version'),"
            " (SELECT count(*) FROM customers), (SELECT count(*) FROM interactions)"
        ).fetchone()
    return int(row[0] or 0), row[1], row[2]


def copy_of(factory: lakes.Factory, source: str, name: str) -> str:
    target = str(factory.new(name))
    lakes.copy_rows(source, target)
    return target


def test_every_command_works_on_a_lake(factory, demo_lake, tmp_path):
    lake = copy_of(factory, demo_lake, "commands")
    _, customers, interactions = state(lake)
    report = json.loads(cli("report", "--json", db=lake).stdout)
    assert report["data"]["rows"]["customers"] == customers == 400

    for args, made in [
        (("churn", "--days", "180", "--out", str(tmp_path / "at_risk.csv")), tmp_path / "at_risk.csv"),
        (("deck", "--lang", "zh-CN", "--out", str(tmp_path / "deck.pptx")), tmp_path / "deck.pptx"),
        (("deck", "--lang", "en", "--out", str(tmp_path / "deck.html")), tmp_path / "deck.html"),
        (("text", "--out", str(tmp_path / "themes.csv")), tmp_path / "themes.csv"),
    ]:
        out = cli(*args, db=lake)
        assert out.returncode == 0, (args, out.stderr)
        assert made.stat().st_size > 0, args
    clv = cli("clv", "--unit", "weeks", db=lake)
    assert clv.returncode == 0 and clv.stdout.strip(), clv.stderr

    assert cli("currency", "USD", db=lake).returncode == 0
    assert "USD" in cli("currency", db=lake).stdout

    files = lake_file_count(lake)
    imported = cli(
        "import", "interactions", str(lakes.purchases_csv(tmp_path / "p.csv", 1000)), "--quiet", "--keep-demo", db=lake
    )
    assert imported.returncode == 0, imported.stderr
    assert lake_file_count(lake) - files < 50, "an import leaves a few files, not one per row"
    assert state(lake)[2] == interactions + 1000
    undone = cli("undo", str(json.loads(imported.stdout)["import_id"]), db=lake)
    assert undone.returncode == 0, undone.stderr
    assert state(lake)[1:] == (customers, interactions)

    assert cli("backup", str(tmp_path / "backup"), db=lake).returncode == 0
    restored, data = factory.bare("restored")
    out = cli("restore", str(tmp_path / "backup"), "--no-fit", db=restored, data=data)
    assert out.returncode == 0, out.stderr
    assert state(str(restored))[1:] == (customers, interactions)

    kept = json.loads(cli("maintain", "--keep-hours", "0", db=lake).stdout)
    assert kept["storage"] == "ducklake" and kept["snapshots_after"] == 1
    assert kept["files_after"] <= kept["files_before"]
    assert state(lake)[1:] == (customers, interactions)  # compaction changes no row

    cleared = cli("clear", "--yes", db=lake)
    assert cleared.returncode == 0, cleared.stderr
    assert state(lake)[1:] == (0, 0)


def test_a_backup_of_a_file_restores_into_a_lake(factory, demo_path, storage, tmp_path):
    if storage != "file":
        pytest.skip("the source here is the file demo")
    assert cli("backup", str(tmp_path / "b"), db=demo_path).returncode == 0
    target, data = factory.bare("from_file")
    out = cli("restore", str(tmp_path / "b"), "--no-fit", db=target, data=data)
    assert out.returncode == 0, out.stderr
    assert state(str(target))[1:] == state(str(demo_path))[1:]


def test_a_reader_sees_all_old_or_all_new_while_another_process_imports(factory, demo_lake, tmp_path):
    lake = copy_of(factory, demo_lake, "reader")
    old = state(lake)
    seen: set[tuple[int, int, int]] = set()
    errors: list[str] = []
    done = threading.Event()

    def read() -> None:
        with db.connect(lake, read_only=True) as con:
            while not done.is_set():
                cur = con.cursor()
                try:
                    cur.execute("BEGIN TRANSACTION")
                    version = cur.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0]
                    time.sleep(0.01)  # a run reads many tables: the snapshot must hold between them
                    n = cur.execute("SELECT count(*) FROM customers").fetchone()[0]
                    m = cur.execute("SELECT count(*) FROM interactions").fetchone()[0]
                    cur.execute("COMMIT")
                    seen.add((int(version), n, m))
                except duckdb.Error as exc:
                    errors.append(str(exc))
                finally:
                    cur.close()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        out = cli(
            "import",
            "interactions",
            str(lakes.purchases_csv(tmp_path / "big.csv", ROWS)),
            "--quiet",
            "--keep-demo",
            "--no-fit",
            db=lake,
        )
    finally:
        time.sleep(0.5)
        done.set()
        reader.join()
    assert out.returncode == 0, out.stderr
    new = state(lake)
    assert new[2] == old[2] + ROWS and new[0] > old[0]
    assert not errors, errors[:3]
    assert seen <= {old, new} and new in seen, seen


@pytest.mark.parametrize("after", [0.5, 2.0, 4.0, 8.0])
def test_kill_9_of_an_import_leaves_old_or_new_and_no_orphans(factory, demo_lake, tmp_path, after):
    lake = copy_of(factory, demo_lake, f"kill_{int(after * 10)}")
    old = state(lake)
    csv = lakes.purchases_csv(tmp_path / "big.csv", ROWS)
    env = lakes.cli_env(lake)
    proc = subprocess.Popen(
        [sys.executable, "-m", "analytics", "import", "interactions", str(csv), "--quiet", "--keep-demo", "--db", lake],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(after)
    finished = proc.poll() is not None  # a fast machine may finish first: then it must be "new"
    if not finished:  # poll() did not reap it, so the pid is still ours (alive or a zombie)
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    now = state(lake)  # the lake opens
    assert now == old or now[1:] == (old[1] + 20_000, old[2] + ROWS), (after, finished, old, now)
    if finished:
        assert proc.returncode == 0 and now != old, (after, proc.returncode, old, now)

    out = cli("maintain", "--keep-hours", "0", db=lake)
    assert out.returncode == 0, out.stderr
    assert files_on_disk(lake) == referenced_files(lake)
    assert state(lake)[1:] == now[1:]


def lake_file_count(target: str) -> int:
    with db.connect(target, read_only=True) as con:
        return lake_files(con)


def files_on_disk(target: str) -> set[str]:
    with db.connect(target, read_only=True) as con:
        folder = Path(data_path(con))
    return {p.name for p in folder.rglob("*.parquet")}


def referenced_files(target: str) -> set[str]:
    """Every data and delete file the catalog lists (after maintain: only the live snapshot's)."""
    with db.connect(target, read_only=True) as con:
        meta = '"__ducklake_metadata_{}"'.format(db.scalar(con, "SELECT current_database()"))
        rows = con.execute(
            f"SELECT path FROM {meta}.ducklake_data_file UNION ALL SELECT path FROM {meta}.ducklake_delete_file"
        ).fetchall()
    return {Path(r[0]).name for r in rows}


def test_read_only_commands_never_create_a_lake(factory, tmp_path):
    target, data = factory.bare("missing")
    for command in (["report"], ["clv"], ["churn"], ["deck", "--out", str(tmp_path / "d.html")], ["maintain"]):
        out = cli(*command, db=target, data=data)
        assert out.returncode == 2, (command, out.stdout, out.stderr)
        assert "no such lake" in out.stderr and "Traceback" not in out.stderr, out.stderr
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert not data.exists()
    if factory.kind == "sqlite":
        assert not Path(storage.parse(str(target)).address).exists()
    else:
        with duckdb.connect(config={"extension_directory": storage.extension_dir()}) as con:
            con.execute(f"ATTACH {db.quote_literal(storage.parse(str(target)).address)} AS pg (TYPE postgres)")
            made = con.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'pg'"
                " AND schema_name NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()[0]
            assert made == 0, made


@pytest.mark.parametrize(
    "target, says",
    [
        ("ducklake:mysql:x", "expected ducklake:sqlite:PATH or ducklake:postgres:CONNINFO"),
        ("ducklake:sqlite:", "expected ducklake:sqlite:PATH"),
        ("ducklake:postgres:host=127.0.0.1 port=1 dbname=x user=x password=secret", "cannot reach"),
    ],
)
def test_a_bad_lake_target_gets_one_line(target, says):
    out = cli("report", db=target)
    assert out.returncode == 2 and says in out.stderr, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "secret" not in out.stderr, out.stderr
