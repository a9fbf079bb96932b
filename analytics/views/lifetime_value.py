"""Lifetime value (终身价值): the measured baseline and the saved scenarios evaluated against it.

The deck's arithmetic and the sliders are a few multiplications (analytics/value/simple.py,
whatif.py) done as the sliders move; BG/NBD + Gamma-Gamma is its own benchmark step.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import coverage
from analytics.filters import Filters
from analytics.value import whatif


@dataclass(frozen=True)
class ScenarioRow:
    """A saved scenario with its levers applied, evaluated on the measured baseline."""

    name: str
    assumptions: whatif.Assumptions
    retention: float  # with the levers' gains
    result: whatif.Result


def baseline(con: duckdb.DuckDBPyConnection, f: Filters) -> whatif.Baseline:
    return whatif.measure_baseline(con, f, as_of=f.end)


def scenario_rows(base: whatif.Baseline, saved: pd.DataFrame) -> list[ScenarioRow]:
    """Each saved scenario (``whatif.list_scenarios``) evaluated for the baseline's customers."""
    rows = []
    for _, s in saved.iterrows():
        a = whatif.Assumptions(
            s["order_value"],
            s["orders_per_year"],
            s["retention"],
            s["margin_rate"],
            s["discount_rate"],
            int(s["horizon_years"]),
            s["acquisition_cost"],
        )
        gap_dim = s.get("lever_gap_dimension")
        with_levers, _ = whatif.apply_levers(
            base,
            a,
            s.get("lever_complaints", 0) or 0,
            s.get("lever_fours_to_fives", 0) or 0,
            gap_dim if isinstance(gap_dim, str) else None,
            s.get("lever_gap_closed", 0) or 0,
        )
        rows.append(ScenarioRow(s["name"], a, with_levers.retention, whatif.evaluate(with_levers, base.customers)))
    return rows


def page(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int) -> tuple:
    base = baseline(con, f)
    evaluated = whatif.evaluate(base.assumptions, base.customers)
    return base, evaluated, scenario_rows(base, whatif.list_scenarios(con)), coverage.loaded(con)  # levers need it
