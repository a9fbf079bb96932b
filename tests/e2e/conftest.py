"""Start the real app on a free port and drive Debian's Chromium with playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = ROOT / "shots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@contextlib.contextmanager
def start_app(db: Path | str, log_path: Path | None = None, **settings: str):
    """Run ``streamlit run app.py`` on a free port over ``db`` (a file, or a ``ducklake:`` target
    with ``log_path`` given); yield its URL. ``settings`` are extra environment variables (e.g.
    STREAMLIT_SERVER_MAX_UPLOAD_SIZE="1")."""
    port = _free_port()
    env = {**os.environ, "CSAT_DB": str(db), **settings}
    log_path = log_path or Path(db).with_suffix(".log")
    log = open(log_path, "w+b")  # a file, not a pipe: a full pipe would stall the server
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("the app did not start")
        yield url
        if proc.poll() is not None:
            raise RuntimeError(f"the app died (exit {proc.returncode})")
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(10)
        log.seek(0)
        tail = log.read()[-4000:].decode(errors="replace")
        log.close()
        if proc.returncode not in (0, -15, None):
            print("app log:\n" + tail, file=sys.stderr)


@pytest.fixture(scope="session")
def app_url(demo_path, tmp_path_factory):
    db = tmp_path_factory.mktemp("e2e") / "app.duckdb"
    shutil.copy(demo_path, db)
    with start_app(db) as url:
        yield url


def _settle(page) -> None:
    """Wait until Streamlit has drawn the page and finished running the script."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60000)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60000)  # the page script has run
    page.wait_for_timeout(500)
    for _ in range(240):
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            break
        time.sleep(0.25)
    page.wait_for_timeout(1000)


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 2200})
    pg = ctx.new_page()
    yield pg
    ctx.close()


def _shot(page, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


@pytest.fixture
def settle():
    """settle(page): wait for Streamlit to finish drawing."""
    return _settle


@pytest.fixture
def shot():
    """shot(page, name): save a screenshot under shots/ (look at them)."""
    return _shot


@pytest.fixture(name="start_app")
def start_app_fixture():
    """start_app(db): a context manager running a separate app process over ``db``."""
    return start_app
