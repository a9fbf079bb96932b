"""A writer killed while DuckDB spills to disk leaves ``<file>.tmp``; the next writer that
opens the file removes the stale spill files (issue 18)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from analytics import db
from tests.helpers import ROOT

SPILLER = """
import sys
from analytics import db
con = db.connect(sys.argv[1])
con.execute("SET threads = 1")
# far more than the 32 MB cap: the sort spills into <file>.tmp
con.execute("CREATE TABLE big AS SELECT range AS i, md5(range::VARCHAR) AS h FROM range(6000000) ORDER BY h")
"""


def test_spill_files_of_a_killed_writer_are_removed_on_the_next_open(tmp_path):
    path = tmp_path / "spill.duckdb"
    spill = tmp_path / "spill.duckdb.tmp"
    env = {**os.environ, "CSAT_MEMORY_LIMIT": "32MB", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", SPILLER, str(path)], cwd=ROOT, env=env)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and not (spill.is_dir() and any(spill.iterdir())):
            assert proc.poll() is None, "the writer ended before it spilled"
            time.sleep(0.05)
        assert spill.is_dir() and any(spill.iterdir()), "no spill file appeared"
        time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    left = sum(f.stat().st_size for f in spill.iterdir())
    assert left > 0  # what a kill -9 leaves behind
    with db.connect(path) as con:
        assert db.schema_version(con) == db.SCHEMA_VERSION
    assert not spill.exists() or not any(spill.iterdir())
