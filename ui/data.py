"""The database seen from the app: one connection per process, a cursor per session,
cached analytics keyed on the filters and the data version."""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
import time
from contextlib import contextmanager

import duckdb
import streamlit as st

from analytics import db, overview, results, storage
from analytics.demo import build_demo
from analytics.filters import Filters, data_range, group_values, is_unfiltered
from analytics.loyalty.tiers import refresh_customer_value

DEMO_CUSTOMERS = int(os.environ.get("CSAT_DEMO_CUSTOMERS", "5000"))
DEMO_SEED = 7
#: Imports and resets from any session are serialised (DuckDB has one writer per process).
WRITE_LOCK = threading.Lock()
log = logging.getLogger("csat.data")


def db_path() -> str:
    return db.database_path()


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    """The process's one connection; builds the demo data on first start."""
    con = db.connect(path)
    empty = db.is_empty(con)
    if empty:
        build_demo(con, customers=DEMO_CUSTOMERS, seed=DEMO_SEED)
    return con


def cursor():
    """This session's cursor on the shared connection (reads only: writes go through ``writing``)."""
    path = db_path()
    if st.session_state.get("_cursor_path") != path:
        st.session_state["_cursor"] = _connection(path).cursor()
        st.session_state["_cursor_path"] = path
        st.session_state.pop("_snapshot", None)
    return st.session_state["_cursor"]


@contextmanager
def writing():
    """A fresh cursor for one write (import, reset, restore, scenarios), outside every session's
    read snapshot, holding the process's write lock (DuckDB has one writer per process)."""
    with WRITE_LOCK, _fresh_cursor() as cur:
        yield cur


def connection():
    """The process's one connection (for a background thread, which takes its own cursors)."""
    return _connection(db_path())


@contextmanager
def reading():
    """A fresh cursor outside this run's snapshot: sees the latest commit (a fit just stored)."""
    with _fresh_cursor() as cur:
        yield cur


@contextmanager
def _fresh_cursor():
    cur = _connection(db_path()).cursor()
    try:
        yield cur
    finally:
        cur.close()


def begin_run() -> None:
    """Start this script run's read snapshot (app.py, before anything reads).

    Every query of the run then sees the data as of one moment: an import committing while a
    page draws leaves that page on the old data (and its results cached under the old version),
    never half old, half new. The derived tier table is brought up to date first, outside it.
    """
    end_run()
    st.session_state["_run_t0"] = time.perf_counter()
    con = cursor()
    try:  # a run stopped between its BEGIN and its end (a rerun, a closed tab) left it open
        con.execute("ROLLBACK")
    except duckdb.Error:  # none open: the usual case
        pass
    con.execute("BEGIN TRANSACTION")
    seen = db.versions(con)
    if not seen.derived_current:  # only a file written before writes rebuilt the tiers themselves
        con.execute("ROLLBACK")
        with writing() as w:
            refresh_customer_value(w)
        con.execute("BEGIN TRANSACTION")
        seen = db.versions(con)
    st.session_state["_snapshot"] = seen.data


def apply_currency() -> None:
    """This run shows amounts in the database's currency (analytics/currency.py): app.py,
    right after ``begin_run``."""
    from analytics import currency

    currency.apply(call(currency.get))


def end_run() -> None:
    """Close this run's read snapshot (app.py, in a ``finally``: also after st.stop/st.rerun)."""
    if st.session_state.pop("_snapshot", None) is not None:
        st.session_state["_cursor"].execute("ROLLBACK")
    if "_run_t0" in st.session_state:
        _trace("script run", "done", st.session_state.pop("_run_t0"))


def version() -> str:
    """This run's snapshot as a cache key, ``<data version>@<database file>``: every cached
    result below is keyed on it (the file too, so two databases never share an entry)."""
    snap = st.session_state.get("_snapshot")
    return f"{snap if snap is not None else db.data_version(cursor())}@{db_path()}"


