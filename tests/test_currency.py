"""The database's currency on every page, slide and the CLI; the decks' own figures stay in 元."""

from __future__ import annotations

import json

import pytest

from analytics import currency, db
from analytics.cli import main
from tests.test_pages import app_db, metric, run  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def back_to_yuan():
    """Runs set the currency of their thread: leave it as other tests expect."""
    yield
    currency.apply("CNY")


def test_currency_is_set_per_database_and_refused_when_unknown(demo_copy, tmp_path, capsys):
    path = tmp_path / "c.duckdb"
    path = demo_copy(path)
    assert main(["currency", "--db", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["currency"] == "CNY"
    with db.connect(path, read_only=True) as con:
        before = db.data_version(con)
    assert main(["currency", "usd", "--db", str(path)]) == 0
    assert json.loads(capsys.readouterr().out) == {"currency": "USD", "symbol": "$", "unit_zh": "美元"}
    assert main(["currency", "XYZ", "--db", str(path)]) == 2 and "unknown currency" in capsys.readouterr().err
    with db.connect(path, read_only=True) as con:
        assert currency.get(con) == "USD" and db.data_version(con) == before + 1  # cached texts follow
    html = tmp_path / "deck.html"
    assert main(["deck", "--db", str(path), "--lang", "zh-CN", "--out", str(html)]) == 0
    text = html.read_text(encoding="utf-8")
    assert "美元" in text  # the company's figures
    assert "每周 100 元 × 52 周" in text  # the deck's claim keeps its 元


def test_pages_show_the_database_currency(app_db):  # noqa: F811
    with db.connect(app_db) as con:
        currency.set_currency(con, "USD")
    assert metric(run("en"), "Revenue").startswith("$")
    assert "万美元" in metric(run("zh-CN"), "营收")
