"""Small-cell suppression: no aggregate over fewer than the minimum n customers is shown.

The rule of every page, chart, table and slide (conventions: "aggregates below the minimum n
are never shown"): a figure over one to a few customers is that customer's record in disguise
(one customer's revenue, zone or gap). Two levels:

* the whole view: when the filters leave fewer than ``min_n`` customers, or fewer than
  ``min_n`` of them active in the period, no page of aggregates is drawn at all
  (``scope_size`` + ``hidden_reason``);
* a group inside a view (a tier, a zone, a cohort, an RFM cell, a Sankey flow): rows whose
  count is under ``min_n`` are removed or blanked (``suppress``), and the page says how many
  were hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import db
from analytics.filters import Filters, customer_scope, is_unfiltered


@dataclass(frozen=True)
class ScopeSize:
    """How many customers the group filters keep, and how many of them were active in the period."""

    customers: int
    active: int  # with ``scope_size(…, min_n)``: at least this many (enough to pass the gate)


#: Interaction rows the gate reads before counting every active customer (see ``scope_size``).
SAMPLE_ROWS = 1000


def scope_size(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int | None = None) -> ScopeSize:
    """Customers matching the group filters, and those with an interaction or survey in the period.

    With ``min_n`` the active count may stop early: when the period's first ``SAMPLE_ROWS``
    interactions of the filtered customers already hold ``min_n`` distinct customers, that count
    is returned (a lower bound, which passes the gate just as the exact one would): at 1M
    customers 0.02 s instead of a 0.25 s distinct count over every interaction of the period."""
    where, params = ("TRUE", {}) if is_unfiltered(f) else customer_scope(f)
    start, end = f.bounds()
    if min_n is not None:
        customers, seen = db.one(
            con,
            f"""SELECT (SELECT count(*) FROM customers WHERE {where}),
                       (SELECT count(DISTINCT customer_id) FROM (SELECT customer_id FROM interactions
                        WHERE ts >= $s AND ts < $e AND customer_id IS NOT NULL AND {where} LIMIT {SAMPLE_ROWS}))""",
            {**params, "s": start, "e": end},
        )
        if seen >= min_n:
            return ScopeSize(int(customers), int(seen))
    row = db.one(
        con,
        f"""SELECT (SELECT count(*) FROM customers WHERE {where}),
                   (SELECT count(*) FROM (
                        SELECT customer_id FROM interactions WHERE ts >= $s AND ts < $e AND {where}
                        UNION
                        SELECT customer_id FROM surveys
                        WHERE answered_at >= $s AND answered_at < $e AND customer_id IS NOT NULL AND {where}))""",
        {**params, "s": start, "e": end},
    )
    return ScopeSize(int(row[0]), int(row[1]))


def hidden_reason(size: ScopeSize, min_n: int) -> str | None:
    """Why a page of aggregates must not be drawn (a catalog key), or None when it may. No
    data at all is said as such, not as a privacy rule."""
    if size.active == 0:
        return "overview.no_data"
    if size.customers < min_n:
        return "privacy.few_customers"
    if size.active < min_n:
        return "privacy.few_active"
    return None


class Hidden(ValueError):
    """A view of aggregates asked for a scope under the minimum n (``reason`` is a catalog key)."""

    def __init__(self, reason: str, min_n: int) -> None:
        super().__init__(f"{reason}: fewer than {min_n} customers in scope (minimum n); widen the filters")
        self.reason, self.min_n = reason, min_n


def check(con: duckdb.DuckDBPyConnection, f: Filters, min_n: int) -> None:
    """Raise ``Hidden`` when the filters leave too few customers for any aggregate."""
    reason = hidden_reason(scope_size(con, f, min_n), min_n)
    if reason:
        raise Hidden(reason, min_n)


def suppress(frame: pd.DataFrame, count: str, min_n: int) -> tuple[pd.DataFrame, int]:
    """``frame`` without the rows whose ``count`` is under ``min_n``, and how many rows went."""
    keep = frame[count].fillna(0) >= min_n
    return frame[keep].reset_index(drop=True), int((~keep).sum())


def shown(value, n: int, min_n: int):
    """``value`` when its n reaches ``min_n``, else None (shown as "—" with the reason)."""
    return value if n >= min_n else None


def blank_small(frame: pd.DataFrame, count: str, min_n: int, columns: tuple[str, ...] = ()) -> tuple[pd.DataFrame, int]:
    """``frame`` with ``count`` and ``columns`` blanked (NaN) on rows under ``min_n``, keeping the
    row so a fixed set of categories (stages, zones, tiers) still reads in order; and how many."""
    small = frame[count].fillna(0) < min_n
    out = frame.copy()
    for c in (count, *columns):
        out[c] = out[c].astype(float).where(~small)
    return out, int(small.sum())
