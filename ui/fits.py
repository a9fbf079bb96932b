"""Stored model fits seen from the app: never a fit on a page view once the data has one.

``stored(name, key)`` returns the fit kept in the database (analytics/fits.py), loaded once per
process. When the data changed since, the page gets the previous fit at once (and says so,
``stale_note``) while one background thread per model and data version refits and stores the
new one; the next run picks it up. Only a brand-new database, or a churn definition nobody
asked for before, makes the page wait, with a progress box — on one background fit that every
session asking for the same model shares (25 first visitors fitting 25 times starved the server).
"""

from __future__ import annotations

import logging
import threading

import streamlit as st

from analytics import db, fits
from analytics.filters import Filters
from analytics.fits import CHURN, CLV, CLV_UNIT, VOICE, VOICE_KEY, StoredFit  # noqa: F401 — CLV_UNIT for pages
from ui import data

log = logging.getLogger("csat.fits")
#: Background fits under way: token → set when done (one per database, data version and model).
_running: dict[tuple[str, int, str, str], threading.Event] = {}
#: Why a background fit failed (the data cannot support the model), for the pages waiting on it.
_failed: dict[tuple[str, int, str, str], str] = {}
_running_lock = threading.Lock()


def snapshot_version() -> int:
    return int(data.version().split("@", 1)[0])


@st.cache_resource(max_entries=16, show_spinner=False)
def _load(path: str, name: str, key: str, data_version: int, fitted_at) -> StoredFit | None:
    """Unpickled once per process and stored fit (the stamp is in the key)."""
    with data.reading() as cur:
        return fits.load(cur, name, key)


def stored(name: str, key: str, t) -> StoredFit:
    """The stored fit for ``name``/``key``; fits it now (with progress) only if there is none.
    Raises ValueError when the data cannot support the model."""
    with data.reading() as cur:  # outside the run's snapshot: a refit that just ended shows at once
        seen = fits.stamp(cur, name, key)
    if seen is None:  # a brand-new database: one fit for every session that asks, not one each
        label, holder = t(f"fit.first.{name}"), st.empty()
        with holder.status(label, expanded=False):
            token, done = start_refit(name, key)
            while not done.wait(0.5):  # a short wait at a time: the run can still be stopped
                pass
        holder.empty()  # done: the page shows the results, not the progress box
        if token in _failed:
            raise ValueError(_failed[token])
        with data.reading() as cur:
            seen = fits.stamp(cur, name, key)
        if seen is None:
            raise ValueError(f"the {name} model could not be fitted")
        fit = _load(data.db_path(), name, key, *seen)
        st.toast(t("fit.done", seconds=f"{fit.seconds:.0f}"))
        return fit
    fit = _load(data.db_path(), name, key, *seen)
    if fit is None:  # unreadable (another program version): refit in the background, fit now
        return fits.fit_for(data.cursor(), name, key)
    if fit.data_version < snapshot_version():
        start_refit(name, key)
    return fit


def churn(days: int | None, t) -> StoredFit:
    return stored(CHURN, fits.churn_key(days), t)


def clv(t) -> StoredFit:
    return stored(CLV, CLV_UNIT, t)


def voice(t) -> StoredFit:
    return stored(VOICE, VOICE_KEY, t)


def stale_note(fit: StoredFit, t) -> str | None:
    """'Fitted on earlier data …' while a refit for the current data runs, else None."""
    if fit.data_version >= snapshot_version():
        return None
    return t("fit.stale", when=fit.fitted_at.strftime("%Y-%m-%d %H:%M"), version=fit.data_version)


def start_refits() -> None:
    """After a write from the app: refit every stored model in the background."""
    for name, key in ((CHURN, fits.churn_key(None)), (CLV, CLV_UNIT), (VOICE, VOICE_KEY)):
        start_refit(name, key)


def start_refit(name: str, key: str) -> tuple[tuple[str, int, str, str], threading.Event]:
    """One background refit per database, data version and model (a daemon thread); returns
    its token and an event set when it ends (a second caller gets the running one's)."""
    with data.reading() as cur:  # the latest commit: a write just made and the next run agree
        latest = db.data_version(cur)
    token = (data.db_path(), latest, name, key)
    with _running_lock:
        if token in _running:
            return token, _running[token]
        if token in _failed:  # this data cannot support the model: known, not refitted on every view
            known = threading.Event()
            known.set()
            return token, known
        done = _running[token] = threading.Event()
    con = data.connection()  # the process's connection, taken in the script thread
    threading.Thread(target=_refit, args=(con, token), daemon=True, name=f"refit-{name}").start()
    return token, done


def _refit(con, token: tuple[str, int, str, str]) -> None:
    _, _, name, key = token
    cur = con.cursor()
    try:
        fit = fits.fit_for(cur, name, key)
        with data.WRITE_LOCK:
            writer = con.cursor()
            try:
                fits.save(writer, fit)
            finally:
                writer.close()
        log.info("refitted %s/%s on data version %s in %.1f s", name, key, fit.data_version, fit.seconds)
    except ValueError as exc:  # the data cannot support the model: the waiting pages say so
        _failed[token] = str(exc)
        log.info("refit of %s/%s: %s", name, key, exc)
    except Exception as exc:  # noqa: BLE001 — a background thread: log it, the page keeps the last fit
        _failed[token] = f"{type(exc).__name__}"
        log.exception("refit of %s/%s failed", name, key)
    finally:
        cur.close()
        with _running_lock:
            _running.pop(token).set()


# The at-risk reads below go outside the run's snapshot, as the fit's stamp does (``stored``):
# a first fit stored during this very run has its scores committed after the snapshot began,
# and an empty list read inside it would be cached for that fit as if it were the answer.


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def at_risk(_con, data_version: str, fitted: tuple, f: Filters | None, customer_id: str | None = None):
    """The at-risk list of the filtered customers (or one customer) from the scores stored with
    the churn fit ``fitted`` = (its data version, its key): a query, no scoring on a page view."""
    with data.reading() as cur:
        return data.kept(
            cur,
            data_version,
            "fits.at_risk",
            (fitted, f, customer_id),
            (),
            lambda: fits.at_risk(cur, fitted[1], f, customer_id),
        )


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def at_risk_summary(_con, data_version: str, fitted: tuple, f: Filters):
    """How many of the filtered customers are at risk, their revenue at risk and the first rows
    (``fits.at_risk_summary``); the whole list is ``at_risk_csv``, built when downloaded."""
    with data.reading() as cur:
        return data.kept(
            cur, data_version, "fits.at_risk_summary", (fitted, f), (), lambda: fits.at_risk_summary(cur, fitted[1], f)
        )


def at_risk_csv(fitted: tuple, f: Filters) -> bytes:
    """The whole at-risk list of the filtered customers as CSV: called on a download click, on
    Streamlit's own thread, so it reads through a cursor of its own (not the run's snapshot)."""
    from analytics.export import to_csv_bytes

    with data.reading() as cur:
        return to_csv_bytes(fits.at_risk(cur, fitted[1], f))
