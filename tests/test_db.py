from analytics import db


def test_schema_has_every_table_and_column(con):
    for table, cols in db.TABLES.items():
        got = {r[0]: r[1] for r in con.execute(f"DESCRIBE {table}").fetchall()}
        assert list(got) == list(cols), table
        for col, sql_type in cols.items():
            assert got[col] == sql_type, (table, col)
    for extra in ("customer_attributes", "import_log", "scenarios"):
        assert con.execute(f"SELECT count(*) FROM {extra}").fetchone()[0] == 0


def test_schema_version_and_data_version(con):
    assert db.schema_version(con) == db.SCHEMA_VERSION
    assert db.data_version(con) == 0
    assert db.bump_data_version(con) == 1
    assert db.data_version(con) == 1


def test_connect_creates_file_and_reopens(tmp_path):
    path = tmp_path / "sub" / "x.duckdb"
    with db.connect(path) as c:
        c.execute("INSERT INTO customers (customer_id) VALUES ('A')")
    with db.connect(path, read_only=True) as c:
        assert c.execute("SELECT customer_id FROM customers").fetchall() == [("A",)]
        assert db.schema_version(c) == db.SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "x.duckdb"
    with db.connect(path) as c:
        db.set_meta(c, "schema_version", str(db.SCHEMA_VERSION + 1))
    import pytest

    with pytest.raises(RuntimeError, match="newer"):
        db.connect(path)


def test_second_process_is_told_the_file_is_in_use(tmp_path):
    """Another process holds the file for writing: a clear error, and the file is fine afterwards."""
    import subprocess
    import sys
    import time

    import pytest

    path = tmp_path / "busy.duckdb"
    with db.connect(path) as c:
        c.execute("INSERT INTO customers (customer_id) VALUES ('A')")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(db.DatabaseInUseError, match="in use by another process"):
            db.connect(path)
    finally:
        holder.kill()
        holder.wait()
    for _ in range(50):  # the lock is gone with the process (give the OS a moment); data intact
        try:
            c = db.connect(path, read_only=True)
            break
        except db.DatabaseInUseError:
            time.sleep(0.1)
    with c:
        assert c.execute("SELECT customer_id FROM customers").fetchall() == [("A",)]
