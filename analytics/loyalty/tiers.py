"""Value tiers: the deck's customer pyramid and the per-customer value table.

Deck 003/000 (docs/domain.md, "Loyalty and churn"): key 1 %, important next 19 %, ordinary 30 %, small 50 % of
customers ranked by revenue. ``customer_value`` is a derived table (revenue, orders, first
and last purchase, tier) rebuilt whenever the data version changes, so every filter and
page can use the tier without recomputing it.
"""

from __future__ import annotations

import duckdb

from analytics import db

TIER_ORDER = ("key", "important", "ordinary", "small")
#: Upper bound of each tier as a share of customers ranked by revenue (deck 003's pyramid).
DEFAULT_CUTS = (0.01, 0.20, 0.50)


def tier_expr(cuts: tuple[float, float, float]) -> str:
    """SQL for the tier of a row with ``rank_share`` (its share of customers ranked above it)."""
    k, i, o = (float(c) for c in cuts)
    return (
        f"CASE WHEN rank_share < {k} THEN 'key' WHEN rank_share < {i} THEN 'important' "
        f"WHEN rank_share < {o} THEN 'ordinary' ELSE 'small' END"
    )


def refresh_customer_value(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build ``customer_value`` if the data changed since it was built (a fallback: every
    write already rebuilds it in its own transaction, see ``after_write``)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'customer_value'"
    ).fetchone()[0]
    if exists and db.versions(con).derived_current:
        return
    if exists and db.is_read_only(con):
        temp = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'customer_value' AND temporary"
        ).fetchone()[0]
        if temp:  # a read-only session builds its own copy once
            return
    with db.write_transaction(con, {"customers"}, bump=False):
        pass


def after_write(con: duckdb.DuckDBPyConnection, changed: set[str] | frozenset[str]) -> None:
    """Bring ``customer_value`` to the new data version inside the writer's transaction, so
    readers see data and tiers change together and no page pays for the rebuild on first read.
    Only customers and purchases move tiers; other tables just carry the version forward."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'customer_value'"
    ).fetchone()[0]
    if not exists or changed & {"customers", "interactions"}:
        _build(con, DEFAULT_CUTS)
    else:
        db.set_meta(con, "customer_value_version", str(db.data_version(con)))


def _build(con: duckdb.DuckDBPyConnection, cuts: tuple[float, float, float]) -> None:
    """The per-customer value table; the caller owns the transaction. A customer without
    revenue is at the pyramid's base ('small') however many share that zero: ties rank
    together, so with most customers never buying, a rank alone made them all 'key'."""
    db.replace_rows(
        con,
        "customer_value",
        f"""WITH p AS (SELECT customer_id, sum(amount) AS revenue, count(*) AS orders,
                          min(ts) AS first_purchase, max(ts) AS last_purchase
                   FROM interactions WHERE kind = 'purchase' GROUP BY customer_id),
        r AS (SELECT c.customer_id, coalesce(p.revenue, 0) AS revenue, coalesce(p.orders, 0) AS orders,
                     p.first_purchase, p.last_purchase,
                     percent_rank() OVER (ORDER BY coalesce(p.revenue, 0) DESC) AS rank_share
              FROM customers c LEFT JOIN p USING (customer_id))
        SELECT customer_id, revenue, orders, first_purchase, last_purchase, rank_share,
               CASE WHEN revenue <= 0 THEN 'small' ELSE {tier_expr(cuts)} END AS tier
        FROM r""",
    )
    if not db.is_read_only(con):
        db.set_meta(con, "customer_value_version", str(db.data_version(con)))
