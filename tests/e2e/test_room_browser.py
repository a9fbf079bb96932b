"""What a trainer and a manager do in the room, in headless Chromium: the presentation view
with keys and a notes window, the HTML deck at projector sizes, the minimum-n rule, the group
table's numeric sort and the scenario overwrite prompt."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
ROWS = r"""(() => { const t = [...document.querySelectorAll('[data-testid=stDataFrame] table')].pop();
  return [...t.querySelectorAll('tbody tr')].map(r => [...r.querySelectorAll('td')].map(c => c.innerText)) })()"""
HEAD = r"""(() => { const t = [...document.querySelectorAll('[data-testid=stDataFrame] table')].pop();
  return [...t.querySelectorAll('th')].map(h => h.innerText) })()"""


def _idle(page) -> None:
    """The script run is over (the presentation view has no page title for ``settle``)."""
    page.wait_for_timeout(500)
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=60000)
    page.wait_for_timeout(500)


def _slide_title(page) -> str:
    return page.locator('[data-testid="stMain"] h2').first.inner_text()


def test_presentation_view_keys_and_notes_window(browser, app_url, settle, shot):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    page.goto(f"{app_url}/training?lang=en")
    settle(page)
    page.locator(".st-key-train_present label").click()
    page.locator("#csat-present").wait_for(state="attached", timeout=30000)
    _idle(page)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert page.locator('[data-testid="stMain"] h1').count() == 0  # no page title above the slide
    first = _slide_title(page)
    page.keyboard.press("PageDown")  # what a clicker sends
    page.wait_for_function(f"document.querySelector('[data-testid=stMain] h2').innerText !== {first!r}")
    _idle(page)
    second = _slide_title(page)
    box = page.locator(".st-key-train_chart_box").bounding_box()
    assert box and box["y"] + box["height"] <= 720, box  # the whole chart on a 720 p screen
    shot(page, "present-1280x720-en")
    # the notes window, another session, follows the slide on screen
    href = page.locator("a", has_text="presenter notes").get_attribute("href")
    notes_ctx = browser.new_context(viewport={"width": 900, "height": 700})
    notes = notes_ctx.new_page()
    notes.goto(f"{app_url}/{href.lstrip('./')}")
    notes.get_by_text(second, exact=True).wait_for(timeout=30000)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"document.querySelector('[data-testid=stMain] h2').innerText !== {second!r}")
    third = _slide_title(page)
    notes.get_by_text(third, exact=True).wait_for(timeout=15000)
    page.keyboard.press("ArrowLeft")
    page.get_by_role("heading", name=second).wait_for(timeout=15000)
    page.keyboard.press("Escape")  # back to the normal page
    page.locator('[data-testid="stSidebar"]').wait_for(state="visible", timeout=15000)
    notes_ctx.close()
    ctx.close()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_html_deck_fits_projector_sizes(browser, demo_path, tmp_path, size):
    from analytics import db
    from analytics.filters import default_filters
    from analytics.training import build_slides, to_html

    with db.connect(demo_path, read_only=True) as con:
        path = to_html(build_slides(con, default_filters(con, "this_year"), "zh-CN"), tmp_path / "deck.html", "zh-CN")
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = ctx.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector(".main-svg")
    page.wait_for_timeout(1000)
    boxes = page.evaluate(
        """[...document.querySelectorAll('section')].filter(s => s.querySelector('.chart')).map(s => {
          const r = e => s.querySelector(e).getBoundingClientRect();
          return {chart: r('.chart'), svg: r('.main-svg'), side: r('.side'), slide: s.getBoundingClientRect()}})"""
    )
    assert len(boxes) >= 10
    for b in boxes:
        assert b["svg"]["right"] <= b["side"]["left"], b  # the chart never covers the text
        assert b["svg"]["width"] <= b["chart"]["width"] + 1
        assert b["slide"]["height"] <= size[1] + 1 and b["slide"]["width"] <= size[0] + 1
    ctx.close()


def test_minimum_n_hides_a_handful_of_customers(page, app_url, settle):
    """武汉 + enterprise + key tier leaves 3 customers: no figure or chart reaches the browser."""
    for name in ("loyalty", "training"):
        page.goto(f"{app_url}/{name}?lang=en&region=%E6%AD%A6%E6%B1%89&segment=enterprise&tier=key")
        settle(page)
        page.get_by_text("fewer than 10 customers").wait_for(timeout=30000)
        main = page.locator('[data-testid="stMain"]')
        assert main.locator('.js-plotly-plot, [data-testid="stEChartsChart"]').count() == 0
        assert main.locator('[data-testid="stMetric"]').count() == 0
        assert main.locator('[data-testid="stDataFrame"]').count() == 0


def test_group_table_sorts_numbers_as_numbers(page, app_url, settle):
    """Clicking the Revenue header sorts by amount (a text sort put ¥808,006 above ¥1.48 M)."""
    page.goto(f"{app_url}/?lang=en")
    settle(page)
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    # the grid draws its accessible table after it scrolls into view: wait for it (slow under load)
    page.wait_for_function("document.querySelectorAll('[data-testid=stDataFrame] table th').length > 0", timeout=30000)
    col = page.evaluate(HEAD).index("Revenue")

    def revenue() -> list[float]:
        return [float(r[col]) for r in page.evaluate(ROWS)]

    before = revenue()
    assert before != sorted(before) and before != sorted(before, reverse=True)
    canvas = grid.locator("canvas").first.bounding_box()
    for x in range(int(canvas["x"]) + 20, int(canvas["x"] + canvas["width"]), 30):  # find the header
        page.mouse.click(x, canvas["y"] + 17)
        page.wait_for_timeout(300)
        now = revenue()
        if now in (sorted(before), sorted(before, reverse=True)):
            break
    else:
        pytest.fail("no header click sorted the Revenue column numerically")


def test_saving_over_a_scenario_asks_in_the_browser(browser, demo_path, tmp_path, settle, start_app):
    import shutil

    db = tmp_path / "app.duckdb"
    shutil.copy(demo_path, db)
    with start_app(db) as url:
        page = browser.new_context(viewport={"width": 1400, "height": 2200}).new_page()
        page.goto(f"{url}/lifetime_value?lang=en")
        settle(page)
        name = page.get_by_label("Scenario name")
        for _ in range(2):
            name.fill("Plan A")
            name.press("Enter")
            settle(page)
            page.locator(".st-key-ltv_save button").click()
            settle(page)
        page.get_by_text("Replace it?").wait_for(timeout=30000)
        page.locator(".st-key-ltv_keep button").click()
        settle(page)
        assert page.get_by_text("Replace it?").count() == 0


def test_nothing_is_fetched_from_outside(browser, app_url, settle):
    """Favicon, fonts and scripts all come from the app: a CDN is blocked on many company
    networks (and in mainland China), and the page must not wait for it."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    outside: list[str] = []
    host = app_url.split("//")[1].split("/")[0]
    page.on("request", lambda r: outside.append(r.url) if host not in r.url and not r.url.startswith("data:") else None)
    page.goto(f"{app_url}/?lang=zh-CN")
    settle(page)
    page.wait_for_selector('[data-testid="stEChartsChart"] canvas', timeout=30000)  # the chart's script came too
    ctx.close()
    assert not outside, outside[:5]
