"""Many people at once: 20 app sessions switch pages and filters while a 1M-row import commits
in the same process. Every run succeeds, and every run sees the data either before or after
the import, never half of it (each script run reads one snapshot: ui/data.py::begin_run)."""

from __future__ import annotations

import shutil
import threading
import time
import traceback

import pandas as pd
from streamlit.testing.v1 import AppTest

from analytics import db
from analytics.io.importer import import_file
from tests.helpers import ROOT

SESSIONS = 20
ROWS = 1_000_000
NEW_CUSTOMERS = 100_000
READ_PAGES = ["pages/overview.py", "pages/loyalty.py", "pages/complaints.py", "pages/satisfaction.py"]
DATA_TITLES = ("数据", "Data")
REGIONS = [None, ["上海"], ["北京", "成都"]]


def _counts(at: AppTest) -> tuple[int, int]:
    """(customers, interactions) from the Data page's table of row counts."""
    table = at.dataframe[0].value
    rows = dict(zip(table.iloc[:, 0], table.iloc[:, 1]))
    by_lang = {
        "客户": "customers",
        "交互记录": "interactions",
        "Customers": "customers",
        "Interactions": "interactions",
    }
    found = {by_lang[k]: int(str(v).replace(",", "")) for k, v in rows.items() if k in by_lang}
    return found["customers"], found["interactions"]


def _big_csv(path) -> None:
    """1M purchases of 100k customers the database does not know yet (created bare by the import)."""
    import duckdb

    duckdb.execute(f"""COPY (SELECT 'N' || lpad(CAST(i % {NEW_CUSTOMERS} AS VARCHAR), 6, '0') AS customer_id,
                              TIMESTAMP '2025-01-01' + to_seconds(i * 7919 % 50000000) AS ts, 'purchase' AS kind,
                              10 + i % 997 AS amount FROM range({ROWS}) t(i)) TO '{path}' (HEADER)""")


def _one_server(monkeypatch) -> None:
    """Make 20 AppTests in threads behave like 20 sessions of one server.

    AppTest is written for one test at a time: each run makes its own compiled-script cache
    (so every thread compiles every page at once, tripping a CPython 3.11 race in the AST
    constructor), sets and clears the global Runtime instance, and resets the global "pages
    directory" flag that a server sets once at start. Here they are shared, as in a server.
    """
    from streamlit.runtime import Runtime
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    monkeypatch.setattr(app_test, "ScriptCache", lambda: shared)
    monkeypatch.setattr(local_script_runner, "ScriptCache", lambda: shared)
    first: dict = {}

    def instance():
        if "runtime" not in first and Runtime._instance is not None:
            first["runtime"] = Runtime._instance
        return first.get("runtime") or Runtime._instance

    monkeypatch.setattr(Runtime, "instance", staticmethod(instance))
    monkeypatch.setattr(Runtime, "exists", staticmethod(lambda: instance() is not None))
    monkeypatch.setattr(app_test, "PagesManager", type("OneServerPagesManager", (PagesManager,), {}))


def test_twenty_sessions_during_a_million_row_import(demo_path, tmp_path, monkeypatch):
    path = tmp_path / "shared.duckdb"
    shutil.copy(demo_path, path)
    csv = tmp_path / "big.csv"
    _big_csv(csv)
    monkeypatch.setenv("CSAT_DB", str(path))
    monkeypatch.chdir(ROOT)
    _one_server(monkeypatch)
    with db.connect(path, read_only=True) as c:
        old = (
            c.execute("SELECT count(*) FROM customers").fetchone()[0],
            c.execute("SELECT count(*) FROM interactions").fetchone()[0],
        )
    new = (old[0] + NEW_CUSTOMERS, old[1] + ROWS)

    started, done = threading.Event(), threading.Event()
    window: dict = {}
    failures: list = []
    seen: dict[int, list] = {k: [] for k in range(SESSIONS)}
    runs: list[tuple[float, float]] = []
    glitches: list = []

    def importer():
        from ui import data

        started.wait()
        time.sleep(1.0)  # let every session get going first
        try:
            with data.writing() as w:
                window["start"] = time.perf_counter()
                window["result"] = import_file(w, "interactions", csv)
                window["end"] = time.perf_counter()
        except BaseException as exc:  # noqa: BLE001 — reported below
            failures.append(("import", repr(exc)))
        finally:
            done.set()

    def session(k: int):
        """One user: alternate a reading page (with a changing region filter) and the Data page."""
        lang = "zh-CN" if k % 2 else "en"
        at, pages, step = None, {}, 0

        def open_app(region):
            nonlocal at, pages
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
            at.query_params["lang"] = lang
            if region:
                at.session_state["f_region"] = region
            at.run()
            pages = dict(at._registered_pages)

        def visit(page: str, region) -> AppTest:
            """Switch page and run; a harness glitch (AppTest's own state raced by another
            thread) reopens the session, like a browser reload, and is counted."""
            for attempt in range(3):
                t0 = time.perf_counter()
                try:
                    if at is None or attempt:
                        open_app(region)
                    elif region:
                        at.session_state["f_region"] = region
                    elif "f_region" in at.session_state:
                        at.session_state["f_region"] = []
                    at._registered_pages = dict(pages)  # see _one_server
                    at.switch_page(page)
                    at.run()
                except Exception:  # noqa: BLE001 — raised by AppTest itself, not by the app
                    glitches.append((k, page, traceback.format_exc(limit=-2)))
                    continue
                runs.append((t0, time.perf_counter()))
                if at.exception:  # raised by the app: a real failure
                    failures.append((k, page, [e.value for e in at.exception]))
                    return at
                if page != "pages/data.py" or (at.title and at.title[0].value in DATA_TITLES):
                    return at
                glitches.append((k, page, "landed on " + (at.title[0].value if at.title else "nothing")))
            raise RuntimeError(f"session {k}: could not open {page}")

        try:
            final = False
            while not final:
                final = done.is_set()  # one more round after the import has committed
                region = REGIONS[(k + step) % len(REGIONS)]
                visit(READ_PAGES[(k + step) % len(READ_PAGES)], region)
                if k == 0 and step == 0:
                    started.set()
                seen[k].append(_counts(visit("pages/data.py", region)))
                step += 1
        except BaseException:  # noqa: BLE001
            failures.append((k, traceback.format_exc(limit=-3)))
        finally:
            started.set()

    threads = [threading.Thread(target=importer)] + [
        threading.Thread(target=session, args=(k,)) for k in range(SESSIONS)
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=1200)
    assert not any(th.is_alive() for th in threads), "a session hung"
    assert not failures, "\n".join(str(x) for f in failures[:3] for x in f)
    assert window["result"]["rows_added"] == ROWS and window["result"]["customers_created"] == NEW_CUSTOMERS
    observations = [c for per in seen.values() for c in per]
    print(
        f"{len(runs)} runs, import {window['end'] - window['start']:.1f} s, "
        f"{sum(1 for o in observations if o == old)} saw old, {sum(1 for o in observations if o == new)} saw new, "
        f"{len(glitches)} harness glitches"
    )
    assert len(glitches) <= len(runs) // 10, glitches[:3]
    assert set(observations) <= {old, new}, pd.Series(observations).value_counts()
    assert all(per and per[-1] == new for per in seen.values())  # everyone ends on the new data
    assert old in observations  # sessions did read before the import committed
    during = [r for r in runs if r[0] < window["end"] and r[1] > window["start"]]
    assert len(during) >= SESSIONS // 2, f"only {len(during)} runs overlapped the import"
    from ui import data

    with data.writing() as c:  # the app's own connection (a second one would clash with its settings)
        assert db.get_meta(c, "customer_value_version") == str(db.data_version(c))
        assert c.execute("SELECT count(*) FROM customer_value").fetchone()[0] == new[0]


