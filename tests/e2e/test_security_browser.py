"""Security in a real browser: the sign-in cannot be raced, data renders as text."""

from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.browser

#: What the Data page and the Overview draw (English): none of it may reach an unsigned session.
SECRETS = ("Rows per table", "Import log", "Upload a file", "Active customers", "C000", "Filters")


def test_sign_in_cannot_be_raced(browser, demo_path, tmp_path, start_app, settle):
    """Sessions opening page addresses in the first moments after a server start, while
    Streamlit still treats pages/ as a legacy folder: none gets a page's content, a page list
    or data, neither on screen nor in the websocket frames; each sees the sign-in form."""
    db = tmp_path / "race.duckdb"
    shutil.copy(demo_path, db)
    for restart in range(2):
        with start_app(db, CSAT_PASSWORD="correct horse") as url:
            ctx = browser.new_context(viewport={"width": 1200, "height": 900})
            frames: dict[int, list[bytes]] = {}
            pages = []
            for k, path in enumerate(["data", "overview", "data", "customer", "data", "loyalty", "data", ""]):
                page = ctx.new_page()
                frames[k] = []
                _record_frames(page, frames[k])
                page.goto(f"{url}/{path}?lang=en", wait_until="commit")  # all race to the fresh server
                pages.append(page)
            for page in pages:
                page.get_by_text("Sign in").first.wait_for(timeout=60000)
            for page in pages:
                settle_quietly(page)
            for k, page in enumerate(pages):
                body = page.inner_text("body")
                assert "Password" in body, (restart, k)
                leaked = [s for s in SECRETS if s in body]
                assert not leaked, (restart, k, leaked)
                assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no page list either
                wire = b"".join(frames[k])
                assert wire, "the websocket was observed"
                assert not [s for s in SECRETS if s.encode() in wire], (restart, k)
            ctx.close()


def _record_frames(page, sink: list[bytes]) -> None:
    """Keep every websocket frame the page receives (Streamlit's protobuf messages)."""

    def on_frame(payload) -> None:
        sink.append(payload if isinstance(payload, bytes) else payload.encode())

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))


def settle_quietly(page) -> None:
    """Wait until the script run is done (no title to wait for: the sign-in page has one)."""
    for _ in range(120):
        state = page.locator("[data-test-script-state]").first.get_attribute("data-test-script-state")
        if state == "notRunning":
            break
        page.wait_for_timeout(250)
    page.wait_for_timeout(500)


def test_markdown_in_data_is_shown_as_text(browser, demo_path, tmp_path, start_app, settle):
    """A customer attribute holding a markdown image and link: shown as text, nothing fetched."""
    from analytics import db as dbm

    db = tmp_path / "md.duckdb"
    shutil.copy(demo_path, db)
    with dbm.connect(db) as con:
        con.execute(
            "INSERT INTO customer_attributes VALUES ('C0000042', 'note', NULL, ?), ('C0000042', ?, NULL, 'x')",
            ["![x](http://127.0.0.1:9/track.png)", "[click](http://example.invalid/)"],
        )
    with start_app(db) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(f"{url}/customer?lang=en&customer=C0000042")
        settle(page)
        cell = page.locator('[role="gridcell"]', has_text="track.png").first  # the profile table's cell
        cell.wait_for(state="attached", timeout=30000)
        assert cell.text_content() == "![x](http://127.0.0.1:9/track.png)"  # the text itself, as typed
        page.wait_for_timeout(1000)
        assert not [u for u in requested if "track.png" in u]
        assert page.locator('a[href^="http://example.invalid"]').count() == 0
        assert page.locator('img[src*="track.png"]').count() == 0
        page.close()


def test_metrics_endpoint_is_closed_once_the_app_has_run(app_url, page, settle):
    """/_stcore/metrics answers without a sign-in and names cached functions: the first run
    of the app takes it out (ui/metrics_guard.py); after a page has drawn, it says nothing."""
    import urllib.error
    import urllib.request

    page.goto(app_url + "/?lang=en")
    settle(page)
    try:
        body = urllib.request.urlopen(app_url + "/_stcore/metrics", timeout=10).read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        body = exc.read().decode(errors="replace")
    assert "cache_memory_bytes" not in body and "session_state" not in body and "key_figures" not in body
