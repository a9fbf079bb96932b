"""Every import template, in both languages and both formats, imports back as it is."""

from __future__ import annotations

import pytest

from analytics import db
from analytics.io.importer import import_file
from analytics.io.templates import TABLES, template, template_csv, template_xlsx


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_import_back_without_a_mapping(tmp_path, lang, fmt):
    con = db.connect(":memory:")
    for table in TABLES:  # customers first: the others refer to them
        path = tmp_path / f"{table}.{fmt}"
        path.write_bytes((template_csv if fmt == "csv" else template_xlsx)(table, lang))
        res = import_file(con, table, path)
        assert res["rows_added"] == 2, (table, res)
        assert not res.get("ignored_columns") and not res.get("attributes"), res  # every header recognised
    assert db.table_counts(con) == {
        "customers": 2,
        "interactions": 2,
        "surveys": 2,
        "survey_answers": 10,
        "complaints": 2,
    }
    assert db.scalar(con, "SELECT count(*) FROM customers WHERE churned") == 0


def test_chinese_templates_have_chinese_headers():
    assert list(template("interactions", "zh-CN").columns)[:3] == ["订单编号", "客户编号", "日期时间"]
    assert "可靠性_期望" in template("surveys", "zh-CN").columns
    assert "reliability.expectation" in template("surveys", "en").columns
