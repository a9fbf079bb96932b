"""One customer: search, profile and timeline (all parameterised: ids and names from a search box)."""

from __future__ import annotations

import duckdb
import pandas as pd


def search(con: duckdb.DuckDBPyConnection, text: str, limit: int = 20) -> pd.DataFrame:
    """Customers for a search box: the ids that begin with ``text`` (exact id first) when there
    are any — a range of the id column, which DuckDB reads from one row group (2 ms at 1M
    customers) — else every customer whose id or name contains it, case-insensitive (a scan of
    every name, ~100 ms at 1M)."""
    text = (text or "").strip()
    if not text:
        return pd.DataFrame(columns=["customer_id", "name", "region", "segment"])
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    prefix = con.execute(
        """SELECT customer_id, name, region, segment FROM customers WHERE customer_id LIKE $p ESCAPE '\\'
        ORDER BY customer_id LIMIT $n""",
        {"p": escaped + "%", "n": int(limit)},
    ).df()
    if len(prefix):
        return prefix
    return con.execute(
        """SELECT customer_id, name, region, segment FROM customers
        WHERE customer_id ILIKE $p ESCAPE '\\' OR name ILIKE $p ESCAPE '\\'
        ORDER BY customer_id <> $t, customer_id LIMIT $n""",
        {"p": "%" + escaped + "%", "t": text, "n": int(limit)},
    ).df()


def profile(con: duckdb.DuckDBPyConnection, customer_id: str) -> dict | None:
    from analytics.loyalty.tiers import refresh_customer_value

    refresh_customer_value(con)
    row = con.execute(
        """SELECT c.*, v.tier, v.revenue, v.orders, v.first_purchase, v.last_purchase
        FROM customers c LEFT JOIN customer_value v USING (customer_id) WHERE c.customer_id = ?""",
        [customer_id],
    ).df()
    if row.empty:
        return None
    out = row.iloc[0].to_dict()
    out["attributes"] = con.execute(
        """SELECT attribute, coalesce(CAST(value_num AS VARCHAR), value_text) AS value
        FROM customer_attributes WHERE customer_id = ? ORDER BY attribute""",
        [customer_id],
    ).df()
    return out


def timeline(con: duckdb.DuckDBPyConnection, customer_id: str) -> pd.DataFrame:
    """Every event of the customer in time order: kind, when, amount, detail."""
    return con.execute(
        """
        SELECT ts AS at, kind, amount, coalesce(touchpoint, channel) AS detail FROM interactions WHERE customer_id = $c
          AND kind <> 'complaint'
        UNION ALL
        SELECT opened_at, 'complaint', NULL, coalesce(cause, '') || CASE WHEN resolved_at IS NULL THEN ' · unresolved'
               ELSE ' · ' || CAST(round(date_diff('minute', opened_at, resolved_at) / 60.0, 1) AS VARCHAR) || ' h' END
          FROM complaints WHERE customer_id = $c
        UNION ALL
        SELECT answered_at, 'survey', overall_satisfaction, 'NPS ' || coalesce(CAST(nps AS VARCHAR), '—')
          FROM surveys WHERE customer_id = $c
        ORDER BY 1""",
        {"c": customer_id},
    ).df()


def survey_answers(con: duckdb.DuckDBPyConnection, customer_id: str) -> pd.DataFrame:
    return con.execute(
        """SELECT s.answered_at, a.dimension, a.expectation, a.experience, a.experience - a.expectation AS gap
        FROM surveys s JOIN survey_answers a USING (response_id) WHERE s.customer_id = ?
        ORDER BY s.answered_at, a.dimension""",
        [customer_id],
    ).df()
