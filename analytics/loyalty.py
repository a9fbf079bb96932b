"""Loyalty and value tiers (decks 003 / 004; domain.md §3–§4).

* Pareto curve (帕雷托定律): share of the period's revenue from the top x % of customers.
* The deck's pyramid: key 1 %, important 19 %, ordinary 30 %, small 50 % of customers by
  revenue (cut points configurable).
* RFM scores: recency, frequency, monetary quintiles 1–5 (5 = best).
* Tier migration between two periods of the same length (for a Sankey).
* Loyalty zones (Jones & Sasser 1995, "Why satisfied customers defect"), placing each
  surveyed customer by their latest overall score and their loyalty:
    loyal      = at least ``repeat_min`` purchases in the last 365 days and, where answered,
                 NPS ≥ 7 (not a detractor);
    apostle    = top score, loyal and a promoter (NPS ≥ 9);
    loyalist   = top-two score and loyal;
    mercenary  = top-two score, not loyal;
    hostage    = below the top two, loyal;
    terrorist  = bottom score, not loyal (deck 003's 恐怖分子);
    defector   = below the top two, not loyal (the defection zone, 变节区).
* Deck 004's loyalty measures: repeat-purchase rate, tolerance (bought again after a
  complaint), recommendation (NPS), share of wallet (a customer attribute when imported).
"""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from .filters import Filters, customer_sql
from .tiers import DEFAULT_CUTS, TIER_ORDER

ZONES = ("apostle", "loyalist", "mercenary", "hostage", "defector", "terrorist")


def _revenue_sql(f: Filters, start=None, end=None) -> tuple[str, dict]:
    cust, params = customer_sql(f)
    s, e = f.bounds()
    return (f"""SELECT c.customer_id, coalesce(sum(i.amount), 0) AS revenue, count(i.ts) AS orders
                FROM ({cust}) c LEFT JOIN interactions i ON i.customer_id = c.customer_id AND i.kind = 'purchase'
                 AND i.ts >= $rs AND i.ts < $re GROUP BY 1""", {**params, "rs": start or s, "re": end or e})


def pareto_curve(con: duckdb.DuckDBPyConnection, f: Filters, points: int = 100) -> pd.DataFrame:
    """Cumulative revenue share against the share of customers (buyers in the period, best first)."""
    sql, params = _revenue_sql(f)
    rev = con.execute(f"SELECT revenue FROM ({sql}) WHERE revenue > 0 ORDER BY revenue DESC", params).fetchnumpy()["revenue"]
    if len(rev) == 0:
        return pd.DataFrame({"customer_share": [0.0], "revenue_share": [0.0]})
    cum = np.concatenate([[0], np.cumsum(rev)]) / rev.sum()
    x = np.linspace(0, 1, points + 1)
    return pd.DataFrame({"customer_share": x, "revenue_share": np.interp(x * len(rev), np.arange(len(rev) + 1), cum)})


def top_share(curve: pd.DataFrame, share: float = 0.2) -> float:
    """Revenue share of the top ``share`` of customers (the 80/20 check)."""
    return float(np.interp(share, curve["customer_share"], curve["revenue_share"]))


def tier_expr(cuts: tuple[float, float, float]) -> str:
    k, i, o = (float(c) for c in cuts)
    return (f"CASE WHEN rank_share < {k} THEN 'key' WHEN rank_share < {i} THEN 'important' "
            f"WHEN rank_share < {o} THEN 'ordinary' ELSE 'small' END")


def pyramid(con: duckdb.DuckDBPyConnection, f: Filters, cuts: tuple[float, float, float] = DEFAULT_CUTS) -> pd.DataFrame:
    """Customers, revenue and revenue share per tier of the period's buyers."""
    sql, params = _revenue_sql(f)
    out = con.execute(f"""WITH r AS (SELECT revenue, (row_number() OVER (ORDER BY revenue DESC) - 1)
                                           / count(*) OVER () AS rank_share FROM ({sql}) WHERE revenue > 0)
        SELECT {tier_expr(cuts)} AS tier, count(*) AS customers, sum(revenue) AS revenue FROM r GROUP BY 1""",
                      params).df()
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
        share = (f"(row_number() OVER (ORDER BY {rev} DESC NULLS LAST) - 1)"
                 f" / count({rev}) OVER ()")
        return f"CASE WHEN {rev} > 0 THEN {tier_expr(cuts).replace('rank_share', share)} ELSE 'none' END"
    return con.execute(f"""WITH p AS (SELECT customer_id,
                   sum(amount) FILTER (WHERE ts < $cs) AS prev_rev, sum(amount) FILTER (WHERE ts >= $cs) AS cur_rev
            FROM interactions WHERE kind = 'purchase' AND ts >= $ps AND ts < $ce AND customer_id IN ({cust})
            GROUP BY 1),
        q AS (SELECT CASE WHEN prev_rev > 0 THEN prev_rev END AS prev_rev,
                     CASE WHEN cur_rev > 0 THEN cur_rev END AS cur_rev FROM p),
        t AS (SELECT {tier("prev_rev")} AS source, {tier("cur_rev")} AS target FROM q)
        SELECT source, target, count(*) AS customers FROM t
        WHERE NOT (source = 'none' AND target = 'none') GROUP BY 1, 2 ORDER BY 1, 2""",
                       {**params, "ps": ps, "cs": cs, "ce": ce}).df()


