"""Upload staging: a private folder, names of our own, clean-up and a size cap."""

from __future__ import annotations

import os

from analytics.io import staging


def test_staged_upload_is_private_and_named_by_content():
    path = staging.stage_upload(b"customer_id\nA\n", "../../etc/passwd")
    folder = staging.staging_folder()
    assert path.parent == folder
    assert path.name.startswith("upload-") and path.suffix == ".csv"  # the user's name is never a path
    assert folder.stat().st_mode & 0o777 == 0o700
    assert path.stat().st_mode & 0o777 == 0o600
    assert staging.stage_upload(b"customer_id\nA\n", "other.csv") == path  # same content, same file
    assert staging.upload_suffix("book.XLSX") == ".xlsx"
    staging.discard(path)
    assert not path.exists()


def test_folder_cap_evicts_the_oldest(monkeypatch):
    monkeypatch.setattr(staging, "MAX_STAGED_BYTES", 250)
    first = staging.stage_upload(b"a" * 100, "a.csv")
    os.utime(first, (1, 1))  # long unused
    second = staging.stage_upload(b"b" * 100, "b.csv")
    third = staging.stage_upload(b"c" * 100, "c.csv")  # 300 bytes would pass the cap: the oldest goes
    assert not first.exists() and second.exists() and third.exists()
    for p in (second, third):
        staging.discard(p)


def test_discard_leaves_files_outside_the_folder(tmp_path):
    outside = tmp_path / "keep.csv"
    outside.write_text("x")
    staging.discard(outside)
    assert outside.exists()