@st.cache_data(max_entries=64, show_spinner=False)
def cached_range(_con, data_version: str):
    return data_range(_con)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_group_values(_con, data_version: str, dimension: str) -> list[str]:
    return group_values(_con, dimension)


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def period_figures(_con, data_version: str, f: Filters, dimension: str):
    """The Overview's raw counts per group of ``dimension``: one pass shared by the key figures
    of a filtered view (their total) and the group table (analytics/overview.py)."""
    return kept(
        _con,
        data_version,
        "overview.period_figures",
        (f, dimension),
        (),
        lambda: overview.period_figures(_con, f, dimension),
    )


#: The group table's default dimension: a filtered view's key figures add up its groups.
FIGURES_BY = "region"


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def key_figures(_con, data_version: str, f: Filters, min_n: int):
    def compute():
        grouped = None if is_unfiltered(f) else period_figures(_con, data_version, f, FIGURES_BY)
        return overview.key_figures(_con, f, min_n, grouped)

    return kept(_con, data_version, "overview.key_figures", (f, min_n), (), compute)


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def segment_table(_con, data_version: str, f: Filters, dimension: str, min_n: int):
    return kept(
        _con,
        data_version,
        "overview.segment_table",
        (f, dimension, min_n),
        (),
        lambda: overview.segment_table(_con, f, dimension, min_n, period_figures(_con, data_version, f, dimension)),
    )


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def monthly_trend(_con, data_version: str, f: Filters, min_n: int):
    return kept(
        _con,
        data_version,
        "overview.monthly_trend",
        (f, min_n),
        (),
        lambda: overview.monthly_trend(_con, f, min_n=min_n),
    )


@st.cache_data(max_entries=16, show_spinner=False)
def table_counts(_con, data_version: str) -> dict[str, int]:
    return db.table_counts(_con)


@st.cache_data(max_entries=16, show_spinner=False)
def import_log(_con, data_version: str):
    return db.import_log(_con)


@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def clv_values(
    _con, data_version: str, _models, fitted: tuple, f: Filters, unit: str, horizon: int, discount: float, margin: float
):
    """Every filtered customer valued with the stored models (``fitted`` keys them), or, for a
    unit without a stored fit, fitted on the filtered customers as before."""
    from analytics.value import fit_clv, value_customers
    from analytics.value.summary import summary

    if _models is None:
        return fit_clv(_con, f.end, unit, f, horizon_months=horizon, discount=discount, margin=margin)
    # the per-customer RFM-T summary is the slow part (4 s at 1M) and does not move with the
    # sliders: kept once per end date and groups (it reads every purchase to the end: the start
    # is not in it, and a 40 MB copy per period was kept); values are recomputed per slider position
    rfm = kept(
        _con,
        data_version,
        "value.summary",
        (f.end, _models.unit, f.groups_only()),
        (),
        lambda: summary(_con, f.end, _models.unit, f),
    )
    return value_customers(_con, _models, f.end, f, horizon_months=horizon, discount=discount, margin=margin, rfm=rfm)


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def clv_one(_con, data_version: str, _models, fitted: tuple, end, customer_id: str, margin: float):
    """One customer's CLV from the stored models: reads that customer's purchases only."""
    from analytics.value import value_customers

    out = value_customers(_con, _models, end, horizon_months=12, discount=0.10, margin=margin, customer_id=customer_id)
    return float(out.customers["clv"].iloc[0]) if len(out.customers) else None


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def clv_holdout(_con, data_version: str, f: Filters, unit: str, calibration_end):
    from analytics.value import holdout_check

    return kept(
        _con,
        data_version,
        "value.holdout_check",
        (f, unit, calibration_end),
        (),
        lambda: holdout_check(_con, calibration_end, f.end, unit, f),
    )


def scenarios():
    """Saved scenarios, read outside the snapshot so one just saved shows at once (a read: it
    does not wait for the write lock, so an import in progress never blocks it)."""
    from analytics.value.whatif import list_scenarios

    with _fresh_cursor() as cur:
        return list_scenarios(cur)


