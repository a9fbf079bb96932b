"""Customer (客户详情): one customer's standing, profile, timeline and survey answers.

Churn probability and CLV come from the fitted models (ui/data.py), keyed on the data version.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import customer
from analytics.filters import Filters
from analytics.loyalty import churn, lifecycle, zones
from analytics.voice.summary import customer_texts

#: The customer a benchmark opens (present in every demo).
SAMPLE_CUSTOMER = "C0000042"


@dataclass(frozen=True)
class Standing:
    """Where one customer stands in the whole base (whatever the group filters)."""

    profile: dict
    zone: str | None
    stage: str | None


@dataclass(frozen=True)
class History:
    """One customer's purchases, service contacts, complaints and survey answers."""

    timeline: pd.DataFrame
    answers: pd.DataFrame


def standing(con: duckdb.DuckDBPyConnection, f: Filters, customer_id: str, churn_days: int) -> Standing | None:
    """Profile, loyalty zone and lifecycle stage as of the period's end; None for an unknown id.
    ``churn_days`` comes from the whole base (``churn.default_churn_days``, cached once per
    data version): this reads only the one customer's rows."""
    profile = customer.profile(con, customer_id)
    if profile is None:
        return None
    whole = Filters(f.start, f.end)
    z = zones.zones(con, whole, 2, customer_id=customer_id)
    s = lifecycle.stages(con, whole, f.end, churn_days, customer_id=customer_id)
    return Standing(profile, z["zone"].iloc[0] if len(z) else None, s["stage"].iloc[0] if len(s) else None)


def history(con: duckdb.DuckDBPyConnection, customer_id: str) -> History:
    return History(customer.timeline(con, customer_id), customer.survey_answers(con, customer_id))


def page(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int) -> tuple:
    hits = customer.search(con, SAMPLE_CUSTOMER)
    one = hits["customer_id"].iloc[0]
    return (
        hits,
        standing(con, f, one, churn.default_churn_days(con)),
        history(con, one),
        customer_texts(con, one, None),
    )
