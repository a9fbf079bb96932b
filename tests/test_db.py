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
        with pytest.raises(db.DatabaseInUseError, match=f"in use by process {holder.pid}"):
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


def test_migration_from_a_version_1_file_with_missing_columns(tmp_path):
    """A file of the first releases: stamped schema 1, customers without churned / churn_date.
    Opening it adds the columns (one step, one transaction) and stamps the current schema; the data stay."""
    import duckdb

    from analytics.filters import default_filters
    from analytics.overview import key_figures

    path = tmp_path / "v1.duckdb"
    with db.connect(path) as c:
        c.execute("INSERT INTO customers (customer_id, region) VALUES ('A', '上海')")
        c.execute("INSERT INTO interactions (customer_id, ts, kind, amount) VALUES ('A', '2026-01-05', 'purchase', 10)")
        c.execute("ALTER TABLE customers DROP COLUMN churned")
        c.execute("ALTER TABLE customers DROP COLUMN churn_date")
        db.set_meta(c, "schema_version", "1")
    with duckdb.connect(str(path)) as raw:
        assert "churned" not in {r[0] for r in raw.execute("DESCRIBE customers").fetchall()}
    with db.connect(path, read_only=True) as c:  # even a read-only open migrates it first
        assert db.schema_version(c) == db.SCHEMA_VERSION
        assert {"churned", "churn_date"} <= {r[0] for r in c.execute("DESCRIBE customers").fetchall()}
        assert c.execute("SELECT customer_id, region FROM customers").fetchall() == [("A", "上海")]
        assert key_figures(c, default_filters(c, "all"), min_n=1)["active_customers"].value == 1


def test_each_migration_step_from_an_empty_file(tmp_path):
    """Step 1 creates every table, step 2 completes columns; a second open changes nothing."""
    from analytics import schema

    with db.connect(tmp_path / "new.duckdb") as c:
        assert db.schema_version(c) == db.SCHEMA_VERSION and sorted(schema.MIGRATIONS) == list(
            range(1, db.SCHEMA_VERSION + 1)
        )
        cols = {r[0] for r in c.execute("DESCRIBE customers").fetchall()}
        assert set(schema.TABLES["customers"]) == cols
    with db.connect(tmp_path / "new.duckdb") as c:
        assert db.data_version(c) == 0
