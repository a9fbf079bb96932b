"""Overview (总览): key figures against the previous period, their monthly trend, the CLV tile."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from analytics import coverage, overview
from analytics.filters import Filters
from analytics.value.whatif import Assumptions, evaluate, measure_assumptions_at


@dataclass(frozen=True)
class ClvTile:
    """Mean retention-based lifetime value of an active customer, now and a period before
    (元 / customer over the default horizon; None when fewer than the minimum n are active, or
    were active in the year before: retention cannot be measured then)."""

    value: float | None
    previous: float | None
    n: int | None
    inputs: Assumptions | None = None  # what the value is computed from ("show the math")

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.previous is None else self.value - self.previous


def clv_tile(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int) -> ClvTile:
    """This and the previous period's CLV per customer from one pass over purchases
    (analytics/value/whatif.py: retention-based CLV, Gupta & Lehmann 2003)."""
    try:
        (now_a, now_n, now_b), (prev_a, prev_n, prev_b) = measure_assumptions_at(
            con, f, (f.end, f.previous().end), with_base=True
        )
    except ValueError:  # no purchases at all
        return ClvTile(None, None, None)
    # retention needs a year before with enough customers: less than a year of data is "—", not 0
    now = evaluate(now_a, now_n).clv_existing if min(now_n, now_b) >= min_n else None
    prev = evaluate(prev_a, prev_n).clv_existing if min(prev_n, prev_b) >= min_n else None
    return ClvTile(now, prev, now_n, now_a if now is not None else None)


def page(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int) -> tuple:
    by_region = overview.period_figures(con, f, "region")  # the group table's pass, and a filtered view's total
    return (
        overview.key_figures(con, f, min_n, by_region),
        overview.monthly_trend(con, f.ending(), min_n=min_n),  # as the page asks for it
        clv_tile(con, f, min_n),
        overview.segment_table(con, f, "region", min_n, by_region),
        coverage.loaded(con),  # which figures have data at all
    )
