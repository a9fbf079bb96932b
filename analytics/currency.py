"""The database's currency: ¥/元 by default, or the company's own ($, €, £ …), set once per
database and used by every page, export and slide (issue 15: CDNOW's dollars showed as ¥).

Stored in ``meta.currency`` as an ISO code; changing it bumps the data version so every cached
page text follows. The decks' own figures stay in 元 (they are the decks' claims, in the
decks' currency); the company's figures are in its currency.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from analytics import db


class Currency(NamedTuple):
    code: str
    symbol: str  # before the number in English: $1,234
    unit_zh: str  # after the number in Chinese: 1,234 美元, 12.3 万美元


CURRENCIES = {
    c.code: c
    for c in (
        Currency("CNY", "¥", "元"),
        Currency("USD", "$", "美元"),
        Currency("EUR", "€", "欧元"),
        Currency("GBP", "£", "英镑"),
        Currency("HKD", "HK$", "港元"),
        Currency("TWD", "NT$", "新台币"),
        Currency("SGD", "S$", "新加坡元"),
        Currency("JPY", "JP¥", "日元"),
        Currency("KRW", "₩", "韩元"),
        Currency("AUD", "A$", "澳元"),
        Currency("CAD", "C$", "加元"),
    )
}
DEFAULT = "CNY"


def get(con: duckdb.DuckDBPyConnection) -> str:
    """The database's currency code (CNY when never set)."""
    code = db.get_meta(con, "currency")
    return code if code in CURRENCIES else DEFAULT


def set_currency(con: duckdb.DuckDBPyConnection, code: str) -> str:
    """Set the currency (one write: the data version moves, cached texts follow)."""
    code = code.strip().upper()
    if code not in CURRENCIES:
        raise ValueError(f"unknown currency {code!r}: one of {', '.join(CURRENCIES)}")
    with db.write_transaction(con):
        db.set_meta(con, "currency", code)
    return code


def apply(code: str) -> None:
    """Show amounts in ``code`` for the rest of this run or command (locales.catalog)."""
    from locales.catalog import use_currency

    c = CURRENCIES.get(code, CURRENCIES[DEFAULT])
    use_currency(c.symbol, c.unit_zh)
