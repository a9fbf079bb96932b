"""Every page runs in both languages with default, narrowed and empty filters (AppTest)."""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT

PAGES = [
    "pages/overview.py",
    "pages/satisfaction.py",
    "pages/complaints.py",
    "pages/voice.py",
    "pages/loyalty.py",
    "pages/retention.py",
    "pages/lifetime_value.py",
    "pages/customer.py",
    "pages/training.py",
    "pages/data.py",
]
LANGS = ["zh-CN", "en"]
TITLES = {
    "pages/overview.py": ("总览", "Overview"),
    "pages/satisfaction.py": ("满意度", "Satisfaction"),
    "pages/complaints.py": ("投诉", "Complaints"),
    "pages/voice.py": ("客户之声", "Voice of the customer"),
    "pages/loyalty.py": ("忠诚与价值分层", "Loyalty & value tiers"),
    "pages/retention.py": ("留存与流失", "Retention & churn"),
    "pages/lifetime_value.py": ("客户终身价值", "Lifetime value"),
    "pages/customer.py": ("客户详情", "Customer"),
    "pages/data.py": ("数据", "Data"),
    "pages/training.py": ("培训模式", "Training mode"),
}


@pytest.fixture
def app_db(demo_copy, tmp_path, monkeypatch):
    path = tmp_path / "app.duckdb"
    path = demo_copy(path)
    monkeypatch.setenv("CSAT_DB", str(path))
    monkeypatch.chdir(ROOT)
    return path


def run(lang: str, page: str | None = None, state: dict | None = None, **params) -> AppTest:
    """A fresh session: query string ``params`` and widget ``state`` set before the first run.

    AppTest (Streamlit 1.67) drops the entry file's sidebar from its element tree on a
    second run under st.navigation, so sidebar widgets are driven through session state
    (exactly what a widget change does) rather than set_value on a later run.
    """
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(app_db, lang, page):
    at = run(lang, page)
    text = " ".join(str(e.value) for e in at.title)
    assert text == TITLES[page][0 if lang == "zh-CN" else 1]


def test_overview_figures_in_chinese(app_db):
    at = run("zh-CN")
    labels = [m.label for m in at.metric]
    assert "活跃客户" in labels and "净推荐值 (NPS)" in labels and "平均满意度差距" in labels
    assert metric(at, "营收").endswith("万元")


def test_filter_changes_figures(app_db):
    before = metric(run("en"), "Active customers")
    at = run("en", state={"f_region": ["上海"]})
    assert at.multiselect(key="f_region").value == ["上海"]
    after = metric(at, "Active customers")
    assert int(after.replace(",", "")) < int(before.replace(",", ""))
    assert at.query_params["region"] in ("上海", ["上海"])  # the URL now shares this view


def test_url_filters_are_applied(app_db):
    narrowed = run("en", region="武汉", preset="all")
    full = run("en", preset="all")
    assert int(metric(narrowed, "Active customers").replace(",", "")) < int(
        metric(full, "Active customers").replace(",", "")
    )
    assert narrowed.multiselect(key="f_region").value == ["武汉"]


def test_filter_that_leaves_no_data_says_so(app_db):
    at = run("en", preset="custom", start="2023-11-01", end="2023-11-01", tier="key", region="武汉")
    assert any("No data" in str(w.value) for w in list(at.warning) + list(at.info))
    at = run("zh-CN", "pages/data.py", tier="key", region="武汉")
    assert not at.exception


@pytest.mark.parametrize("lang", LANGS)
def test_segment_comparison_dimensions(app_db, lang):
    at = run(lang)
    for dim in ("segment", "channel", "tier"):
        at.segmented_control(key="ov_dim").set_value(dim).run()
        assert not at.exception
    assert len(at.dataframe) >= 1


def test_presets_change_the_period(app_db):
    actives = {
        p: int(metric(run("en", preset=p), "Active customers").replace(",", ""))
        for p in ("last_90_days", "this_year", "all")
    }
    assert actives["last_90_days"] < actives["this_year"] < actives["all"]
    at = run("en", preset="custom", start="2025-01-01", end="2025-03-31")
    assert "2025-01-01 – 2025-03-31 (90 days)" in " ".join(str(m.value) for m in at.markdown)


def test_minimum_n_suppresses(app_db):
    at = run("en", state={"f_min_n": 2000})  # NPS has about 1,000 answers in 90 days, 2,426 active customers
    assert any("< 2000: not shown" in str(c.value) for c in at.caption)
    assert metric(at, "NPS") == "—"


