"""The app server's settings that page speed under many sessions depends on (benchmarks/RESULTS.md,
"Two server settings and one layout per figure")."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())


def test_no_full_garbage_collection_after_each_run():
    """Streamlit's gc.collect(2) after every script run was half of each cached page run."""
    assert CONFIG["runner"]["postScriptGC"] is False


def test_no_source_file_watcher():
    """Watching sources walked every imported module for each new session (0.6 s a first run)."""
    assert CONFIG["server"]["fileWatcherType"] == "none"
    assert CONFIG["server"]["runOnSave"] is False
