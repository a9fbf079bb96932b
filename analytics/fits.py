"""Model fits kept in the database: fitted when data is written, never on a page view.

The churn model (analytics/loyalty/churn_model.py), BG/NBD + Gamma-Gamma (analytics/value/)
and the text model (analytics/voice/) take tens of seconds at a million customers. ``refit`` fits them on the
whole base and stores each, pickled, in ``model_fits`` with the data version it was fitted on;
the app and the CLI load the stored fit (``load``), so a restart does not refit. After a write
the stored fit is one version behind until the refit ends: callers show it and say so
(``StoredFit.data_version``, ``fitted_at``).

CLV parameters are population-level: a filtered view scores its own customers with the
stored whole-base parameters (``value_customers``), which takes a summary query, not a fit.

The table is derived data: backups leave it out and a restore refits, so no payload from
outside this program is ever unpickled.
"""

from __future__ import annotations

import datetime as dt
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

from analytics import db

CHURN, CLV, VOICE = "churn", "clv", "voice"
#: The stored text model's key (one model for survey comments and complaint descriptions).
VOICE_KEY = "texts"
#: The stored CLV fit's time unit (the Lifetime value page's default).
CLV_UNIT = "weeks"


@dataclass(frozen=True)
class StoredFit:
    """A fitted model and the data it was fitted on."""

    name: str
    key: str
    model: object
    data_version: int
    fitted_at: dt.datetime
    seconds: float
    #: the churn model's at-risk list of every current customer (stored in ``churn_scores``)
    scores: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    def current(self, data_version: int) -> bool:
        return self.data_version == data_version


def churn_key(days: int | None) -> str:
    """The churned flag (``None``) or an inactivity definition of ``days``."""
    return "default" if days is None else f"inactivity:{int(days)}"


def save(con: duckdb.DuckDBPyConnection, fit: StoredFit) -> None:
    """Store ``fit`` (replacing the one of the same name and key) in its own transaction, tried
    again when a lake's catalog was busy with another writer's commit."""
    payload = pickle.dumps(fit.model, protocol=pickle.HIGHEST_PROTOCOL)

    def write() -> None:
        with db.write_transaction(con, bump=False):
            con.execute("DELETE FROM model_fits WHERE name = ? AND key = ?", [fit.name, fit.key])
            con.execute(
                "INSERT INTO model_fits VALUES (?, ?, ?, ?, ?, ?)",
                [fit.name, fit.key, fit.data_version, fit.fitted_at, fit.seconds, payload],
            )
            if fit.scores is not None:
                _save_scores(con, fit)

    db.retry_busy(write)


def _save_scores(con: duckdb.DuckDBPyConnection, fit: StoredFit) -> None:
    """A fit's per-row results: the churn at-risk list, or every text's sentiment and theme."""
    con.register("_scores", fit.scores)
    try:
        if fit.name == VOICE:
            con.execute("DELETE FROM comment_scores")
            con.execute(
                """INSERT INTO comment_scores SELECT source, id, customer_id, written_at, sentiment, theme, cause
                   FROM _scores"""
            )
        else:
            con.execute("DELETE FROM churn_scores WHERE key = ?", [fit.key])
            con.execute(
                """INSERT INTO churn_scores SELECT ?, customer_id, churn_probability, value_365, reasons,
                   revenue_at_risk FROM _scores""",
                [fit.key],
            )
    finally:
        con.unregister("_scores")


def stamp(con: duckdb.DuckDBPyConnection, name: str, key: str) -> tuple[int, dt.datetime] | None:
    """(data version, fitted at) of the stored fit, without unpickling it (a cheap check)."""
    row = con.execute(
        "SELECT data_version, fitted_at FROM model_fits WHERE name = ? AND key = ?", [name, key]
    ).fetchone()
    return None if row is None else (int(row[0]), row[1])


def fit_for(con: duckdb.DuckDBPyConnection, name: str, key: str, progress=None) -> StoredFit:
    """Fit the model ``name`` for its ``key`` (as stored: churn_key(days), CLV_UNIT)."""
    if name == CHURN:
        days = None if key == "default" else int(key.split(":", 1)[1])
        return fit_churn(con, days, progress=progress)
    if name == CLV and key == CLV_UNIT:
        return fit_clv(con, progress=progress)
    if name == VOICE and key == VOICE_KEY:
        return fit_voice(con, progress=progress)
    raise ValueError(f"no stored model {name}/{key}")


def load(con: duckdb.DuckDBPyConnection, name: str, key: str) -> StoredFit | None:
    """The stored fit, current or not (None when never fitted or unreadable)."""
    row = con.execute(
        "SELECT data_version, fitted_at, seconds, payload FROM model_fits WHERE name = ? AND key = ?", [name, key]
    ).fetchone()
    if row is None:
        return None
    try:
        model = pickle.loads(row[3])  # noqa: S301 — written by ``save`` of this program only
    except Exception:  # noqa: BLE001 — a fit from another program version: refit instead
        return None
    return StoredFit(name, key, model, int(row[0]), row[1], float(row[2]))


