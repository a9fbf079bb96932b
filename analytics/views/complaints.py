"""Complaints (投诉): rate, resolution, causes, outcomes against deck 000, voice rate, open list."""

from __future__ import annotations

import duckdb

from analytics.filters import Filters
from analytics.satisfaction import complaints


def page(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int) -> tuple:
    return (
        complaints.complaint_summary(con, f),
        complaints.voice_rate(con, f),
        complaints.outcome_repurchase(con, f.groups_only(), 365, 48),
        complaints.cause_pareto(con, f),
        complaints.resolution_times(con, f),
        complaints.resolution_by(con, f, "channel", min_n),
        complaints.open_complaints(con, f, 48.0),
    )