@st.cache_data(max_entries=512, ttl=3600, show_spinner=False)
def _call(_con, data_version: str, name: str, args: tuple, kwargs: tuple):
    import importlib

    module, fn = name.rsplit(".", 1)
    return kept(
        _con,
        data_version,
        name,
        args,
        kwargs,
        lambda: getattr(importlib.import_module(module), fn)(_con, *args, **dict(kwargs)),
    )


def kept(con, data_version: str, name: str, args: tuple, kwargs: tuple, compute):
    """``compute()``, or the result any process kept in the database for this call and data
    version (analytics/results.py); a computed result worth keeping is written in the
    background, so this run never waits for a write."""
    version, _, path = data_version.partition("@")
    key = results.key_of(args, kwargs)
    t0 = time.perf_counter()
    value = results.load(con, name, key, int(version))
    if not results.missing(value):
        _trace(name, "kept", t0)
        return value
    t0 = time.perf_counter()
    value = compute()
    _trace(name, "computed", t0)
    row = results.prepare(name, key, int(version), value, time.perf_counter() - t0)
    if row is not None:
        _keeper.put(path, row)
    return value


def _trace(name: str, how: str, t0: float) -> None:
    """With CSAT_TRACE set, log each analytics call's time and each script run's (where a page's
    seconds go)."""
    if TRACE:
        log.warning("%s %s in %.3f s", name, how, time.perf_counter() - t0)


TRACE = bool(os.environ.get("CSAT_TRACE"))


class _Keeper:
    """One background thread per process writing computed results, a batch per transaction."""

    def __init__(self) -> None:
        self._pending: queue.Queue[tuple[str, results.Result]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def put(self, path: str, row: results.Result) -> None:
        self._pending.put((path, row))
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="csat-results", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                batch = [self._pending.get(timeout=5)]
            except queue.Empty:
                return
            while not self._pending.empty():
                batch.append(self._pending.get_nowait())
            try:
                for path in {p for p, _ in batch}:
                    rows = [r for p, r in batch if p == path]
                    try:
                        with WRITE_LOCK, contextlib.closing(_connection(path).cursor()) as cur:
                            results.store(cur, rows)
                    except Exception as exc:  # noqa: BLE001 — a result not kept is computed again
                        log.warning("could not keep %d results in %s: %s", len(rows), path, storage.first_line(exc))
            finally:
                for _ in batch:
                    self._pending.task_done()

    def drain(self, timeout: float = 30.0) -> None:
        """Wait until every result handed over is written (or tried)."""
        deadline = time.monotonic() + timeout
        while self._pending.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.02)


_keeper = _Keeper()


def drain_results(timeout: float = 30.0) -> None:
    """Wait for the background writes of computed results (the warm run, tests)."""
    _keeper.drain(timeout)


def call(fn, *args, **kwargs):
    """Run an analytics function ``fn(con, *args, **kwargs)``, cached on its arguments and the
    data version (arguments must be hashable: Filters, numbers, strings, tuples)."""
    return _call(cursor(), version(), f"{fn.__module__}.{fn.__name__}", args, tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def _slides(_con, data_version: str, f: Filters, lang: str, min_n: int) -> list:
    from analytics.training import build_slides

    return build_slides(_con, f, lang, min_n, ask=call)


def slides(f: Filters, lang: str, min_n: int) -> list:
    """The training deck for the filters: each figure through ``call``, so it shares what the
    other pages computed for the same filters (and they share what it computed first)."""
    return _slides(cursor(), version(), f, lang, min_n)


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _texts(_con, fitted: tuple, name: str, args: tuple):
    import importlib

    module, fn = name.rsplit(".", 1)
    return getattr(importlib.import_module(module), fn)(_con, *args)


def texts(fn, fitted: tuple, *args):
    """An analytics call over the stored text results (``comment_scores``), cached on the text
    fit's stamp ``fitted`` = (data version, fitted at) rather than the data version, and read
    outside the run's snapshot: a fit stored during this very run (the first) shows at once."""
    with reading() as cur:
        return _texts(cur, fitted, f"{fn.__module__}.{fn.__name__}", args)
