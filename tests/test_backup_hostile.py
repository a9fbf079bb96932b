"""Restoring a damaged or hostile backup ZIP: a clear BackupError, nothing changed, little memory."""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile

import pytest

from analytics import db
from analytics.backup import BackupError, backup_zip, restore_zip
from tests.helpers import snapshot


@pytest.fixture(scope="module")
def good_zip(demo_path, tmp_path_factory) -> bytes:
    with db.connect(demo_path, read_only=True) as con:
        return backup_zip(con)


@pytest.fixture
def target(demo_copy, tmp_path):
    path = tmp_path / "t.duckdb"
    path = demo_copy(path)
    with db.connect(path) as con:
        yield con


def _rezip(good: bytes, change) -> bytes:
    """The good backup with its members passed through ``change(name, data) -> [(info|name, data)]``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            for name, data in change(info.filename, src.read(info)):
                dst.writestr(name, data)
    return out.getvalue()


def _swap(member: str, data: bytes):
    return lambda name, old: [(name, data if name == member else old)]


def _manifest(value) -> bytes:
    return json.dumps(value).encode()


def _bad_crc(good: bytes) -> bytes:
    """Flip one byte inside the customers member's compressed data: the CRC no longer matches."""
    raw = bytearray(good)
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        info = next(i for i in zf.infolist() if i.filename.lower() == "customers.parquet")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    raw[start + info.compress_size // 2] ^= 0xFF
    return bytes(raw)


def _with_symlink(good: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        link = zipfile.ZipInfo("evil.parquet")
        link.external_attr = (0o120777 << 16) | 0x20
        dst.writestr(link, "/etc/passwd")
    return out.getvalue()


HOSTILE = {
    "not a zip": (lambda good: b"PK\x03\x04 not really", "not a ZIP"),
    "bad crc": (_bad_crc, "damaged"),
    "member not parquet": (lambda good: _rezip(good, _swap("customers.parquet", b"hello, not parquet")), "customers"),
    "symlink member": (_with_symlink, "link"),
    "folder member": (
        lambda good: _rezip(good, lambda n, d: [(n, d)] + ([("sub/x.parquet", b"")] if n == "manifest.json" else [])),
        "plain file name",
    ),
    "manifest a list": (lambda good: _rezip(good, _swap("manifest.json", _manifest([1, 2]))), "not a manifest"),
    "schema version text": (
        lambda good: _rezip(good, _swap("manifest.json", _manifest({"schema_version": "1", "rows": {}}))),
        "not a manifest",
    ),
    "newer schema": (
        lambda good: _rezip(good, _swap("manifest.json", _manifest({"schema_version": 999, "rows": {}}))),
        "newer program",
    ),
    "no manifest": (lambda good: _rezip(good, lambda n, d: [] if n == "manifest.json" else [(n, d)]), "no manifest"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_zip_is_refused_and_changes_nothing(case, good_zip, target):
    make, message = HOSTILE[case]
    before = snapshot(target)
    with pytest.raises(BackupError, match=message):
        restore_zip(target, make(good_zip))
    assert snapshot(target) == before


def test_wrong_columns_are_refused(good_zip, target):
    """A Parquet file of another table under the customers name."""
    with zipfile.ZipFile(io.BytesIO(good_zip)) as zf:
        other = zf.read(next(n for n in zf.namelist() if n.lower() == "scenarios.parquet"))
    before = snapshot(target)
    with pytest.raises(BackupError, match="customers"):
        restore_zip(target, _rezip(good_zip, _swap("customers.parquet", other)))
    assert snapshot(target) == before


def test_zip_bomb_is_refused_early_with_little_memory(good_zip, target):
    """256 MiB of zeros packed into a few hundred KB: refused after ~100× its packed size."""
    bomb = _rezip(good_zip, _swap("customers.parquet", bytes(256 << 20)))
    assert len(bomb) < 2 << 20
    before = snapshot(target)
    tracemalloc.start()
    try:
        with pytest.raises(BackupError, match="ZIP bomb"):
            restore_zip(target, bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 << 20  # bytes held by Python at once, far below the 256 MiB it claims to hold
    assert snapshot(target) == before


def test_good_zip_still_restores(good_zip, target):
    target.execute("DELETE FROM complaints")
    restore_zip(target, good_zip)
    assert db.table_counts(target)["complaints"] > 0
