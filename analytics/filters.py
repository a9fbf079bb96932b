"""The global filters (period, region, segment, channel, value tier) as bound SQL.

Every page narrows its data with the same ``Filters``. Values from the user only ever go
in as bound parameters (lists are bound as one list parameter), never into the SQL text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import duckdb

from analytics import db

FILTER_GROUPS = ("region", "segment", "channel", "tier")
PRESETS = ("last_90_days", "this_year", "all", "custom")


@dataclass(frozen=True)
class Filters:
    """A period [start, end] (dates, inclusive) and the customer groups to keep (empty = all)."""

    start: dt.date
    end: dt.date
    region: tuple[str, ...] = field(default=())
    segment: tuple[str, ...] = field(default=())
    channel: tuple[str, ...] = field(default=())
    tier: tuple[str, ...] = field(default=())
    compare: str = "previous"  # what "previous" means: the period just before, or the same one a year ago

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """The period compared with, same groups: the same length just before this one, or with
        ``compare="last_year"`` the same dates a year earlier (this year vs last year to date)."""
        if self.compare == "last_year":
            return replace(self, start=_year_before(self.start), end=_year_before(self.end))
        return replace(self, start=self.start - dt.timedelta(days=self.days), end=self.start - dt.timedelta(days=1))

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as timestamps for ``ts >= ? AND ts < ?``."""
        return (
            dt.datetime.combine(self.start, dt.time()),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()),
        )

    def groups_only(self) -> Filters:
        """The same customer groups without a period of their own: the argument (and so the cache
        key) of figures that read every date of the filtered customers, such as repurchase after
        an answer or a complaint, so that a new period with the same groups reads them again
        instead of computing them (0.3 s a new period at 1M)."""
        return replace(self, start=dt.date.min, end=dt.date.min, compare="previous")

    def ending(self) -> Filters:
        """The same customer groups and end date without a start of their own: the argument of
        figures over a fixed window to the period's end (the Overview's 12-month trend), so a
        new start with the same end and groups reads them again (0.26 s at 1M)."""
        return replace(self, start=self.end, compare="previous")

    def narrowed(self, dimension: str, value: str) -> Filters:
        """The same filters with one dimension set to one value (segment drill-down)."""
        if dimension not in FILTER_GROUPS:
            raise ValueError(f"not a filter group: {dimension}")
        return replace(self, **{dimension: (value,)})  # type: ignore[arg-type]

    def groups(self) -> dict[str, tuple[str, ...]]:
        return {d: getattr(self, d) for d in FILTER_GROUPS}


COMPARISONS = ("previous", "last_year")


def _year_before(d: dt.date) -> dt.date:
    """The same day a year earlier (29 February → 28 February)."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


def data_range(con: duckdb.DuckDBPyConnection) -> tuple[dt.date, dt.date] | None:
    """First and last day with any interaction, survey or complaint — or, for a customers file
    alone (a churn export with no interactions), any signup or churn date, else the day it was
    imported: customers without any date still make a database with data."""
    row = db.one(
        con,
        """SELECT coalesce(least(i0, s0, k0), c0, l)::DATE, coalesce(greatest(i1, s1, k1), c1, l)::DATE FROM
        (SELECT min(ts) i0, max(ts) i1 FROM interactions),
        (SELECT min(answered_at) s0, max(answered_at) s1 FROM surveys),
        (SELECT min(opened_at) k0, max(opened_at) k1 FROM complaints),
        (SELECT least(min(signup_date), min(churn_date)) c0, greatest(max(signup_date), max(churn_date)) c1
         FROM customers),
        (SELECT max(imported_at) l FROM import_log WHERE (SELECT count(*) FROM customers) > 0)""",
    )
    return (row[0], row[1]) if row[0] else None


def preset_period(preset: str, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """A preset's period, anchored on the data's last day (data may end before today)."""
    if preset == "last_90_days":
        return max(first, last - dt.timedelta(days=89)), last
    if preset == "this_year":
        return max(first, dt.date(last.year, 1, 1)), last
    return first, last


def default_filters(con: duckdb.DuckDBPyConnection, preset: str = "last_90_days") -> Filters:
    rng = data_range(con) or (dt.date.today(), dt.date.today())
    start, end = preset_period(preset, *rng)
    return Filters(start, end)


def customer_sql(f: Filters) -> tuple[str, dict]:
    """SQL selecting the filtered customers' ids, with its named parameters ($f_region …).

    Tier comes from ``customer_value`` (see analytics/loyalty/tiers.py).
    """
    conds, params = [], {}
    for dim in ("region", "segment", "channel"):
        values = getattr(f, dim)
        if values:
            conds.append(f"list_contains($f_{dim}::VARCHAR[], c.{dim})")
            params[f"f_{dim}"] = list(values)
    if f.tier:
        conds.append("list_contains($f_tier::VARCHAR[], v.tier)")
        params["f_tier"] = list(f.tier)
    where = " WHERE " + " AND ".join(conds) if conds else ""
    join = " JOIN customer_value v USING (customer_id)" if f.tier else ""
    return f"SELECT c.customer_id FROM customers c{join}{where}", params


def customer_scope(f: Filters, column: str = "customer_id") -> tuple[str, dict]:
    """The condition ``<column> IN (<the filtered customers>)`` and its parameters: how every
    query restricts a table (interactions, surveys, complaints …) to the filters' customers."""
    cust, params = customer_sql(f)
    return f"{column} IN ({cust})", params


def is_unfiltered(f: Filters) -> bool:
    return not any(f.groups().values())


def group_values(con: duckdb.DuckDBPyConnection, dimension: str) -> list[str]:
    """The values a group filter can take, most common first."""
    if dimension not in FILTER_GROUPS:
        raise ValueError(dimension)
    if dimension == "tier":
        from analytics.loyalty.tiers import TIER_ORDER

        return list(TIER_ORDER)
    rows = con.execute(
        f"SELECT {dimension}, count(*) n FROM customers WHERE {dimension} IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1"
    ).fetchall()
    return [r[0] for r in rows]
