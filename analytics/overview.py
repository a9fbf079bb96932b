"""Overview: the key figures of a period beside the previous period, by month and by group.

Definitions (each shown on the page under "show the math"):

* active customers: customers with any interaction (purchase, service, visit, complaint)
  in the period;
* revenue: sum of purchase amounts in the period (元);
* mean satisfaction gap: mean over survey answers in the period of experience − expectation
  (deck 002's triangle law), in scale points, and as a share of the scale's range;
* CSAT: share of responses whose overall score is in the top two points of the scale;
* NPS: % promoters (9–10) − % detractors (0–6) (Reichheld 2003);
* complaint rate: customers who opened a complaint in the period / active customers;
* retention rate: customers active in the previous period of the same length who are
  active again in this one.

All aggregation runs in DuckDB; only per-group rows come back to Python.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import coverage
from analytics.figures import COUNTS, FIGURES, HIGHER_IS_BETTER, MIN_N, Figure, finish, total
from analytics.filters import Filters, customer_sql, is_unfiltered
from analytics.loyalty.tiers import refresh_customer_value

_GROUP_EXPR = {None: "'all'", "region": "c.region", "segment": "c.segment", "channel": "c.channel", "tier": "v.tier"}


def _periods(f: Filters) -> list:
    cs, ce = f.bounds()
    ps, pe = f.previous().bounds()
    pps, ppe = f.previous().previous().bounds()
    return [cs, ce, ps, pe, pps, ppe]


@dataclass
class Scope:
    """How a query restricts to the filtered customers and labels their group.

    ``cte`` defines ``fc(customer_id, grp)``; ``join(alias)`` joins a table to it. For the
    whole, unfiltered base there is no join at all (the common case, and the cheapest).
    """

    cte: str
    params: dict
    whole: bool

    def join(self, alias: str, how: str = "JOIN") -> str:
        return "" if self.whole else f"{how} fc ON fc.customer_id = {alias}.customer_id"

    def within(self, column: str = "customer_id") -> str:
        """``AND column IN (the filtered customers)``: a table's rows are narrowed before they
        are grouped per customer, not after (a region's interactions: 1/7 of the groups)."""
        return "" if self.whole else f"AND {column} IN (SELECT customer_id FROM fc)"

    @property
    def grp(self) -> str:
        return "'all'" if self.whole else "fc.grp"


def _scope(f: Filters, group: str | None) -> Scope:
    """The filtered customers with their group value (see ``Scope``)."""
    sql, params = customer_sql(f)
    if group is None and is_unfiltered(f):
        return Scope("fc AS (SELECT NULL AS customer_id, NULL AS grp)", {}, True)
    expr = _GROUP_EXPR[group]
    if group == "tier" and " customer_value v" not in sql:
        sql = sql.replace("FROM customers c", "FROM customers c JOIN customer_value v USING (customer_id)")
    sql = sql.replace("SELECT c.customer_id", f"SELECT c.customer_id, {expr} AS grp", 1)
    return Scope(f"fc AS ({sql})", params, False)


def period_figures(con: duckdb.DuckDBPyConnection, f: Filters, group: str | None = None) -> pd.DataFrame:
    """Raw counts and sums per group for this period (``cur``) and the previous (``prev``).

    Every column but the scale is a count or a sum, so the groups of a dimension add up to the
    filtered whole (``total``): a customer is in exactly one group. Means are taken in ``figures.finish``.
    """
    refresh_customer_value(con)
    sc = _scope(f, group)
    cs, ce, ps, pe, pps, ppe = _periods(f)
    inter = _query(
        con,
        f"""
        WITH {sc.cte},
        pc AS (SELECT customer_id,
                 bool_or(ts >= $cs AND ts < $ce) AS a_cur, bool_or(ts >= $ps AND ts < $pe) AS a_prev,
                 bool_or(ts < $ppe) AS a_prev2,
                 sum(amount) FILTER (WHERE kind = 'purchase' AND ts >= $cs) AS rev_cur,
                 sum(amount) FILTER (WHERE kind = 'purchase' AND ts >= $ps AND ts < $pe) AS rev_prev
               FROM interactions WHERE ts >= $pps AND ts < $ce {sc.within()} GROUP BY customer_id)
        SELECT {sc.grp} AS grp, count_if(a_cur) AS active_cur, count_if(a_prev) AS active_prev,
               coalesce(sum(rev_cur), 0) AS revenue_cur, coalesce(sum(rev_prev), 0) AS revenue_prev,
               count_if(a_cur AND a_prev) AS retained_cur, count_if(a_prev) AS retention_base_cur,
               count_if(a_prev AND a_prev2) AS retained_prev, count_if(a_prev2) AS retention_base_prev
        FROM pc {sc.join("pc")} GROUP BY 1""",
        _named(sc.params, cs=cs, ce=ce, ps=ps, pe=pe, pps=pps, ppe=ppe),
    )
    # anonymous survey answers (no customer) count only for the whole, unfiltered base
    surv = _query(
        con,
        f"""
        WITH {sc.cte},
        s AS (SELECT s.*, {sc.grp} AS grp, CASE WHEN answered_at >= $cs THEN 'cur' ELSE 'prev' END AS period
              FROM surveys s {sc.join("s")}
              WHERE (answered_at >= $cs AND answered_at < $ce) OR (answered_at >= $ps AND answered_at < $pe)),
        a AS (SELECT s.grp, s.period, count(*) AS answers, sum(a.experience - a.expectation) AS gap_sum,
                     sum((a.experience - a.expectation) / (s.scale_max - s.scale_min)) AS gap_share_sum,
                     count((a.experience - a.expectation) / (s.scale_max - s.scale_min)) AS gap_share_n,
                     count(DISTINCT s.scale_min || '-' || s.scale_max) AS scales, any_value(s.scale_min) AS scale_min,
                     any_value(s.scale_max) AS scale_max
              FROM s JOIN survey_answers a USING (response_id)
              WHERE a.experience IS NOT NULL AND a.expectation IS NOT NULL GROUP BY 1, 2),
        r AS (SELECT grp, period, count(overall_satisfaction) AS csat_n,
                     count_if(overall_satisfaction >= scale_max - 1) AS csat_hits,
                     count(nps) AS nps_n, count_if(nps >= 9) - count_if(nps <= 6) AS nps_net
              FROM s GROUP BY 1, 2)
        SELECT coalesce(r.grp, a.grp) AS grp, coalesce(r.period, a.period) AS period,
               r.* EXCLUDE (grp, period), a.* EXCLUDE (grp, period)
        FROM r FULL JOIN a ON r.grp IS NOT DISTINCT FROM a.grp AND r.period = a.period""",  # a NULL group too
        _named(sc.params, cs=cs, ce=ce, ps=ps, pe=pe),
    )
    comp = _query(
        con,
        f"""
        WITH {sc.cte}
        SELECT {sc.grp} AS grp, count(DISTINCT k.customer_id) FILTER (WHERE opened_at >= $cs) AS complainants_cur,
               count(DISTINCT k.customer_id) FILTER (WHERE opened_at < $pe) AS complainants_prev,
               count(*) FILTER (WHERE opened_at >= $cs) AS complaints_cur
        FROM complaints k {sc.join("k")}
        WHERE (opened_at >= $cs AND opened_at < $ce) OR (opened_at >= $ps AND opened_at < $pe) GROUP BY 1""",
        _named(sc.params, cs=cs, ce=ce, ps=ps, pe=pe),
    )
    # an outer join on the group of every part (a database of surveys alone has no interaction
    # rows); customers without a group value are one group, not one per part
    parts = [inter, comp] + [
        _suffixed(surv[surv["period"] == period].drop(columns="period"), period) for period in ("cur", "prev")
    ]
    keyed = [p.assign(grp=p["grp"].astype(object).where(p["grp"].notna(), _NO_GROUP)).set_index("grp") for p in parts]
    out = pd.concat([p for p in keyed if len(p)] or keyed[:1], axis=1).reindex(columns=_columns(keyed))
    out.index = out.index.map(lambda g: None if g == _NO_GROUP else g)
    count_cols = [c for c in out.columns if c.startswith(COUNTS)]
    out[count_cols] = out[count_cols].fillna(0).astype("int64")
    return out.reset_index().rename(columns={"index": "grp"})


def _named(filter_params: dict, **named) -> dict:
    """The customer filter's named parameters plus the query's own."""
    return {**filter_params, **named}


def _query(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    """Run with the named parameters the SQL uses (DuckDB refuses unused ones)."""
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    return con.execute(sql, used).df()


_NO_GROUP = "\x00no group"


def _suffixed(part: pd.DataFrame, period: str) -> pd.DataFrame:
    return part.rename(columns={c: f"{c}_{period}" for c in part.columns if c != "grp"})


def _columns(parts: list[pd.DataFrame]) -> list[str]:
    return [c for p in parts for c in p.columns]


def key_figures(
    con: duckdb.DuckDBPyConnection, f: Filters, min_n: int = MIN_N, grouped: pd.DataFrame | None = None
) -> dict[str, Figure]:
    """The Overview's headline figures with their n and the previous period's value.

    ``grouped``: ``period_figures(con, f, <a dimension>)`` already computed (the segment
    table's): a filtered view's figures are its groups' total, not a second pass over the
    interactions. The whole, unfiltered base always takes its own pass: its surveys include
    anonymous answers, which belong to no group."""
    raw = period_figures(con, f) if grouped is None or is_unfiltered(f) else total(grouped)
    table = coverage.blank_unloaded(con, finish(raw, min_n))
    cur = table[table["period"] == "cur"]
    prev = table[table["period"] == "prev"]
    out = {}
    for key in FIGURES:
        c = cur.iloc[0] if len(cur) else None
        p = prev.iloc[0] if len(prev) else None
        out[key] = Figure(
            key,
            _val(c, key),
            int(c[f"{key}_n"]) if c is not None else 0,
            _val(p, key),
            int(p[f"{key}_n"]) if p is not None else 0,
        )
    scale = cur.iloc[0]["scale"] if len(cur) else None
    out["mean_gap"].scale = scale  # type: ignore[attr-defined]
    out["mean_gap"].share = _val(cur.iloc[0], "mean_gap_share") if len(cur) else None  # type: ignore[attr-defined]
    return out


def _val(row, key):
    if row is None:
        return None
    v = row[key]
    return None if v is None or pd.isna(v) else float(v)


DIMENSIONS = ("region", "segment", "channel", "tier")


def segment_table(
    con: duckdb.DuckDBPyConnection,
    f: Filters,
    dimension: str,
    min_n: int = MIN_N,
    grouped: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The key figures of the period per group of ``dimension``, with n and change.

    Columns: group, each figure, its n, its change against the previous period, and
    ``best_<figure>`` / ``worst_<figure>`` flags among groups that meet the minimum n.
    ``grouped``: ``period_figures(con, f, dimension)`` already computed.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    raw = period_figures(con, f, dimension) if grouped is None else grouped
    table = coverage.blank_unloaded(con, finish(raw, min_n))
    cur = table[table["period"] == "cur"].set_index("grp")
    prev = table[table["period"] == "prev"].set_index("grp")
    out = cur.drop(columns=["period"]).copy()
    for key in FIGURES:
        out[f"{key}_change"] = out[key] - prev[key].reindex(out.index)
        col = pd.to_numeric(out[key], errors="coerce")
        valid = col.dropna()
        out[f"best_{key}"] = out[f"worst_{key}"] = False
        if len(valid) > 1 and valid.nunique() > 1:  # a best and a worst only among different values
            hi, lo = valid.idxmax(), valid.idxmin()
            out[f"best_{key}"] = out.index == (hi if HIGHER_IS_BETTER[key] else lo)
            out[f"worst_{key}"] = out.index == (lo if HIGHER_IS_BETTER[key] else hi)
    out = out.reset_index().rename(columns={"grp": "group"})
    return out.sort_values("active_customers_n", ascending=False, ignore_index=True)


def monthly_trend(con: duckdb.DuckDBPyConnection, f: Filters, months: int = 12, min_n: int = MIN_N) -> pd.DataFrame:
    """Month by month to the period's end: active customers, revenue, retention, gap, CSAT,
    NPS and complaint rate. Monthly retention = active this month and the month before ÷
    active the month before. Figures with fewer than ``min_n`` observations are missing;
    ``complete`` is False for a month the period ends inside (charts mark it, sparklines skip it).
    """
    refresh_customer_value(con)
    sc = _scope(f, None)
    end = dt.datetime.combine(f.end + dt.timedelta(days=1), dt.time())
    first_month = (pd.Timestamp(f.end).to_period("M") - (months - 1)).to_timestamp().to_pydatetime()
    before = (pd.Timestamp(first_month) - pd.DateOffset(months=1)).to_pydatetime()
    params = _named(sc.params, lo=first_month, before=before, hi=end)
    # one bit per month a customer was active (bit 0 = the month before the first shown)
    months_sql = f"(12 * (year(ts) - {before.year}) + month(ts) - {before.month})"
    activity = _query(
        con,
        f"""
        WITH {sc.cte},
        cb AS (SELECT i.customer_id, bit_or(1::BIGINT << {months_sql}) AS bits
               FROM interactions i {sc.join("i")} WHERE ts >= $before AND ts < $hi GROUP BY 1)
        SELECT m, count_if((bits >> m) & 1 = 1) AS active_customers,
               count_if((bits >> m) & 3 = 3) AS retained
        FROM cb, range(0, {months + 1}) t(m) GROUP BY m ORDER BY m""",
        params,
    )
    activity["month"] = [pd.Timestamp(before) + pd.DateOffset(months=int(m)) for m in activity["m"]]
    activity["retention_base"] = activity["active_customers"].shift(1)
    activity = activity[activity["m"] >= 1].drop(columns="m")
    revenue = _query(
        con,
        f"""
        WITH {sc.cte}
        SELECT date_trunc('month', ts) AS month, sum(amount) AS revenue FROM interactions i {sc.join("i")}
        WHERE kind = 'purchase' AND ts >= $lo AND ts < $hi GROUP BY 1""",
        params,
    )
    surv = _query(
        con,
        f"""
        WITH {sc.cte}
        SELECT date_trunc('month', answered_at) AS month, count(overall_satisfaction) AS csat_n,
               avg(CASE WHEN overall_satisfaction >= scale_max - 1 THEN 1.0
                        WHEN overall_satisfaction IS NOT NULL THEN 0.0 END) AS csat,
               count(nps) AS nps_n,
               100 * (avg(CASE WHEN nps >= 9 THEN 1.0 WHEN nps IS NOT NULL THEN 0.0 END)
                    - avg(CASE WHEN nps <= 6 THEN 1.0 WHEN nps IS NOT NULL THEN 0.0 END)) AS nps
        FROM surveys s {sc.join("s")} WHERE answered_at >= $lo AND answered_at < $hi GROUP BY 1""",
        params,
    )
    gap = _query(
        con,
        f"""
        WITH {sc.cte}
        SELECT date_trunc('month', s.answered_at) AS month, count(*) AS answers,
               avg(a.experience - a.expectation) AS mean_gap
        FROM surveys s {sc.join("s")} JOIN survey_answers a USING (response_id)
        WHERE s.answered_at >= $lo AND s.answered_at < $hi GROUP BY 1""",
        params,
    )
    comp = _query(
        con,
        f"""
        WITH {sc.cte}
        SELECT date_trunc('month', opened_at) AS month, count(DISTINCT k.customer_id) AS complainants
        FROM complaints k {sc.join("k")} WHERE opened_at >= $lo AND opened_at < $hi GROUP BY 1""",
        params,
    )
    out = pd.DataFrame({"month": pd.date_range(first_month, periods=months, freq="MS")})
    for part in (activity, revenue, surv, gap, comp):
        part["month"] = pd.to_datetime(part["month"])
        out = out.merge(part, on="month", how="left")
    for c in ("active_customers", "retained", "retention_base", "csat_n", "nps_n", "answers", "complainants"):
        out[c] = out[c].fillna(0).astype("int64")
    out["revenue"] = out["revenue"].fillna(0.0)
    out["complaint_rate"] = (out["complainants"] / out["active_customers"]).where(out["active_customers"] >= min_n)
    out["retention_rate"] = (out["retained"] / out["retention_base"]).where(out["retention_base"] >= min_n)
    out["csat"] = out["csat"].where(out["csat_n"] >= min_n)
    out["nps"] = out["nps"].where(out["nps_n"] >= min_n)
    out["mean_gap"] = out["mean_gap"].where(out["answers"] >= min_n)
    out["active_customers_n"] = out["active_customers"]
    out.loc[out["active_customers"] < min_n, ["active_customers", "revenue"]] = None
    # a month the period ends inside is partial: half a month's revenue is not a collapse
    out["complete"] = (out["month"] + pd.offsets.MonthEnd(0)).dt.date <= f.end
    return coverage.blank_unloaded(con, out)
