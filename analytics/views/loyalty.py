"""Loyalty & tiers (忠诚与分层): Pareto, the pyramid and its migration, zones, measures, RFM."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.filters import Filters
from analytics.loyalty import pyramid, zones
from analytics.loyalty.tiers import DEFAULT_CUTS


@dataclass(frozen=True)
class Pareto:
    """The period's Pareto curve and the revenue share of its top 20 % of buyers (the 80/20 check)."""

    curve: pd.DataFrame
    top20: float

    @property
    def empty(self) -> bool:
        return float(self.curve["revenue_share"].iloc[-1]) == 0


@dataclass(frozen=True)
class Zones:
    """Customers per loyalty zone (Jones & Sasser) in the zones' order."""

    counts: dict

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def pareto(con: duckdb.DuckDBPyConnection, f: Filters) -> Pareto:
    curve = pyramid.pareto_curve(con, f)
    return Pareto(curve, pyramid.top_share(curve, 0.2))


def zone_counts(con: duckdb.DuckDBPyConnection, f: Filters, repeat_min: int) -> Zones:
    return Zones(zones.zone_counts(zones.zones(con, f, repeat_min)))


def rfm_grid(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Customers per recency × frequency score cell (columns r_score, f_score, n)."""
    r = pyramid.rfm(con, f)
    if not len(r):
        return pd.DataFrame(columns=["r_score", "f_score", "n"])
    grid = r.groupby(["r_score", "f_score"]).size().rename("n").reset_index()
    return grid.assign(n=grid["n"].astype(float))


def page(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int) -> tuple:
    return (
        pareto(con, f),
        pyramid.pyramid(con, f, DEFAULT_CUTS),
        pyramid.tier_migration(con, f, DEFAULT_CUTS),
        zone_counts(con, f, 2),
        zones.measures(con, f),
        rfm_grid(con, f),
    )
