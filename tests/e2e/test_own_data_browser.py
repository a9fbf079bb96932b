"""Time to value in Chromium: from a fresh start on the demo to the Overview of the company's
own order log (GB18030, Chinese headers, no kind column) with no step that needs the CLI."""

from __future__ import annotations

import shutil
import time

import pytest

from analytics import db, origin
from ui.format import money

pytestmark = pytest.mark.browser


def _orders(folder) -> tuple[object, float]:
    """An order export as Excel writes it: GB18030, Chinese headers, no kind column; 60
    customers (above the minimum n) over ten months. Returns the file and its revenue."""
    rows = [(f"K{i % 60:03d}", f"2026/{1 + i % 10}/{1 + i % 27}", 1 + i % 3, 20 + (i * 37) % 400) for i in range(600)]
    path = folder / "订单明细.csv"
    text = "客户编号,购买日期,数量,金额\r\n" + "".join(f"{c},{d},{q},{a:.2f}\r\n" for c, d, q, a in rows)
    path.write_bytes(text.encode("gb18030"))
    return path, float(sum(a for *_, a in rows))


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_from_demo_to_own_order_log_in_two_minutes(browser, demo_path, tmp_path, start_app, settle, shot, lang):
    path = tmp_path / "fresh.duckdb"
    shutil.copy(demo_path, path)
    orders, revenue = _orders(tmp_path)
    zh = lang == "zh-CN"
    with start_app(path) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1600})
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(f"{url}/?lang={lang}")
        settle(page)
        banner = page.get_by_text("示例数据" if zh else "Demo data", exact=False).first
        assert banner.is_visible()
        page.get_by_role("link", name="使用自己的数据" if zh else "Use your own data").first.click()
        settle(page)
        # upload the order log into interactions; the demo is replaced by default
        page.get_by_role("combobox", name="目标表" if zh else "Target table").click()
        page.get_by_role("option", name="交互记录" if zh else "Interactions").click()
        settle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(orders))
        page.wait_for_selector("text=" + ("每一行取同一个值" if zh else "Same value for every row"), timeout=60000)
        settle(page)
        shot(page, f"own-data-mapping-{lang}")
        body = page.inner_text("body")
        assert "gb18030" in body and ("购买日期" in body)
        page.get_by_role("button", name="导入" if zh else "Import", exact=True).click()
        page.wait_for_selector("text=" + ("示例数据已被替换" if zh else "The demo data was replaced"), timeout=90000)
        settle(page)
        page.goto(f"{url}/?lang={lang}&preset=all")
        settle(page)
        seconds = time.perf_counter() - t0
        shot(page, f"own-data-overview-{lang}")
        body = page.inner_text("body")
        assert ("示例数据" not in body) if zh else ("Demo data" not in body)
        tile = page.locator('[data-testid="stMetric"]').filter(has_text="营收" if zh else "Revenue").first
        assert money(revenue, lang) in tile.inner_text()  # the company's own revenue, whole period
        assert seconds < 120, seconds
        ctx.close()
    with db.connect(path, read_only=True) as con:
        assert origin.origin(con) == "own"
        total = db.scalar(con, "SELECT sum(amount) FROM interactions WHERE kind = 'purchase'")
    assert abs(total - revenue) < 0.01
    print(f"\ntime to value ({lang}): {seconds:.1f} s")


def test_overview_by_its_name_is_not_page_not_found(page, app_url, settle):
    page.goto(f"{app_url}/overview?lang=en&region=上海")
    settle(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("h1").first.inner_text() == "Overview"
    assert "region=" in page.url  # the shared filters survive the hop
