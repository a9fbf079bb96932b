"""Training (培训模式): the slides with the company's figures (aggregates only)."""

from __future__ import annotations

import duckdb

from analytics.filters import Filters
from analytics.training import build_slides


def page(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int) -> list:
    return build_slides(con, f, "zh-CN", min_n)
