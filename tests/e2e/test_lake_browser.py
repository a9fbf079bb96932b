"""Two real app servers on one DuckLake while a CLI import commits: every page in Chromium
shows the old or the new data, never an error; ``report`` runs beside them; after the import
both servers show the new data on their next run (issue 14)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests import lakes
from tests.helpers import ROOT
from ui import warm

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAGES = ["", *warm.PAGES[1:], "data"]  # every page: the first is served at /
NEW_CUSTOMER = "L000001"  # exists only once the import has committed


def _cli(*args: str, target: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analytics", *args, "--db", target],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _visit(browser, url: str, settle) -> str:
    """Open ``url`` in a new session; the main area's text (fails on an exception box)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1600})
    try:
        page = ctx.new_page()
        page.goto(url)
        settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0, url
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "Traceback" not in main and "Error" not in page.locator("h1").first.inner_text(), url
        return main
    finally:
        ctx.close()


def test_two_servers_on_one_lake_during_an_import(browser, settle, start_app, tmp_path):
    target = f"ducklake:sqlite:{tmp_path / 'lake.sqlite'}"
    demo = _cli("demo", "--customers", "400", target=target, CSAT_LAKE_DATA=str(tmp_path / "files"))
    assert demo.wait(600) == 0, demo.stderr.read()
    customer = f"/customer?lang=en&customer={NEW_CUSTOMER}"

    with (
        start_app(target, log_path=tmp_path / "a.log") as a,
        start_app(target, log_path=tmp_path / "b.log") as b,
    ):
        for url in (a, b):
            assert "No customer matches." in _visit(browser, url + customer, settle)

        imp = _cli(
            "import",
            "interactions",
            str(lakes.purchases_csv(tmp_path / "p.csv", 300_000, customers=5000)),
            "--quiet",
            "--keep-demo",
            target=target,
        )
        report = _cli("report", "--json", target=target)
        visits = during = 0
        while imp.poll() is None or visits < 2 * len(PAGES):
            name = PAGES[visits % len(PAGES)]
            during += imp.poll() is None
            _visit(browser, f"{(a, b)[visits % 2]}/{name}?lang=en", settle)
            visits += 1
            if visits > 6 * len(PAGES):
                break
        assert imp.wait(600) == 0, imp.stderr.read()
        assert during >= 2, during  # pages were drawn while the import was writing
        assert report.wait(300) == 0, report.stderr.read()
        assert json.loads(report.stdout.read())["data"]["rows"]["customers"] in (400, 5400)

        for url in (a, b):  # each server's next run reads the new snapshot
            text = _visit(browser, url + customer, settle)
            assert "No customer matches." not in text and "Value tier" in text, text[:800]