def rfm(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per customer with a purchase up to the period's end: recency (days), frequency, monetary,
    and their quintile scores 1–5 (5 = most recent / most frequent / highest spend)."""
    cust, params = customer_sql(f)
    return con.execute(f"""WITH p AS (SELECT customer_id, date_diff('day', max(ts), $end) AS recency_days,
                   count(*) AS frequency, sum(amount) AS monetary FROM interactions
            WHERE kind = 'purchase' AND ts < $end AND customer_id IN ({cust}) GROUP BY 1)
        SELECT *, 6 - ntile(5) OVER (ORDER BY recency_days) AS r_score,
               ntile(5) OVER (ORDER BY frequency) AS f_score, ntile(5) OVER (ORDER BY monetary) AS m_score FROM p""",
                       {**params, "end": f.bounds()[1]}).df()


def zones(con: duckdb.DuckDBPyConnection, f: Filters, repeat_min: int = 2, customer_id: str | None = None
          ) -> pd.DataFrame:
    """Each surveyed customer's loyalty zone as of the period's end (see module docstring);
    ``customer_id`` restricts to one customer (the Customer page)."""
    cust, params = customer_sql(f)
    if customer_id is not None:
        cust, params = "SELECT $one AS customer_id", {"one": customer_id}
    end = f.bounds()[1]
    return con.execute(f"""WITH s AS (SELECT customer_id, arg_max(overall_satisfaction, answered_at) AS overall,
                   arg_max(nps, answered_at) AS nps, arg_max(scale_min, answered_at) AS smin,
                   arg_max(scale_max, answered_at) AS smax FROM surveys
            WHERE customer_id IN ({cust}) AND answered_at < $end AND overall_satisfaction IS NOT NULL GROUP BY 1),
        p AS (SELECT customer_id, count(*) AS orders FROM interactions
              WHERE kind = 'purchase' AND ts >= $end - INTERVAL 365 DAY AND ts < $end GROUP BY 1),
        z AS (SELECT s.*, coalesce(p.orders, 0) AS orders_last_year,
                     coalesce(p.orders, 0) >= $rm AND coalesce(s.nps, 10) >= 7 AS loyal,
                     s.overall >= s.smax - 1 AS satisfied FROM s LEFT JOIN p USING (customer_id))
        SELECT *, CASE WHEN overall >= smax AND loyal AND nps >= 9 THEN 'apostle'
                       WHEN satisfied AND loyal THEN 'loyalist'
                       WHEN satisfied THEN 'mercenary'
                       WHEN loyal THEN 'hostage'
                       WHEN overall <= smin THEN 'terrorist'
                       ELSE 'defector' END AS zone FROM z""", {**params, "end": end, "rm": repeat_min}).df()


def zone_counts(z: pd.DataFrame) -> dict:
    counts = z["zone"].value_counts() if len(z) else pd.Series(dtype=int)
    return {k: int(counts.get(k, 0)) for k in ZONES}


def measures(con: duckdb.DuckDBPyConnection, f: Filters) -> dict:
    """Deck 004's loyalty measures that the data allows, each with its n."""
    cust, params = customer_sql(f)
    s, e = f.bounds()
    rep = con.execute(f"""SELECT count(*) FILTER (WHERE n >= 2), count(*) FROM (SELECT customer_id, count(*) n
        FROM interactions WHERE kind = 'purchase' AND ts >= $s AND ts < $e AND customer_id IN ({cust}) GROUP BY 1)""",
                      {**params, "s": s, "e": e}).fetchone()
    tol = con.execute(f"""SELECT count(*) FILTER (WHERE bought), count(*) FROM (SELECT k.customer_id,
            EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = k.customer_id AND i.kind = 'purchase'
                    AND i.ts > k.opened_at) AS bought FROM complaints k
            WHERE k.opened_at >= $s AND k.opened_at < $e AND k.customer_id IN ({cust}))""",
                      {**params, "s": s, "e": e}).fetchone()
    wallet = con.execute(f"""SELECT avg(value_num), count(value_num) FROM customer_attributes
        WHERE lower(attribute) IN ('share_of_wallet', '钱包份额') AND customer_id IN ({cust})""", params).fetchone()
    return {"repeat_purchase_rate": rep[0] / rep[1] if rep[1] else None, "repeat_n": rep[1],
            "tolerance": tol[0] / tol[1] if tol[1] else None, "tolerance_n": tol[1],
            "share_of_wallet": wallet[0], "share_of_wallet_n": wallet[1]}
