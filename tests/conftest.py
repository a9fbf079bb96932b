"""Shared fixtures: a fresh database per test, and one demo database per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from analytics import db
from analytics.demo import build_demo

# Property tests run the same examples on every machine (CI must not flake on a new draw).
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.load_profile("repeatable")


@pytest.fixture
def con():
    """A fresh in-memory database with the schema."""
    c = db.connect(":memory:")
    yield c
    c.close()


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory) -> Path:
    """A demo database file (5,000 customers, seed 7) shared by read-only tests."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with db.connect(path) as c:
        build_demo(c, customers=5000, seed=7)
    return path


@pytest.fixture
def demo_con(demo_path):
    c = db.connect(demo_path, read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="session")
def big_demo(tmp_path_factory):
    """50,000 customers: enough for the planted rates to show within a few points."""
    path = tmp_path_factory.mktemp("big") / "big.duckdb"
    with db.connect(path) as c:
        build_demo(c, customers=50000, seed=11)
    c = db.connect(path, read_only=True)
    yield c
    c.close()
