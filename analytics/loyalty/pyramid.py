"""Value tiers of the period's buyers (decks 003 / 000).

* Pareto curve (帕雷托定律): share of the period's revenue from the top x % of customers.
* The deck's pyramid: key 1 %, important 19 %, ordinary 30 %, small 50 % of customers by
  revenue (cut points configurable).
* Tier migration between two periods of the same length (for a Sankey).
* RFM scores: recency, frequency, monetary quintiles 1–5 (5 = best).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from analytics.filters import Filters, customer_scope, customer_sql
from analytics.loyalty.tiers import DEFAULT_CUTS, TIER_ORDER, tier_expr


def _revenue_sql(f: Filters, start=None, end=None) -> tuple[str, dict]:
    cust, params = customer_sql(f)
    s, e = f.bounds()
    return (
        f"""SELECT c.customer_id, coalesce(sum(i.amount), 0) AS revenue, count(i.ts) AS orders
                FROM ({cust}) c LEFT JOIN interactions i ON i.customer_id = c.customer_id AND i.kind = 'purchase'
                 AND i.ts >= $rs AND i.ts < $re GROUP BY 1""",
        {**params, "rs": start or s, "re": end or e},
    )


def pareto_curve(con: duckdb.DuckDBPyConnection, f: Filters, points: int = 100) -> pd.DataFrame:
    """Cumulative revenue share against the share of customers (buyers in the period, best first)."""
    sql, params = _revenue_sql(f)
    rev = con.execute(f"SELECT revenue FROM ({sql}) WHERE revenue > 0 ORDER BY revenue DESC", params).fetchnumpy()[
        "revenue"
    ]
    if len(rev) == 0:
        return pd.DataFrame({"customer_share": [0.0], "revenue_share": [0.0]})
    cum = np.concatenate([[0], np.cumsum(rev)]) / rev.sum()
    x = np.linspace(0, 1, points + 1)
    return pd.DataFrame({"customer_share": x, "revenue_share": np.interp(x * len(rev), np.arange(len(rev) + 1), cum)})


def top_share(curve: pd.DataFrame, share: float = 0.2) -> float:
    """Revenue share of the top ``share`` of customers (the 80/20 check)."""
    return float(np.interp(share, curve["customer_share"], curve["revenue_share"]))


def pyramid(
    con: duckdb.DuckDBPyConnection, f: Filters, cuts: tuple[float, float, float] = DEFAULT_CUTS
) -> pd.DataFrame:
    """Customers, revenue and revenue share per tier of the period's buyers."""
    sql, params = _revenue_sql(f)
    out = con.execute(
        f"""WITH r AS (SELECT revenue, (row_number() OVER (ORDER BY revenue DESC) - 1)
                                           / count(*) OVER () AS rank_share FROM ({sql}) WHERE revenue > 0)
        SELECT {tier_expr(cuts)} AS tier, count(*) AS customers, sum(revenue) AS revenue FROM r GROUP BY 1""",
        params,
    ).df()
    out = out.set_index("tier").reindex(list(TIER_ORDER)).fillna(0).reset_index()
    total = out["revenue"].sum()
    out["revenue_share"] = out["revenue"] / total if total else 0.0
    out["customer_share"] = out["customers"] / out["customers"].sum() if out["customers"].sum() else 0.0
    out["revenue_per_customer"] = (out["revenue"] / out["customers"]).where(out["customers"] > 0)
    return out


def tier_migration(con: duckdb.DuckDBPyConnection, f: Filters, cuts=DEFAULT_CUTS) -> pd.DataFrame:
    """Customers moving between tiers from the previous period to this one ('none' = no purchase).

    One pass over the two periods' purchases; each period's buyers are ranked by revenue among
    themselves (the pyramid's rule)."""
    cust, params = customer_sql(f)
    (ps, _), (cs, ce) = f.previous().bounds(), f.bounds()

    def tier(rev: str) -> str:
        share = f"(row_number() OVER (ORDER BY {rev} DESC NULLS LAST) - 1) / count({rev}) OVER ()"
        return f"CASE WHEN {rev} > 0 THEN {tier_expr(cuts).replace('rank_share', share)} ELSE 'none' END"

    return con.execute(
        f"""WITH p AS (SELECT customer_id,
                   sum(amount) FILTER (WHERE ts < $cs) AS prev_rev, sum(amount) FILTER (WHERE ts >= $cs) AS cur_rev
            FROM interactions WHERE kind = 'purchase' AND ts >= $ps AND ts < $ce AND customer_id IN ({cust})
            GROUP BY 1),
        q AS (SELECT CASE WHEN prev_rev > 0 THEN prev_rev END AS prev_rev,
                     CASE WHEN cur_rev > 0 THEN cur_rev END AS cur_rev FROM p),
        t AS (SELECT {tier("prev_rev")} AS source, {tier("cur_rev")} AS target FROM q)
        SELECT source, target, count(*) AS customers FROM t
        WHERE NOT (source = 'none' AND target = 'none') GROUP BY 1, 2 ORDER BY 1, 2""",
        {**params, "ps": ps, "cs": cs, "ce": ce},
    ).df()


def rfm(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per customer with a purchase up to the period's end: recency (days), frequency, monetary,
    and their quintile scores 1–5 (5 = most recent / most frequent / highest spend)."""
    scope, params = customer_scope(f)
    return con.execute(
        f"""WITH p AS (SELECT customer_id, date_diff('day', max(ts), $end) AS recency_days,
                   count(*) AS frequency, sum(amount) AS monetary FROM interactions
            WHERE kind = 'purchase' AND ts < $end AND {scope} GROUP BY 1)
        SELECT *, 6 - ntile(5) OVER (ORDER BY recency_days) AS r_score,
               ntile(5) OVER (ORDER BY frequency) AS f_score, ntile(5) OVER (ORDER BY monetary) AS m_score FROM p""",
        {**params, "end": f.bounds()[1]},
    ).df()
