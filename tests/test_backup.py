"""Backup and restore round-trip; a broken backup changes nothing."""

import pytest

from analytics import db
from analytics.backup import BackupError, backup, restore
from tests.helpers import snapshot


def test_round_trip(tmp_path, demo_copy):
    path = tmp_path / "a.duckdb"
    path = demo_copy(path)
    with db.connect(path) as con:
        before = db.table_counts(con)
        answer = con.execute("SELECT sum(amount) FROM interactions").fetchone()[0]
        backup(con, tmp_path / "bk")
        con.execute("DELETE FROM interactions WHERE kind = 'purchase'")
        con.execute("DELETE FROM customers")
        restore(con, tmp_path / "bk")
        assert db.table_counts(con) == before
        assert con.execute("SELECT sum(amount) FROM interactions").fetchone()[0] == pytest.approx(answer)


def test_a_backup_from_before_the_text_columns_restores(tmp_path, demo_copy):
    """A schema-4 backup has no surveys.comment or complaints.description: they stay empty."""
    path = tmp_path / "a.duckdb"
    path = demo_copy(path)
    with db.connect(path) as con:
        backup(con, tmp_path / "bk")
        for table, column in (("surveys", "comment"), ("complaints", "description")):
            file = next((tmp_path / "bk").glob(f"{table}*.parquet"))
            con.execute(
                f"COPY (SELECT * EXCLUDE ({column}) FROM read_parquet('{file}')) TO '{file}.old' (FORMAT parquet)"
            )
            file.unlink()
            (tmp_path / "bk" / f"{file.name}.old").rename(file)
        restore(con, tmp_path / "bk")
        assert con.execute("SELECT count(*), count(comment) FROM surveys").fetchone()[1] == 0
        assert con.execute("SELECT count(*) FROM surveys").fetchone()[0] > 0


def test_broken_backup_changes_nothing(tmp_path, demo_copy):
    path = tmp_path / "a.duckdb"
    path = demo_copy(path)
    with db.connect(path) as con:
        backup(con, tmp_path / "bk")
        (tmp_path / "bk" / "manifest.json").write_text('{"schema_version": 1, "rows": {"customers": 1}}')
        before = snapshot(con)
        with pytest.raises(BackupError, match="manifest says"):
            restore(con, tmp_path / "bk")
        assert snapshot(con) == before
        with pytest.raises(BackupError, match="not a backup"):
            restore(con, tmp_path / "nowhere")
        with pytest.raises(BackupError, match="not empty"):
            backup(con, tmp_path / "bk")


def test_zip_round_trip_and_traversal_refused(tmp_path, demo_copy):
    import io
    import zipfile

    from analytics.backup import backup_zip, restore_zip

    path = tmp_path / "a.duckdb"
    path = demo_copy(path)
    with db.connect(path) as con:
        blob = backup_zip(con)
        con.execute("DELETE FROM complaints")
        restore_zip(con, blob)
        assert con.execute("SELECT count(*) FROM complaints").fetchone()[0] > 0
        evil = io.BytesIO()
        with zipfile.ZipFile(evil, "w") as zf:
            zf.writestr("../../etc/evil.parquet", b"x")
        before = snapshot(con)
        with pytest.raises(BackupError, match="not a plain file name"):
            restore_zip(con, evil.getvalue())
        with pytest.raises(BackupError, match="not a ZIP"):
            restore_zip(con, b"hello")
        assert snapshot(con) == before