@pytest.mark.parametrize("page", ["overview", "loyalty", "training", "retention", "lifetime_value"])
def test_few_customers_hide_the_whole_page(app_db, page):
    """武汉 + enterprise + key leaves 3 customers: no figure of theirs is drawn, the reason is."""
    at = run("en", f"pages/{page}.py", state={"f_region": ["武汉"], "f_segment": ["enterprise"], "f_tier": ["key"]})
    assert any("fewer than 10 customers" in str(w.value) for w in at.warning)
    assert not at.metric and not at.dataframe
    assert not at.get("echarts_chart") and not at.get("plotly_chart")


def test_small_groups_are_blanked(app_db):
    """A minimum n above the smallest zone's count blanks that zone and says so."""
    at = run("en", "pages/loyalty.py", state={"f_min_n": 200})
    assert any("not shown (minimum n)" in str(c.value) for c in at.caption)


def test_segment_selection_narrows_filter(app_db):
    at = run("en")
    assert at.dataframe  # the comparison table is there
    import ui.state as state_mod

    # the table's selection callback calls narrow(); check its effect on a session
    at2 = run("en", state={"f_segment": ["enterprise"]})
    assert int(metric(at2, "Active customers").replace(",", "")) < int(metric(at, "Active customers").replace(",", ""))
    assert callable(state_mod.narrow)


def test_lifetime_value_sliders_move_equity(app_db):
    at = run("en", "pages/lifetime_value.py")
    base_equity = metric(at, "Customer equity")
    assert metric(at, "Deck's supermarket shopper (¥100 × 52 weeks × 40 years)") == "¥208,000"  # one currency style
    at.slider(key="ltv_ret").set_value(90.0).run()
    assert not at.exception
    assert metric(at, "Customer equity") != base_equity
    at.slider(key="ltv_lever_c").set_value(100).run()
    assert any("complaints +" in str(m.value) for m in at.markdown)


def test_lifetime_value_scenarios(app_db):
    at = run("zh-CN", "pages/lifetime_value.py")
    at.text_input(key="ltv_scenario_name").set_value("乐观情景").run()
    at.button(key="ltv_save").click().run()
    assert not at.exception
    assert at.selectbox(key="ltv_delete_name").options == ["乐观情景"]
    assert at.button(key="ltv_delete").disabled  # a shared scenario is deleted only when confirmed
    at.checkbox(key="ltv_delete_confirm").check().run()
    at.button(key="ltv_delete").click().run()
    assert not at.exception


def test_saving_over_a_scenario_asks_first(app_db):
    """Scenarios are shared: saving under an existing name asks, and only Replace overwrites."""
    from analytics import db
    from analytics.value import whatif

    at = run("en", "pages/lifetime_value.py")
    at.text_input(key="ltv_scenario_name").set_value("Plan A").run()
    at.button(key="ltv_save").click().run()
    at.session_state["ltv_ret"] = 90.0  # a colleague's different plan under the same name
    at.run()
    at.button(key="ltv_save").click().run()
    assert any("Replace it?" in w.value for w in at.warning) and not at.exception

    def retention() -> float:
        with db.connect(app_db) as con:
            return whatif.load_scenario(con, "Plan A")[0].retention

    assert retention() != 0.90  # not overwritten yet
    at.button(key="ltv_replace").click().run()
    assert not at.exception and retention() == 0.90


def test_a_saved_scenario_loads_back_into_the_sliders(app_db):
    at = run("en", "pages/lifetime_value.py")
    measured = at.slider(key="ltv_ret").value
    at.session_state["ltv_ret"] = 91.5
    at.session_state["ltv_lever_c"] = 40
    at.run()
    at.text_input(key="ltv_scenario_name").set_value("Keep more").run()
    at.button(key="ltv_save").click().run()
    at.session_state["ltv_ret"] = measured  # moved back, then the saved plan is loaded
    at.session_state["ltv_lever_c"] = 0
    at.run()
    at.button(key="ltv_load").click().run()
    assert not at.exception
    assert at.slider(key="ltv_ret").value == 91.5 and at.slider(key="ltv_lever_c").value == 40
    table = at.dataframe[-1].value
    assert table.iloc[0, 0].startswith("Measured baseline") and list(table.iloc[:, 0])[1:] == ["Keep more"]


def test_presenter_buttons_match_the_slide_shown(app_db):
    """Previous is enabled on the slide reached by Next, and works on the slide reached by
    Previous; Next is disabled on the quiz (the buttons' states follow the click)."""
    at = run("en", "pages/training.py")
    first = at.header[0].value
    assert at.button(key="train_prev").disabled
    at.button(key="train_next").click().run()
    second = at.header[0].value
    assert second != first and not at.button(key="train_prev").disabled
    at.button(key="train_next").click().run()
    at.button(key="train_prev").click().run()
    assert at.header[0].value == second and not at.button(key="train_prev").disabled
    at.button(key="train_prev").click().run()
    assert at.header[0].value == first and at.button(key="train_prev").disabled


