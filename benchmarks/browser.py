"""The browser step: what a manager waits for, in headless Chromium against the real app.

The app (``streamlit run app.py``) is started on a built database whose models are fitted
and stored, as ``python -m analytics demo`` leaves it. Each page is then opened three ways,
each in a new tab (a new Streamlit session; one browser, so its cache is kept): the first
visit after the server start, a revisit with the same filters, and a new filter combination
(a region not seen on that page). A visit is timed until the script run is done: the app
root's ``data-test-script-state`` reads ``notRunning`` and stays so for two seconds (the
same rule as ../shared/tools/pagetime.py, whose quiet time is subtracted). Debian's chromium
only; never ``playwright install``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"]
QUIET_POLLS, POLL_S = 8, 0.25
#: Page address → a region for its "new filter" visit (a different one per page).
PAGE_PATHS = {
    "overview": "",  # the default page, served at / (/overview redirects there)
    "satisfaction": "satisfaction",
    "complaints": "complaints",
    "loyalty": "loyalty",
    "retention": "retention",
    "lifetime_value": "lifetime_value",
    "customer": "customer?customer=C0000042",
    "training": "training",
    "voice": "voice",
}
REGIONS = ["北京", "广州", "深圳", "成都", "杭州", "武汉", "上海"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _until_done(page, t0: float, limit: float = 600) -> float | None:
    quiet = 0
    while time.perf_counter() - t0 < limit:
        state = page.get_attribute('[data-testid="stApp"]', "data-test-script-state")
        quiet = quiet + 1 if state == "notRunning" else 0
        if quiet >= QUIET_POLLS:
            return time.perf_counter() - t0 - QUIET_POLLS * POLL_S
        time.sleep(POLL_S)
    return None


def _visit(ctx, url: str) -> float | None:
    """One visit in a new tab: a new Streamlit session (the browser's cache is kept, as for a
    manager who opens the link again)."""
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]', timeout=600_000)
    seconds = _until_done(page, t0)
    if page.locator('[data-testid="stException"]').count():
        seconds = None
    page.close()
    return seconds


def measure(db: str, pages: list[str]) -> dict[str, dict[str, float | None]]:
    """{page: {"first": s, "revisit": s, "filter": s}} on the database ``db``."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise RuntimeError("the browser step needs Debian's chromium (apt-get install chromium fonts-noto-cjk)")
    port = _free_port()
    env = {**os.environ, "CSAT_DB": db}
    log = open(Path(db).with_suffix(".app.log"), "wb")  # noqa: SIM115 — closed in finally
    app = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    out: dict[str, dict[str, float | None]] = {}
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            ctx = browser.new_context(viewport={"width": 1400, "height": 2400})
            for i, name in enumerate(pages):
                path = PAGE_PATHS[name]
                sep = "&" if "?" in path else "?"
                url = f"{base}/{path}{sep}lang=en"
                out[name] = {
                    "first": _visit(ctx, url),
                    "revisit": _visit(ctx, url),
                    "filter": _visit(ctx, f"{url}&region={REGIONS[i % len(REGIONS)]}"),
                }
                print(f"  browser {name}: {out[name]}", file=sys.stderr, flush=True)
            browser.close()
    finally:
        app.terminate()
        app.wait(30)
        log.close()
    return out
