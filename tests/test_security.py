"""Hostile values in filters, search, column mappings and exports: results correct, nothing executed."""

import csv
import datetime as dt
import io

import pandas as pd
import pytest

from analytics import customer, db, overview
from analytics.export import safe_cell, to_csv_bytes
from analytics.filters import Filters
from analytics.io.importer import import_file

HOSTILE = [
    "'; DROP TABLE customers; --",
    '" OR 1=1 --',
    "上海' OR '1'='1",
    "x); DELETE FROM interactions; --",
    "/* comment */",
    "%",
    "_",
    "\\",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_filter_values_are_bound(demo_con, value):
    f = Filters(dt.date(2026, 1, 1), dt.date(2026, 10, 31), region=(value,))
    k = overview.key_figures(demo_con, f)
    assert k["active_customers"].n == 0  # no such region: nothing matches, nothing runs
    assert db.table_counts(demo_con)["customers"] == 5000


@pytest.mark.parametrize("value", HOSTILE)
def test_search_is_parameterised(demo_con, value):
    hits = customer.search(demo_con, value)
    assert len(hits) == 0
    assert len(customer.search(demo_con, "C000001")) > 0  # a real prefix still finds customers


def test_hostile_column_names_and_values_import_as_data(con, tmp_path):
    path = tmp_path / "h.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["customer_id", "name", 'evil"); DROP TABLE customers; --'])
        w.writerow(["c1", '=HYPERLINK("http://x")', "'; DELETE FROM customers; --"])
    import_file(con, "customers", path)
    assert con.execute("SELECT name FROM customers").fetchall() == [('=HYPERLINK("http://x")',)]
    attr = con.execute("SELECT attribute, value_text FROM customer_attributes").fetchall()
    assert attr == [('evil"); DROP TABLE customers; --', "'; DELETE FROM customers; --")]


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=x"])
def test_csv_export_defuses_formulas(cell):
    out = to_csv_bytes(pd.DataFrame({"name": [cell], "n": [1]})).decode("utf-8-sig")
    row = next(csv.reader(io.StringIO(out.splitlines()[1])))
    assert row[0] == "'" + cell and safe_cell("plain") == "plain"