def test_overview_group_table_sorts_by_value(app_db):
    """The group table keeps numbers numeric (sorting ¥808,006 above ¥1.48 M was a text sort)."""
    at = run("en")
    table = at.dataframe[-1].value
    for column in ("Revenue", "NPS", "CSAT"):
        assert pd.api.types.is_numeric_dtype(table[column]), column


@pytest.mark.parametrize("lang", LANGS)
def test_training_every_slide_and_quiz(app_db, lang):
    at = run(lang, "pages/training.py")
    seen = {at.header[0].value}
    for _ in range(15):
        at.button(key="train_next").click().run()
        assert not at.exception
        seen.add(at.header[0].value)
    assert len(seen) == 16  # a title slide, 14 slides and the quiz
    assert at.button(key="train_next").disabled  # the quiz is the last
    assert at.header[0].value in ("小测验", "Quiz")
    radios = [r for r in at.radio if str(r.key).startswith("train_q_")]
    assert 8 <= len(radios) <= 9
    for r in radios:
        at.radio(key=r.key).set_value(0).run()
    at.button(key="train_check").click().run()
    assert not at.exception and len(at.success) + len(at.error) == len(radios)
    at.button(key="train_quiz_reset").click().run()  # the next group starts blank
    assert all(r.value is None for r in at.radio if str(r.key).startswith("train_q_"))


def test_password_gate_and_presenter_role(app_db, monkeypatch):
    monkeypatch.setenv("CSAT_PASSWORD", "m-secret")
    monkeypatch.setenv("CSAT_PRESENTER_PASSWORD", "p-secret")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert [x.value for x in at.title] == ["Sign in"] and not at.metric
    at.text_input(key="auth_password").set_value("wrong")  # a form: the value goes with the submit
    at.button[0].click().run()
    assert at.error and not at.metric
    at.text_input(key="auth_password").set_value("p-secret")
    at.button[0].click().run()  # even the right password must wait after a failure (throttled)
    assert [w.value for w in at.warning] == ["Too many wrong passwords: try again in 1 s."] and not at.metric
    time.sleep(1.1)
    at.text_input(key="auth_password").set_value("p-secret")
    at.button[0].click().run()
    assert not at.exception
    assert [x.value for x in at.title] == ["Training mode"]  # presenters land in training mode only
    at.session_state["f_min_n"] = 1  # a presenter trying to show groups of one
    at.run()
    assert at.session_state["f_min_n"] == 10 and not at.exception  # the manager's floor holds


def test_manager_password_opens_everything(app_db, monkeypatch):
    monkeypatch.setenv("CSAT_PASSWORD", "m-secret")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.session_state["_role"] = "manager"
    at.run()
    assert [x.value for x in at.title] == ["Overview"] and at.metric


def test_voice_page_shows_themes_sentiment_and_masked_verbatims(app_db):
    at = run("zh-CN", "pages/voice.py")
    assert [m.label for m in at.metric][:3] == ["本时间段的文字条数", "负面占比", "平均情感得分"]
    assert any("ROC AUC" in str(c.value) for c in at.caption)
    tables = [d.value for d in at.dataframe]
    assert any("原话示例（最新，已遮盖）" in t.columns for t in tables)
    examples = " ".join(
        " ".join(t["原话示例（最新，已遮盖）"]) for t in tables if "原话示例（最新，已遮盖）" in t.columns
    )
    assert examples and not re.search(r"(?<![\d.])1[3-9]\d{9}(?!\d)", examples)  # phone numbers masked


@pytest.mark.parametrize("listed", [500, 20])
def test_open_complaints_list_the_oldest_and_say_the_download_holds_all(app_db, monkeypatch, listed):
    """Complaints lists at most ``LISTED_ROWS`` open complaints, oldest first (30,000 rows were
    1.6 MB the browser waited for at 1M customers) and says so when it cut the list."""
    import ui.format

    monkeypatch.setattr(ui.format, "LISTED_ROWS", listed)
    at = run("en", "pages/complaints.py", state={"comp_threshold": 1})
    note = next(c.value for c in at.caption if "unresolved complaints older than 1 hours" in str(c.value))
    n = int(re.search(r"([\d,]+) unresolved", note).group(1).replace(",", ""))
    assert n > 20  # the demo has enough open complaints to cut the list at 20
    table = next(d.value for d in at.dataframe if "Opened" in d.value.columns)
    assert len(table) == min(n, listed)
    assert table["Opened"].is_monotonic_increasing  # the oldest first
    cut = [c.value for c in at.caption if "the download holds all" in str(c.value)]
    assert cut == ([f"The {listed} oldest are listed; the download holds all {n:,}."] if n > listed else [])
