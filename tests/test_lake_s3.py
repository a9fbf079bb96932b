"""A DuckLake whose data files live on S3: a local S3-compatible server (moto in server mode on
a free loopback port), a SQLite catalog, and the commands that write, read, back up and compact."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import lakes, pgcluster
from tests.helpers import ROOT
from tests.test_lake import referenced_files

BUCKET = "csat"


@pytest.fixture(scope="module")
def s3(tmp_path_factory) -> Iterator[dict[str, str]]:
    """moto's S3 server on a free port; yields the AWS_* variables that point at it."""
    server = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")
    if server is None:
        pytest.fail("moto_server is missing: pip install -r requirements-dev.txt")
    port = pgcluster.free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "wb")
    proc = subprocess.Popen([server, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        urllib.request.urlopen(urllib.request.Request(f"{url}/{BUCKET}", method="PUT"), timeout=5)
        yield {
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": url,
        }
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def objects(s3: dict[str, str], prefix: str) -> list[str]:
    """Keys under ``prefix`` in the bucket (S3's ListObjectsV2, read from the XML)."""
    import xml.etree.ElementTree as ET

    body = urllib.request.urlopen(f"{s3['AWS_ENDPOINT_URL']}/{BUCKET}?list-type=2&prefix={prefix}", timeout=5).read()
    ns = {"s": "http://s3.amazonaws.com/doc/2006-03-01/"}
    return [k.text or "" for k in ET.fromstring(body).findall("s:Contents/s:Key", ns)]


def cli(*args: str, db: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args, "--db", db],
        cwd=ROOT,
        env={**lakes.cli_env(db), **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_lake_with_its_data_on_s3(s3, tmp_path, monkeypatch):
    lake = f"ducklake:sqlite:{tmp_path / 'catalog.sqlite'}"
    made = cli("demo", "--customers", "300", db=lake, env={**s3, "CSAT_LAKE_DATA": f"s3://{BUCKET}/lake/"})
    assert made.returncode == 0, made.stderr
    assert not (tmp_path / "catalog.sqlite.files").exists()  # nothing local besides the catalog
    assert any(k.endswith(".parquet") for k in objects(s3, "lake/"))

    report = json.loads(cli("report", "--json", db=lake, env=s3).stdout)  # the catalog names the s3:// path
    assert report["data"]["rows"]["customers"] == 300

    csv = tmp_path / "orders.csv"
    csv.write_text("customer_id,ts,kind,amount\nS1,2026-10-01,purchase,120\nS2,2026-10-02,purchase,80\n")
    imported = cli("import", "interactions", str(csv), "--quiet", "--keep-demo", "--no-fit", db=lake, env=s3)
    assert imported.returncode == 0, imported.stderr
    rows = json.loads(cli("report", "--json", db=lake, env=s3).stdout)["data"]["rows"]
    assert rows["customers"] == 302 and rows["interactions"] == report["data"]["rows"]["interactions"] + 2

    assert cli("backup", str(tmp_path / "backup"), db=lake, env=s3).returncode == 0
    assert (tmp_path / "backup" / "manifest.json").exists()

    kept = json.loads(cli("maintain", "--keep-hours", "0", db=lake, env=s3).stdout)
    assert kept["snapshots_after"] == 1
    on_s3 = {Path(k).name for k in objects(s3, "lake/") if k.endswith(".parquet")}
    for k, v in s3.items():  # this process reads the catalog too
        monkeypatch.setenv(k, v)
    assert on_s3 == referenced_files(lake) and kept["files_after"] == len(on_s3)  # no orphan left
    assert json.loads(cli("report", "--json", db=lake, env=s3).stdout)["data"]["rows"] == rows


def test_unreachable_s3_is_one_line(s3, tmp_path):
    lake = f"ducklake:sqlite:{tmp_path / 'catalog.sqlite'}"
    made = cli("demo", "--customers", "100", "--no-fit", db=lake, env={**s3, "CSAT_LAKE_DATA": f"s3://{BUCKET}/gone/"})
    assert made.returncode == 0, made.stderr
    away = {**s3, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{pgcluster.free_port()}"}  # nothing listens there
    out = cli("report", "--json", db=lake, env=away)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "data files" in out.stderr, out.stderr
