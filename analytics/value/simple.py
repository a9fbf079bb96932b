"""The deck's lifetime value arithmetic (deck 000; docs/domain.md, "What a kept customer is worth").

lifetime value = order amount × orders a year × years of relationship, each factor
optionally grown by a rate: +10 % on all three turns 1,000 a year for 10 years (10,000)
into 110 × 11 × 11 = 13,310, i.e. +33.1 %.
"""

from __future__ import annotations

from dataclasses import dataclass


def deck_ltv(amount: float, frequency: float, years: float, growth: float = 0.0) -> float:
    """(amount·(1+g)) × (frequency·(1+g)) × (years·(1+g)); growth g as a fraction (0.1 = +10 %)."""
    if min(amount, frequency, years) < 0:
        raise ValueError("amount, frequency and years must not be negative")
    k = 1.0 + growth
    return (amount * k) * (frequency * k) * (years * k)


@dataclass(frozen=True)
class DeckRow:
    label: str
    amount: float
    frequency: float
    years: float
    ltv: float


def deck_table(amount: float = 100, frequency: float = 10, years: float = 10, growth: float = 0.10) -> list[DeckRow]:
    """Deck 000's three rows: one year, the whole relationship, and each factor grown."""
    k = 1 + growth
    return [
        DeckRow("one_year", amount, frequency, 1, deck_ltv(amount, frequency, 1)),
        DeckRow("relationship", amount, frequency, years, deck_ltv(amount, frequency, years)),
        DeckRow("grown", amount * k, frequency * k, years * k, deck_ltv(amount, frequency, years, growth)),
    ]


SUPERMARKET = {"amount": 100, "frequency": 52, "years": 40}  # deck 000: 100 × 52 × 40 = 208,000
