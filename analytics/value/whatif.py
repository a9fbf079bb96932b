"""What-if lifetime value: measured defaults, slider arithmetic, service levers, waterfall.

``measure_baseline`` reads the filtered data once (average order value, orders a year,
yearly retention, active customers, retention per complaint outcome and per satisfaction
score). Everything after that is closed-form arithmetic on a few numbers, so a slider
change recomputes in microseconds whatever the size of the base.

Retention-based CLV per customer (analytics/value/retention.py):
  margin per year m = order value × orders a year × margin rate;
  CLV (existing) = Σ_{t=1..H} m r^t / (1+d)^t;  customer equity = active customers × CLV.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, replace

import duckdb
import pandas as pd

from analytics import db
from analytics.filters import Filters, customer_scope
from analytics.satisfaction.complaints import DECK_REPURCHASE, outcome_repurchase
from analytics.satisfaction.scores import score_repurchase
from analytics.value.retention import clv_existing, clv_new

MIN_CLASS_N = 30  # below this a measured class rate is replaced by the deck's


@dataclass(frozen=True)
class Assumptions:
    """The sliders. Rates are fractions per year; horizon in years."""

    order_value: float  # 元 / order
    orders_per_year: float  # orders / customer / year
    retention: float  # share of customers kept from one year to the next
    margin_rate: float = 0.30  # gross margin share of revenue (an assumption: the data has no costs)
    discount_rate: float = 0.10
    horizon_years: int = 10
    acquisition_cost: float = 0.0  # 元 / new customer

    @property
    def margin(self) -> float:
        """元 margin / customer / year."""
        return self.order_value * self.orders_per_year * self.margin_rate


@dataclass(frozen=True)
class Baseline:
    """Measured from the filtered data; the sliders start here."""

    assumptions: Assumptions
    customers: int  # active in the last 365 days
    complainer_share: float  # share of customers with a complaint in the year
    outcome_share: dict  # complaint outcome → share of complaints
    outcome_retention: dict  # outcome → repurchase rate (measured or deck)
    outcome_source: dict  # outcome → "data" or "deck"
    score_share: dict  # overall score → share of answers
    score_retention: dict  # overall score → repurchase rate
    as_of: dt.date
    gap_effects: dict | None = None  # dimension → {"per_point", "mean_shortfall"} (see satisfaction/scores.py)
    retention_base: int | None = None  # customers of the year before (0: retention not measurable, not 0 %)


def measure_assumptions(
    con: duckdb.DuckDBPyConnection, f: Filters | None = None, as_of: dt.date | None = None
) -> tuple[Assumptions, int]:
    """Order value, orders a year and yearly retention of the active customers, and how many
    they are — all a CLV figure needs, from the two years up to ``as_of`` (default: the last
    purchase day)."""
    end, _, _ = _scope(con, f, as_of)
    return measure_assumptions_at(con, f, (end,))[0]


def measure_assumptions_at(
    con: duckdb.DuckDBPyConnection, f: Filters | None, ends: tuple[dt.date, ...], with_base: bool = False
) -> list[tuple]:
    """``measure_assumptions`` at several as-of dates in one pass over the purchases (the
    Overview's tile needs this period's and the previous period's): (assumptions, active)
    each, and with ``with_base`` the customers of the year before that retention is measured
    on (0: retention unknown, not 0 %)."""
    _, scope, params = _scope(con, f, ends[0])
    aggs, outs = [], []
    for k in range(len(ends)):
        # whole days, half-open like every other window (filters.Filters.bounds): the last 365
        # days as of e are [e − 364, e], the 365 before them [e − 729, e − 365]
        inside = f"ts >= $e{k} - INTERVAL 729 DAY AND ts < $e{k} + INTERVAL 1 DAY"
        this, last = f"{inside} AND ts >= $e{k} - INTERVAL 364 DAY", f"{inside} AND ts < $e{k} - INTERVAL 364 DAY"
        aggs.append(
            f"bool_or({this}) AS this{k}, bool_or({last}) AS last{k}, "
            f"count(*) FILTER (WHERE {this}) AS orders{k}, sum(amount) FILTER (WHERE {this}) AS revenue{k}"
        )
        outs.append(
            f"count_if(this{k}), sum(orders{k}), sum(revenue{k}), count_if(last{k} AND this{k}), count_if(last{k})"
        )
    row = db.one(
        con,
        f"""
        WITH c AS (SELECT customer_id, {", ".join(aggs)} FROM interactions
                   WHERE kind = 'purchase' AND ts >= $lo - INTERVAL 729 DAY AND ts < $hi + INTERVAL 1 DAY {scope}
                   GROUP BY 1)
        SELECT {", ".join(outs)} FROM c""",
        {**params, "lo": min(ends), "hi": max(ends), **{f"e{k}": e for k, e in enumerate(ends)}},
    )
    out = []
    for k in range(len(ends)):
        active, orders, revenue, kept, base = (v or 0 for v in row[5 * k : 5 * k + 5])
        aov = revenue / orders if orders else 0.0
        freq = orders / active if active else 0.0
        retention = kept / base if base else 0.0
        measured = Assumptions(round(aov, 2), round(freq, 2), round(min(retention, 0.99), 3))
        out.append((measured, int(active), int(base)) if with_base else (measured, int(active)))
    return out


def _scope(con: duckdb.DuckDBPyConnection, f: Filters | None, as_of: dt.date | None) -> tuple[dt.date, str, dict]:
    end = as_of or db.scalar(con, "SELECT max(ts)::DATE FROM interactions WHERE kind = 'purchase'")
    if end is None:
        raise ValueError("no purchases in the data")
    if f is None:
        return end, "", {}
    scope, params = customer_scope(f)
    return end, f"AND {scope}", params


def measure_baseline(
    con: duckdb.DuckDBPyConnection, f: Filters | None = None, as_of: dt.date | None = None
) -> Baseline:
    """Order value, orders a year, yearly retention and the lever inputs from the data."""
    end, scope, params = _scope(con, f, as_of)
    ((assumptions, active, retention_base),) = measure_assumptions_at(con, f, (end,), with_base=True)
    comp = db.scalar(
        con,
        f"""SELECT count(DISTINCT customer_id) FROM complaints
                           WHERE opened_at >= $end - INTERVAL 364 DAY AND opened_at < $end + INTERVAL 1 DAY {scope}""",
        {**params, "end": end},
    )
    outcomes = outcome_repurchase(con, f)
    counts = outcomes.set_index("outcome")["n"]
    complaint_classes = ["resolved_quickly", "resolved", "unresolved"]
    total = counts.reindex(complaint_classes).sum()
    outcome_share = {k: (float(counts.get(k, 0)) / total if total else 0.0) for k in complaint_classes}
    outcome_retention, source = {}, {}
    for _, r in outcomes.iterrows():
        measured = r["n"] >= MIN_CLASS_N and pd.notna(r["rate"])
        outcome_retention[r["outcome"]] = float(r["rate"]) if measured else DECK_REPURCHASE[r["outcome"]]
        source[r["outcome"]] = "data" if measured else "deck"
    scores = score_repurchase(con, f)
    n_all = scores["n"].sum() if len(scores) else 0
    score_share = {float(s): float(n) / n_all for s, n in zip(scores["score"], scores["n"])} if n_all else {}
    score_retention = {float(s): float(r) for s, r in zip(scores["score"], scores["rate"])}
    from analytics.satisfaction.scores import gap_retention_effects

    return Baseline(
        assumptions,
        active,
        comp / active if active else 0.0,
        outcome_share,
        outcome_retention,
        source,
        score_share,
        score_retention,
        end,
        gap_retention_effects(con, f),
        retention_base,
    )


@dataclass(frozen=True)
class Result:
    clv_existing: float  # 元 / customer over the horizon
    clv_new: float  # 元 / new customer, net of acquisition cost
    equity: float  # 元, the active base
    margin: float  # 元 / customer / year


def evaluate(a: Assumptions, customers: int) -> Result:
    r = min(max(a.retention, 0.0), 0.999)
    existing = clv_existing(a.margin, r, a.discount_rate, a.horizon_years)
    new = clv_new(a.margin, r, a.discount_rate, a.horizon_years, a.acquisition_cost)
    return Result(existing, new, existing * customers, a.margin)


WATERFALL_STEPS = ("order_value", "orders_per_year", "retention", "margin_rate", "discount_rate", "horizon_years")


def waterfall(base: Assumptions, new: Assumptions, customers: int) -> list[tuple[str, float]]:
    """Customer equity from ``base`` to ``new``, one slider at a time: [(step, change 元)]."""
    steps, current = [], base
    value = evaluate(current, customers).equity
    for field in WATERFALL_STEPS:
        current = replace(current, **{field: getattr(new, field)})
        nxt = evaluate(current, customers).equity
        steps.append((field, nxt - value))
        value = nxt
    return steps


def lever_complaints(b: Baseline, share_moved: float) -> float:
    """Retention change when ``share_moved`` of complaints not resolved quickly are resolved quickly.

    Δr = complainer share × Σ_k share_k × moved × (r_quick − r_k), k ∈ {resolved, unresolved}.
    """
    r_quick = b.outcome_retention.get("resolved_quickly", DECK_REPURCHASE["resolved_quickly"])
    gain = sum(
        b.outcome_share.get(k, 0.0) * share_moved * (r_quick - b.outcome_retention.get(k, DECK_REPURCHASE[k]))
        for k in ("resolved", "unresolved")
    )
    return b.complainer_share * gain


def lever_fours_to_fives(b: Baseline, share_moved: float) -> float:
    """Retention change when ``share_moved`` of the next-to-top scores become top scores (4s → 5s)."""
    if len(b.score_retention) < 2:
        return 0.0
    scores = sorted(b.score_retention)
    top, nxt = scores[-1], scores[-2]
    return b.score_share.get(nxt, 0.0) * share_moved * (b.score_retention[top] - b.score_retention[nxt])


def lever_close_gap(b: Baseline, dimension: str | None, share_closed: float) -> float:
    """Retention change when ``share_closed`` of the shortfall on ``dimension`` is closed:
    Δr = effect per point × (−mean shortfall) × share closed (never negative)."""
    effect = (b.gap_effects or {}).get(dimension or "")
    if not effect:
        return 0.0
    return max(0.0, effect["per_point"] * -effect["mean_shortfall"] * share_closed)


def apply_levers(
    b: Baseline,
    a: Assumptions,
    complaints_moved: float = 0.0,
    fours_moved: float = 0.0,
    gap_dimension: str | None = None,
    gap_closed: float = 0.0,
) -> tuple[Assumptions, dict]:
    """Assumptions with the service levers' retention gains added (capped at 0.99)."""
    effects = {
        "complaints": lever_complaints(b, complaints_moved),
        "fours_to_fives": lever_fours_to_fives(b, fours_moved),
        "gap": lever_close_gap(b, gap_dimension, gap_closed),
    }
    return replace(a, retention=min(0.99, a.retention + sum(effects.values()))), effects


def lost_customer_cost(clv: float, tells: float = 10, retell: float = 0.0, influence: float = 0.0) -> dict:
    """Deck 000/001's cost of a lost customer: lost CLV plus word of mouth.

    ``tells`` people hear of it (deck 001: 8–12; deck 000: up to 16), each retells to
    ``retell`` more (deck 001: 20); ``influence`` = share of listeners who do not become
    (or stop being) customers. All three are user-set claims, not measurements.
    """
    reached = tells * (1 + retell)
    word_of_mouth = reached * influence * clv
    return {"lost_clv": clv, "people_reached": reached, "word_of_mouth": word_of_mouth, "total": clv + word_of_mouth}


# --- saved scenarios ---------------------------------------------------------------------


def save_scenario(con: duckdb.DuckDBPyConnection, name: str, a: Assumptions, levers: dict | None = None) -> None:
    """Store (or replace) a named scenario."""
    name = name.strip()
    if not name:
        raise ValueError("a scenario needs a name")
    payload = json.dumps({"assumptions": asdict(a), "levers": levers or {}}, ensure_ascii=False)

    def write() -> None:  # one transaction: a reader never sees the name missing
        with db.write_transaction(con, bump=False):
            con.execute("DELETE FROM scenarios WHERE name = ?", [name[:100]])
            con.execute("INSERT INTO scenarios VALUES (?, ?, now()::TIMESTAMP)", [name[:100], payload])

    db.retry_busy(write)


def list_scenarios(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    rows = con.execute("SELECT name, params, created_at FROM scenarios ORDER BY created_at").fetchall()
    out = []
    for name, params, created in rows:
        p = json.loads(params)
        out.append(
            {
                "name": name,
                **p["assumptions"],
                **{f"lever_{k}": v for k, v in p["levers"].items()},
                "created_at": created,
            }
        )
    return pd.DataFrame(out)


def load_scenario(con: duckdb.DuckDBPyConnection, name: str) -> tuple[Assumptions, dict]:
    row = con.execute("SELECT params FROM scenarios WHERE name = ?", [name]).fetchone()
    if row is None:
        raise KeyError(name)
    p = json.loads(row[0])
    return Assumptions(**p["assumptions"]), p["levers"]


def delete_scenario(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute("DELETE FROM scenarios WHERE name = ?", [name])


def expected_lifetime_years(retention: float) -> float:
    """Mean relationship length under constant yearly retention r: 1 / (1 − r) years (geometric)."""
    return 1.0 / (1.0 - retention) if retention < 1 else float("inf")


def company_story(a: Assumptions) -> dict:
    """Deck 000's supermarket story (100 × 52 × 40) redone with the company's average customer."""
    years = expected_lifetime_years(a.retention)
    return {
        "order_value": a.order_value,
        "orders_per_year": a.orders_per_year,
        "years": years,
        "lifetime_revenue": a.order_value * a.orders_per_year * years,
    }