def fit_churn(con: duckdb.DuckDBPyConnection, days: int | None = None, progress=None) -> StoredFit:
    """Fit the churn model for ``days`` (None: the data's own definition) and score every
    current customer with it (the at-risk list pages filter instead of recomputing)."""
    from analytics.loyalty.churn import definition
    from analytics.loyalty.churn_model import at_risk
    from analytics.loyalty.churn_model import fit_churn as fit

    stored = _timed(con, CHURN, churn_key(days), lambda: fit(con, definition(con, days), progress=progress))
    return replace(stored, scores=at_risk(con, stored.model))  # type: ignore[arg-type]


def at_risk(
    con: duckdb.DuckDBPyConnection, key: str, f=None, customer_id: str | None = None, limit: int | None = None
) -> pd.DataFrame:
    """The stored at-risk list (``churn_scores``) of the filtered customers or of one, in the
    order of ``churn_model.at_risk``: revenue at risk, highest first (the first ``limit``)."""
    scope, params = _risk_scope(f, customer_id)
    return con.execute(
        f"""SELECT customer_id, churn_probability, value_365, reasons, revenue_at_risk FROM churn_scores
            WHERE key = $key AND {scope} ORDER BY revenue_at_risk DESC, customer_id
            {f"LIMIT {int(limit)}" if limit is not None else ""}""",
        {**params, "key": key},
    ).df()


@dataclass(frozen=True)
class AtRisk:
    """The at-risk list of the filtered customers in short: how many, their revenue at risk in
    all, and the first rows (a page lists a few hundred; the whole list is a download)."""

    customers: int
    revenue_at_risk: float
    top: pd.DataFrame


def at_risk_summary(con: duckdb.DuckDBPyConnection, key: str, f=None, top: int = 200) -> AtRisk:
    """``at_risk`` in short: at a million customers the whole list is 540k rows (39 MB pickled)
    that a page would read and copy on every visit to show 200 of them and a total."""
    scope, params = _risk_scope(f, None)
    n, total = db.one(
        con,
        f"SELECT count(*), coalesce(sum(revenue_at_risk), 0) FROM churn_scores WHERE key = $key AND {scope}",
        {**params, "key": key},
    )
    return AtRisk(int(n), float(total), at_risk(con, key, f, limit=top))


def _risk_scope(f, customer_id: str | None) -> tuple[str, dict]:
    from analytics.filters import customer_scope

    if customer_id is not None:
        return "customer_id = $one", {"one": customer_id}
    return customer_scope(f) if f is not None else ("true", {})


def fit_clv(con: duckdb.DuckDBPyConnection, progress=None) -> StoredFit:
    """Fit BG/NBD + Gamma-Gamma on every customer's purchases up to the data's last day."""
    from analytics.value.clv import fit_models, holdout_check

    end = db.scalar(con, "SELECT max(ts)::DATE FROM interactions WHERE kind = 'purchase'")
    if end is None:
        raise ValueError("no purchases in the data")

    def fit():
        models = fit_models(con, end, CLV_UNIT, progress=progress)
        calibration = holdout_start(end)
        try:
            holdout = holdout_check(con, calibration, end, CLV_UNIT)
        except ValueError:  # too few customers before the calibration end: no check
            return models
        return replace(models, holdout=holdout, calibration_end=calibration)

    return _timed(con, CLV, CLV_UNIT, fit)


def fit_voice(con: duckdb.DuckDBPyConnection, progress=None) -> StoredFit:
    """Sentiment, themes and causes of every text (analytics/voice/model.py), with per-text results."""
    from analytics.voice.model import fit_voice as fit

    results: list = []

    def run():
        model, scores = fit(con, progress=progress)
        results.append(scores)
        return model

    stored = _timed(con, VOICE, VOICE_KEY, run)
    return replace(stored, scores=results[0])


def holdout_start(end: dt.date) -> dt.date:
    """The calibration end of the stored holdout check: six months before the data's end."""
    return (pd.Timestamp(end) - pd.DateOffset(months=6)).date()


def _timed(con: duckdb.DuckDBPyConnection, name: str, key: str, fit: Callable[[], object]) -> StoredFit:
    version = db.data_version(con)
    t0 = time.perf_counter()
    model = fit()
    return StoredFit(name, key, model, version, dt.datetime.now().replace(microsecond=0), time.perf_counter() - t0)


def refit(con: duckdb.DuckDBPyConnection, store: Callable[[StoredFit], None] | None = None, progress=None) -> dict:
    """Fit every stored model on ``con``'s data and store each (``store``, default ``save`` on
    ``con``; the app passes one that takes its write lock).

    A model the data cannot support (too few customers, no purchases) is skipped and
    reported; the others are still fitted. Returns {name: seconds or the reason skipped}.
    """
    store = store or (lambda fit: save(con, fit))
    out: dict[str, object] = {}
    for name, fit in ((CHURN, fit_churn), (CLV, fit_clv), (VOICE, fit_voice)):
        try:
            stored = fit(con, progress=progress)
        except ValueError as exc:  # ConvergenceError too: a ValueError
            out[name] = f"skipped: {exc}"
            continue
        store(stored)
        out[name] = round(stored.seconds, 2)
    return out
