"""Demo or mine on the pages: every page says when its numbers are the demo's, the Data page
clears all data (and the demo does not come back), and the banner goes with the demo."""

from __future__ import annotations

import re

import pytest

from analytics import db, origin
from analytics.io.importer import import_file
from tests.test_pages import app_db, metric, run  # noqa: F401  (fixture)

BANNER = {"zh-CN": "示例数据", "en": "Demo data"}


def _captions(at) -> str:
    return " ".join(str(c.value) for c in at.caption)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("page", ["pages/overview.py", "pages/loyalty.py", "pages/customer.py"])
def test_demo_data_is_named_on_every_page(app_db, lang, page):  # noqa: F811
    at = run(lang, page)
    assert BANNER[lang] in _captions(at)


def test_clearing_from_the_data_page_empties_it_and_the_banner_goes(app_db):  # noqa: F811
    at = run("en", "pages/data.py")
    at.checkbox(key="data_clear_confirm").check().run()
    at.button(key="data_clear").click().run()
    assert not at.exception
    assert any("All data cleared (5,000 customers removed)" in s.value for s in at.success)
    assert any("The database is empty" in i.value for i in at.info)
    from ui import data  # the app's own connection (a second one to the file is refused)

    with data.writing() as con:
        assert origin.origin(con) == "empty" and db.table_counts(con)["interactions"] == 0
    again = run("en")  # a new session after clearing: no demo rebuilt, no banner
    assert "Demo data" not in _captions(again)
    with data.writing() as con:
        assert db.table_counts(con)["customers"] == 0


def test_mixed_data_keeps_a_banner_that_says_mixed(app_db, tmp_path):  # noqa: F811
    csv = tmp_path / "more.csv"
    csv.write_text("customer_id,ts,kind,amount\nZ1,2026-03-01,purchase,10\nZ2,2026-03-02,purchase,12\n", "utf-8")
    with db.connect(app_db) as con:
        import_file(con, "interactions", csv)
    assert "mixed with your own" in _captions(run("en"))


def test_the_last_import_is_undone_from_the_data_page(app_db, tmp_path):  # noqa: F811
    csv = tmp_path / "more.csv"
    csv.write_text("customer_id,ts,kind,amount\nZ1,2026-03-01,purchase,10\nZ2,2026-03-02,purchase,12\n", "utf-8")
    with db.connect(app_db) as con:
        import_id = import_file(con, "interactions", csv)["import_id"]
    at = run("en", "pages/data.py")
    at.button(key="data_undo").click().run()
    assert not at.exception
    assert any(f"Import {import_id} undone" in s.value for s in at.success)
    from ui import data

    with data.writing() as con:
        assert db.scalar(con, "SELECT count(*) FROM customers WHERE customer_id IN ('Z1', 'Z2')") == 0
        assert origin.origin(con) == "demo"


@pytest.fixture
def purchases_db(tmp_path, monkeypatch):
    """A database holding one order log (no surveys, no complaints), as the app would see it."""
    from tests.helpers import ROOT

    log = tmp_path / "orders.csv"  # 40 customers: above the minimum n
    rows = [f"K{i % 40:03d},2026-{1 + i % 10:02d}-{1 + i % 27:02d},{1 + i % 3},{10 + i % 90}" for i in range(400)]
    log.write_bytes(("客户编号,购买日期,数量,金额\n" + "\n".join(rows) + "\n").encode("gb18030"))
    path = tmp_path / "orders.duckdb"
    with db.connect(path) as con:
        import_file(con, "interactions", log, constants={"kind": "purchase"})
    monkeypatch.setenv("CSAT_DB", str(path))
    monkeypatch.chdir(ROOT)
    return path


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_missing_tables_read_as_missing_not_zero(purchases_db, lang):
    zh = lang == "zh-CN"
    over = run(lang, preset="all")
    assert metric(over, "投诉率" if zh else "Complaint rate") == "—"  # no complaint data is not 0 %
    sat = run(lang, "pages/satisfaction.py", preset="all")
    needs = " ".join(i.value for i in sat.info)
    assert ("问卷答卷" if zh else "survey answers") in needs and not sat.dataframe
    ltv = run(lang, "pages/lifetime_value.py", preset="all")
    assert ltv.slider(key="ltv_lever_c").disabled and ltv.slider(key="ltv_lever_s").disabled


def _subset_db(tmp_path, kind: str):
    """A database of one kind of file only, 60 customers: customers (a churn export with no
    dates), purchases (an order log) or surveys (answers with two dimensions of its own)."""
    lines = {
        "customers": ["customerID,gender,tenure,Churn"]
        + [f"T{i:03d},{'MF'[i % 2]},{i % 70},{'Yes' if i % 4 == 0 else 'No'}" for i in range(60)],
        "interactions": ["客户编号,购买日期,金额"]
        + [f"K{i % 60:03d},2026-{1 + i % 10:02d}-15,{20 + i}" for i in range(300)],
        "surveys": ["response_id,customer_id,answered_at,overall_satisfaction,dimension,expectation,experience"]
        + [
            f"R{i},S{i % 60:03d},2026-{1 + i % 10:02d}-10,{1 + i % 5},{d},{2 + i % 4},{1 + (i * 7) % 5}"
            for i in range(240)
            for d in ("价格", "speed")
        ],
    }[kind]
    f = tmp_path / f"{kind}.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / f"{kind}.duckdb"
    with db.connect(path) as con:
        import_file(con, kind, f, constants={"kind": "purchase"} if kind == "interactions" else None)
    return path


@pytest.mark.parametrize("kind", ["customers", "interactions", "surveys"])
def test_every_page_runs_on_a_database_of_one_kind_of_file(tmp_path, monkeypatch, kind):
    from tests.helpers import ROOT
    from tests.test_pages import PAGES

    monkeypatch.setenv("CSAT_DB", str(_subset_db(tmp_path, kind)))
    monkeypatch.chdir(ROOT)
    for page in PAGES:
        at = run("en", page, preset="all")  # run() asserts no exception
        shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.warning])
        raw = re.search(r"\b(dimension|zone|stage|tier|cust|ret|ltv|sat|comp|loy)\.[a-z_]+\b|\bNaT\b|\bNone\b", shown)
        assert raw is None, (page, raw and shown[max(0, raw.start() - 80) : raw.end() + 80])
