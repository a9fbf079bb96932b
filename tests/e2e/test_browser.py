"""Every page in headless Chromium, both languages: no exception box, Chinese renders, links share views."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser
PAGES = {
    "": ("总览", "Overview"),
    "satisfaction": ("满意度", "Satisfaction"),
    "complaints": ("投诉", "Complaints"),
    "voice": ("客户之声", "Voice of the customer"),
    "loyalty": ("忠诚与价值分层", "Loyalty & value tiers"),
    "retention": ("留存与流失", "Retention & churn"),
    "lifetime_value": ("客户终身价值", "Lifetime value"),
    "customer": ("客户详情", "Customer"),
    "training": ("培训模式", "Training mode"),
    "data": ("数据", "Data"),
}  # Overview is the default page: /


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_renders(page, app_url, settle, shot, name, lang):
    extra = "&customer=C0000002" if name == "customer" else ""
    page.goto(f"{app_url}/{name}?lang={lang}{extra}")
    settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    title = page.locator("h1").first.inner_text()
    assert title == PAGES[name][0 if lang == "zh-CN" else 1]
    body = page.inner_text("body")
    if lang == "zh-CN":
        assert len(re.findall(r"[\u4e00-\u9fff]", body)) > 40
    assert page.get_by_text("Page not found").count() == 0
    path = shot(page, f"{name or 'overview'}-{lang}")
    assert path.stat().st_size > 20_000  # a drawn page, not a blank one
    # one navigation only: st.navigation, no automatic pages/ list
    assert page.locator('[data-testid="stSidebarNav"]').count() == 1


def test_shared_link_opens_the_same_view(page, app_url, settle):
    page.goto(f"{app_url}/?lang=en&preset=all&region=%E6%AD%A6%E6%B1%89")  # 武汉
    settle(page)
    # the first run of a fresh session may draw twice (URL → widgets); wait for the filter chip
    page.locator('[data-testid="stSidebar"]').get_by_text("武汉").wait_for(timeout=30000)
    assert "2023-11-01 – 2026-10-31" in page.locator('[data-testid="stMain"]').inner_text()  # preset=all
    # the filter survives moving to another page and back
    page.locator('[data-testid="stSidebarNav"] a', has_text="Data").click()
    settle(page)
    # language, period and group all survive the page switch (a fresh server's first session
    # once fell back to the default language and period here)
    assert "region=" in page.url and "lang=en" in page.url and "preset=all" in page.url, page.url
    assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Data"
    page.locator('[data-testid="stSidebarNav"] a', has_text="Overview").click()
    settle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("武汉").wait_for(timeout=30000)
    assert "region=" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0


def test_overview_has_figures_and_chart(page, app_url, settle):
    page.goto(f"{app_url}/?lang=zh-CN")
    settle(page)
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stMetric\"]').length >= 8", timeout=30000)
    assert page.locator('[data-testid="stMetric"]').count() == 8
    assert "万元" in page.inner_text("body")
    page.wait_for_selector('[data-testid="stEChartsChart"] canvas', timeout=30000)  # drawn, not only sent


def test_deep_link_after_restart(browser, demo_path, tmp_path, settle, start_app):
    """A fresh server whose first request is a page URL still runs app.py's frame."""
    import shutil

    db = tmp_path / "fresh.duckdb"
    shutil.copy(demo_path, db)
    with start_app(db) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(f"{url}/data?lang=en&region=%E6%88%90%E9%83%BD")
        settle(page)
        assert page.locator("h1").first.inner_text() == "Data"
        assert page.get_by_text("Page not found").count() == 0
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "Filters" in sidebar and "成都" in sidebar
        page.close()


#: Records every text the sidebar's page list ever shows, from the page's first script on.
NAV_RECORDER = """
window.__navTexts = new Set();
new MutationObserver(() => {
  document.querySelectorAll('[data-testid="stSidebarNav"] a')
    .forEach(a => window.__navTexts.add(a.innerText.trim().split("\\n").pop().trim()));
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def test_no_file_names_in_the_nav_at_a_cold_start(browser, demo_path, tmp_path, settle, start_app):
    """The first visit of a fresh server never shows Streamlit's legacy page list (raw file
    names such as "app" or "lifetime value"): every page name the sidebar ever lists, from the
    first DOM change on, is one of the app's translated titles."""
    import shutil

    from locales.catalog import LANGUAGES

    db = tmp_path / "cold.duckdb"
    shutil.copy(demo_path, db)
    titles = {text for key, text in LANGUAGES["en"].items() if key.startswith("nav.")}
    with start_app(db) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.add_init_script(NAV_RECORDER)
        page.goto(f"{url}/?lang=en")
        settle(page)
        seen = set(page.evaluate("[...window.__navTexts]"))
        page.close()
    assert seen, "the sidebar listed no page at all"
    assert seen <= titles, f"the sidebar showed names that are not page titles: {sorted(seen - titles)}"


