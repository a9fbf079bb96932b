"""Which kinds of data a database holds: a table that was never loaded is "no data", never
zero (issue 15). A complaint rate over a database without complaints is unknown, not 0 %;
a page or a report section whose data is missing says which file to load instead."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics import db

#: What each figure needs, by name (pages and the report ask ``has``).
KINDS = ("customers", "purchases", "surveys", "answers", "complaints")


def loaded(con: duckdb.DuckDBPyConnection) -> dict[str, bool]:
    """{kind: any row of it}: customers, purchases, surveys, per-dimension answers, complaints."""
    row = db.one(
        con,
        """SELECT EXISTS (SELECT 1 FROM customers), EXISTS (SELECT 1 FROM interactions WHERE kind = 'purchase'),
                  EXISTS (SELECT 1 FROM surveys), EXISTS (SELECT 1 FROM survey_answers),
                  EXISTS (SELECT 1 FROM complaints)""",
    )
    return dict(zip(KINDS, map(bool, row)))


def has(con: duckdb.DuckDBPyConnection, *kinds: str) -> bool:
    """True when every one of ``kinds`` has been loaded."""
    have = loaded(con)
    return all(have[k] for k in kinds)


#: The data each headline figure is computed from (analytics/overview.py's FIGURES).
NEEDS = {
    "revenue": "purchases",
    "retention_rate": "purchases",
    "csat": "surveys",
    "nps": "surveys",
    "mean_gap": "answers",
    "complaint_rate": "complaints",
}


def blank_unloaded(con: duckdb.DuckDBPyConnection, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every figure column whose data was never loaded set to missing ("—" on
    a page): a complaint rate without complaint data is unknown, not 0 %."""
    have = loaded(con)
    gone = [c for c, need in NEEDS.items() if not have[need] and c in table.columns]
    if gone:
        table = table.copy()
        table[gone] = float("nan")  # missing as a number: shown as "—", never "None"
    return table
