"""Loyalty zones and deck 004's loyalty measures.

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
import pandas as pd

from analytics.filters import Filters, customer_scope

ZONES = ("apostle", "loyalist", "mercenary", "hostage", "defector", "terrorist")


def zones(
    con: duckdb.DuckDBPyConnection, f: Filters, repeat_min: int = 2, customer_id: str | None = None
) -> pd.DataFrame:
    """Each surveyed customer's loyalty zone as of the period's end (see module docstring);
    ``customer_id`` restricts to one customer (the Customer page)."""
    scope, params = customer_scope(f)
    if customer_id is not None:
        scope, params = "customer_id = $one", {"one": customer_id}
    end = f.bounds()[1]
    return con.execute(
        f"""WITH s AS (SELECT customer_id, arg_max(overall_satisfaction, answered_at) AS overall,
                   arg_max(nps, answered_at) AS nps, arg_max(scale_min, answered_at) AS smin,
                   arg_max(scale_max, answered_at) AS smax FROM surveys
            WHERE {scope} AND answered_at < $end AND overall_satisfaction IS NOT NULL GROUP BY 1),
        p AS (SELECT customer_id, count(*) AS orders FROM interactions
              WHERE kind = 'purchase' AND ts >= $end - INTERVAL 365 DAY AND ts < $end AND {scope} GROUP BY 1),
        z AS (SELECT s.*, coalesce(p.orders, 0) AS orders_last_year,
                     coalesce(p.orders, 0) >= $rm AND coalesce(s.nps, 10) >= 7 AS loyal,
                     s.overall >= s.smax - 1 AS satisfied FROM s LEFT JOIN p USING (customer_id))
        SELECT *, CASE WHEN overall >= smax AND loyal AND nps >= 9 THEN 'apostle'
                       WHEN satisfied AND loyal THEN 'loyalist'
                       WHEN satisfied THEN 'mercenary'
                       WHEN loyal THEN 'hostage'
                       WHEN overall <= smin THEN 'terrorist'
                       ELSE 'defector' END AS zone FROM z""",
        {**params, "end": end, "rm": repeat_min},
    ).df()


def zone_counts(z: pd.DataFrame) -> dict:
    counts = z["zone"].value_counts() if len(z) else pd.Series(dtype=int)
    return {k: int(counts.get(k, 0)) for k in ZONES}


def measures(con: duckdb.DuckDBPyConnection, f: Filters) -> dict:
    """Deck 004's loyalty measures that the data allows, each with its n."""
    scope, params = customer_scope(f)
    k_scope, _ = customer_scope(f, "k.customer_id")
    s, e = f.bounds()
    rep = con.execute(
        f"""SELECT count(*) FILTER (WHERE n >= 2), count(*) FROM (SELECT customer_id, count(*) n
        FROM interactions WHERE kind = 'purchase' AND ts >= $s AND ts < $e AND {scope} GROUP BY 1)""",
        {**params, "s": s, "e": e},
    ).fetchone()
    tol = con.execute(
        f"""SELECT count(*) FILTER (WHERE bought), count(*) FROM (SELECT k.customer_id,
            EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = k.customer_id AND i.kind = 'purchase'
                    AND i.ts > k.opened_at) AS bought FROM complaints k
            WHERE k.opened_at >= $s AND k.opened_at < $e AND {k_scope})""",
        {**params, "s": s, "e": e},
    ).fetchone()
    wallet = con.execute(
        f"""SELECT avg(value_num), count(value_num) FROM customer_attributes
        WHERE lower(attribute) IN ('share_of_wallet', '钱包份额') AND {scope}""",
        params,
    ).fetchone()
    return {
        "repeat_purchase_rate": rep[0] / rep[1] if rep[1] else None,
        "repeat_n": rep[1],
        "tolerance": tol[0] / tol[1] if tol[1] else None,
        "tolerance_n": tol[1],
        "share_of_wallet": wallet[0],
        "share_of_wallet_n": wallet[1],
    }