def test_upload_validate_import(browser, demo_path, tmp_path, settle, start_app):
    """The Data page: upload a GBK CSV, see the suggested mapping, validate, import, see the log."""
    import shutil
    from pathlib import Path

    db = tmp_path / "upload.duckdb"
    shutil.copy(demo_path, db)
    sample = Path(__file__).resolve().parents[2] / "data" / "samples" / "customers_gbk.csv"
    with start_app(db) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        page.goto(f"{url}/data?lang=zh-CN")
        settle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(sample))  # the import one
        page.get_by_text("预览:文件前几行").wait_for(timeout=30000)
        assert "gb18030" in page.inner_text("body")  # GBK detected (the grid itself is a canvas)
        settle(page)
        page.get_by_role("button", name="校验").click()
        page.get_by_text("校验通过").wait_for(timeout=30000)
        page.get_by_role("button", name="导入").click()
        page.get_by_text("已导入 customers_gbk.csv").wait_for(timeout=60000)
        settle(page)
        assert "customers_gbk.csv" in page.locator('[data-testid="stMain"]').inner_text()  # in the import log
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(Path(__file__).resolve().parents[2] / "shots" / "data-after-import-zh-CN.png"))
        page.close()


def test_upload_limit_and_hostile_file_names(browser, demo_path, tmp_path, settle, start_app):
    """Uploads are capped by the server's maxUploadSize (here 1 MB): a bigger file is refused by
    the uploader and nothing is imported. A file named like a path is stored under a name of
    the app's own (upload-<hash>.csv) and reported under its given name, never used as a path."""
    import shutil
    import tempfile
    from pathlib import Path

    from analytics import db as dbm

    db = tmp_path / "limit.duckdb"
    shutil.copy(demo_path, db)
    with dbm.connect(db, read_only=True) as c:
        before = dbm.table_counts(c)
    big = b"customer_id,name\n" + b"".join(b"X%07d,name\n" % i for i in range(120_000))  # ~1.8 MB
    evil = "../../../../tmp/pwned-by-upload.csv"
    target = Path("/tmp/pwned-by-upload.csv")
    target.unlink(missing_ok=True)
    before_folders = set(Path(tempfile.gettempdir()).glob("csat-uploads-*"))
    with start_app(db, STREAMLIT_SERVER_MAX_UPLOAD_SIZE="1") as url:
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        page.goto(f"{url}/data?lang=en")
        settle(page)
        assert "1 MB" in page.inner_text("body")  # the page states the limit it runs with
        dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]').first
        dropzone.set_input_files(files=[{"name": "big.csv", "mimeType": "text/csv", "buffer": big}])
        page.get_by_text("1.0MB or smaller", exact=False).wait_for(timeout=30000)
        settle(page)
        assert page.get_by_role("button", name="Validate").count() == 0  # nothing to import
        dropzone.set_input_files(
            files=[{"name": evil, "mimeType": "text/csv", "buffer": b"customer_id,name\nEVIL1,a\n"}]
        )
        page.get_by_role("button", name="Validate").wait_for(timeout=30000)
        page.get_by_text("Add this file to the demo data", exact=False).click()  # keep the demo: counts add up
        settle(page)
        page.get_by_role("button", name="Import").click()
        page.get_by_text("pwned-by-upload.csv", exact=False).first.wait_for(timeout=60000)
        settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.close()
        # the server's own private staging folder: 0700, names of the app's own, emptied by the import
        folders = set(Path(tempfile.gettempdir()).glob("csat-uploads-*")) - before_folders
        assert len(folders) == 1
        (uploads,) = folders
        assert uploads.stat().st_mode & 0o777 == 0o700
        assert all(f.name.startswith("upload-") for f in uploads.iterdir())
        assert not any(f.suffix == ".csv" and f.stat().st_size < 100 for f in uploads.iterdir())  # imported: gone
    assert not target.exists()
    assert not uploads.exists()  # removed when the server process ended
    with dbm.connect(db, read_only=True) as c:
        after = dbm.table_counts(c)
        assert after["customers"] == before["customers"] + 1  # only the small file went in
        assert c.execute("SELECT count(*) FROM customers WHERE customer_id LIKE 'X%'").fetchone()[0] == 0


def test_the_at_risk_download_holds_the_whole_list(page, app_url, settle):
    """The Retention page lists the first at-risk customers; its download, built on the click
    in a thread of Streamlit's own, holds every one the caption counts."""
    for _ in range(60):  # the first visit may start the churn model's fit: wait for its list
        page.goto(f"{app_url}/retention?lang=en&preset=all")
        settle(page)
        if page.get_by_text("the download holds all").count():
            break
        page.wait_for_timeout(2000)
    caption = page.get_by_text("the download holds all").first.inner_text()
    listed, total = (int(n.replace(",", "")) for n in re.findall(r"[\d,]+\d", caption)[:2])
    assert listed < total
    button = page.locator(".st-key-ret_download button")
    with page.expect_download(timeout=60000) as download:
        button.click()
    lines = open(download.value.path(), encoding="utf-8-sig").read().strip().splitlines()
    assert lines[0].startswith("customer_id,churn_probability") and len(lines) == total + 1