def test_a_commit_during_a_run_is_not_seen_by_that_run(demo_path, tmp_path, monkeypatch):
    """Deterministic: an import commits in the middle of a Data page run (between reading the
    data version and counting rows). That run still shows the old counts under the old version;
    the next run shows the new ones."""
    path = tmp_path / "one.duckdb"
    shutil.copy(demo_path, path)
    csv = tmp_path / "more.csv"
    csv.write_text(
        "customer_id,ts,kind,amount\n" + "".join(f"Z{i},2025-03-0{1 + i % 9},purchase,{i + 1}\n" for i in range(500)),
        encoding="utf-8",
    )
    monkeypatch.setenv("CSAT_DB", str(path))
    monkeypatch.chdir(ROOT)
    from ui import data

    real_counts, fired = db.table_counts, []

    def counts_with_a_commit_first(con):
        if not fired:
            fired.append(True)
            with data.writing() as w:
                import_file(w, "interactions", csv)
        return real_counts(con)

    monkeypatch.setattr(db, "table_counts", counts_with_a_commit_first)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception and fired
    customers, interactions = _counts(at)
    with data.writing() as w:
        now = real_counts(w)
    assert (customers, interactions) == (now["customers"] - 500, now["interactions"] - 500)
    at.run()
    assert _counts(at) == (now["customers"], now["interactions"])


def test_a_second_app_process_is_told_the_data_is_in_use(demo_path, tmp_path, monkeypatch):
    """Another process holds the file: the app says so in the user's language, with no
    traceback, and changes nothing."""
    import subprocess
    import sys

    path = tmp_path / "held.duckdb"
    shutil.copy(demo_path, path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    monkeypatch.setenv("CSAT_DB", str(path))
    monkeypatch.chdir(ROOT)
    try:
        assert holder.stdout.readline().strip() == "ready"
        for lang, words in (("zh-CN", "数据库正被另一个进程使用"), ("en", "in use by another process")):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            at.query_params["lang"] = lang
            at.run()
            assert not at.exception
            assert any(words in e.value for e in at.error), [e.value for e in at.error]
    finally:
        holder.kill()
        holder.wait()


def test_a_file_without_current_tiers_gets_them_before_the_snapshot(demo_path, tmp_path, monkeypatch):
    """A database written before writes rebuilt the tier table (or restored by an older build)
    is brought up to date by the first run, outside its snapshot, and the page draws."""
    path = tmp_path / "old.duckdb"
    shutil.copy(demo_path, path)
    with db.connect(path) as c:
        c.execute("DROP TABLE customer_value")
        c.execute("DELETE FROM meta WHERE key = 'customer_value_version'")
    monkeypatch.setenv("CSAT_DB", str(path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.session_state["f_tier"] = ["key"]
    at.run()
    assert not at.exception and at.title[0].value == "Overview"
    from ui import data

    with data.writing() as w:
        assert db.get_meta(w, "customer_value_version") == str(db.data_version(w))
        assert w.execute("SELECT count(*) FROM customer_value").fetchone()[0] > 0


def test_a_run_stopped_inside_its_snapshot_does_not_break_the_next(demo_path, tmp_path, monkeypatch):
    """A rerun can stop a script between ``begin_run``'s BEGIN and the ``finally`` that ends
    it (25 sessions clicking at once did: "cannot start a transaction within a transaction").
    The next run of that session rolls the stale one back and reads normally."""
    path = tmp_path / "stop.duckdb"
    shutil.copy(demo_path, path)
    monkeypatch.setenv("CSAT_DB", str(path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    cur = at.session_state["_cursor"]
    cur.execute("BEGIN TRANSACTION")  # what a stopped run leaves: an open snapshot, no record of it
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Overview"
