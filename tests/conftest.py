"""Shared fixtures: a fresh database per test, and one demo database per session.

``--storage sqlite`` or ``--storage postgres`` (or ``CSAT_TEST_STORAGE``) runs the same tests
with these databases in a DuckLake (SQLite catalog, or a private PostgreSQL cluster) instead
of DuckDB files: ``python -m pytest -q --storage sqlite tests/value``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from analytics import db
from analytics.demo import build_demo
from tests import lakes

# CLI writes in tests do not precompute the app's pages (ui/warm.py; tests/test_warm.py does).
os.environ["CSAT_WARM"] = "0"

# Property tests run the same examples on every machine (CI must not flake on a new draw).
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.load_profile("repeatable")


def pytest_addoption(parser):
    parser.addoption(
        "--storage",
        choices=lakes.KINDS,
        default=os.environ.get("CSAT_TEST_STORAGE", "file"),
        help="where the shared fixtures keep their databases: file (DuckDB), sqlite or postgres (DuckLake)",
    )


@pytest.fixture(scope="session")
def storage(request) -> str:
    return request.config.getoption("--storage")


@pytest.fixture(scope="session")
def new_db(storage, tmp_path_factory) -> Callable[[str], str]:
    """A factory of new, empty database targets of the chosen storage (``new_db("demo")``)."""
    with lakes.Factory(storage, tmp_path_factory.mktemp("dbs")) as factory:
        yield factory.new


@pytest.fixture
def con(storage, new_db):
    """A fresh database with the schema (in memory; a new lake with --storage)."""
    c = db.connect(":memory:" if storage == "file" else new_db("con"))
    yield c
    c.close()


@pytest.fixture(scope="session")
def demo_path(new_db) -> str:
    """A demo database (5,000 customers, seed 7) shared by read-only tests."""
    path = new_db("demo")
    with db.connect(path) as c:
        build_demo(c, customers=5000, seed=7)
    return path


@pytest.fixture
def demo_copy(demo_path, storage, new_db) -> Callable[[Path], Path | str]:
    """``demo_copy(tmp_path / "x.duckdb")`` → a writable copy of the demo (that file, or a new
    lake of the chosen storage holding the same rows, stored fits included)."""

    def copy(path: Path) -> Path | str:
        if storage == "file":
            shutil.copy(demo_path, path)
            return path
        target = new_db(path.stem)
        lakes.copy_rows(demo_path, target)
        return target

    return copy


@pytest.fixture
def demo_con(demo_path):
    c = db.connect(demo_path, read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="session")
def big_demo(new_db):
    """50,000 customers: enough for the planted rates to show within a few points."""
    path = new_db("big")
    with db.connect(path) as c:
        build_demo(c, customers=50000, seed=11)
    c = db.connect(path, read_only=True)
    yield c
    c.close()
