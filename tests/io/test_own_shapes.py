"""Databases of whatever subset a company loads — purchases only, customers only, surveys with
its own dimension names — give figures or "not loaded", never a traceback or a fake zero."""

from __future__ import annotations

import json
import random

import pytest

from analytics import coverage, db
from analytics.cli import main
from analytics.filters import data_range
from analytics.report import build_report
from tests.helpers import ROOT

ORDERS = ROOT / "data" / "samples" / "orders_gb18030.csv"


def _import(path, table, file, *extra) -> None:
    assert main(["import", table, str(file), "--db", str(path), "--no-fit", "--quiet", *extra]) == 0


@pytest.fixture
def purchases_only(tmp_path):
    path = tmp_path / "p.duckdb"
    _import(path, "interactions", ORDERS, "--set", "kind=purchase")
    return path


def test_report_on_purchases_only_says_what_is_not_loaded(purchases_only, capsys):
    capsys.readouterr()
    assert main(["report", "--db", str(purchases_only), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["satisfaction"] == {"responses": 0, "loaded": False}
    assert out["complaints"]["complaints"] is None and out["complaints"]["loaded"] is False  # unknown, not 0
    assert out["loyalty"]["tiers"]
    with db.connect(purchases_only, read_only=True) as con:
        assert coverage.loaded(con) == {
            "customers": True,
            "purchases": True,
            "surveys": False,
            "answers": False,
            "complaints": False,
        }


@pytest.fixture
def customers_only(tmp_path):
    """A churn export: attributes and a Yes/No flag, no dates, no interactions."""
    r = random.Random(2)
    lines = ["customerID,gender,tenure,Contract,MonthlyCharges,Churn"]
    for i in range(400):
        tenure, contract = r.randint(1, 72), r.choice(["Month-to-month", "One year", "Two year"])
        p = 0.6 if contract == "Month-to-month" and tenure < 12 else 0.08
        lines.append(f"{1000 + i}-AB,{r.choice(['Male', 'Female'])},{tenure},{contract},{r.uniform(20, 110):.2f},")
        lines[-1] += "Yes" if r.random() < p else "No"
    file = tmp_path / "telco.csv"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "c.duckdb"
    _import(path, "customers", file)
    return path


def test_a_customers_file_alone_has_a_period_and_an_at_risk_list(customers_only, tmp_path, capsys):
    with db.connect(customers_only, read_only=True) as con:
        assert data_range(con) is not None  # pages show the customers instead of "no data"
        current = db.scalar(con, "SELECT count(*) FROM customers WHERE NOT churned")
    out = tmp_path / "risk.csv"
    assert main(["churn", "--db", str(customers_only), "--out", str(out), "--json"]) == 0
    import pandas as pd

    risk = pd.read_csv(out, encoding="utf-8-sig")
    assert len(risk) == current > 0
    assert risk["churn_probability"].is_monotonic_decreasing  # no purchase value: ranked by probability
    assert not risk["reasons"].fillna("").str.contains(r"\(missing\)").any()  # columns the file lacks are no reason
    top = json.loads(capsys.readouterr().out.splitlines()[-1])["top_features"]
    assert not any("(missing)" in t["feature"] for t in top)


def test_survey_dimensions_of_the_company_s_own_are_named_as_they_are(tmp_path):
    r = random.Random(1)
    lines = ["response_id,customer_id,answered_at,overall_satisfaction,dimension,expectation,experience"]
    for i in range(300):
        day, overall = f"2026-0{r.randint(1, 9)}-1{r.randint(0, 9)}", r.randint(1, 5)
        lines += [f"S{i},C{i % 120},{day},{overall},{d},{r.randint(2, 5)},{r.randint(1, 5)}" for d in ("价格", "speed")]
    file = tmp_path / "survey.csv"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "s.duckdb"
    _import(path, "surveys", file, "--scale", "1-5")
    html = tmp_path / "deck.html"
    assert main(["deck", "--db", str(path), "--period", "all", "--out", str(html)]) == 0
    text = html.read_text(encoding="utf-8")
    assert "价格" in text and "dimension.speed" not in text and "dimension.价格" not in text
    with db.connect(path, read_only=True) as con:
        dims = {d["dimension"] for d in build_report(con)["satisfaction"]["by_dimension"]}
    assert dims == {"价格", "speed"}


def test_as_of_windows_count_whole_days_once(tmp_path):
    """Date-only purchases: "the last 365 days as of E" is E − 364 … E, so a purchase on E + 1
    is not in it and one on E − 365 is in the year before (it was counted in both)."""
    import datetime as dt

    from analytics.value.whatif import measure_assumptions_at

    end = dt.date(2026, 6, 30)
    days = {"A": end - dt.timedelta(days=364), "B": end + dt.timedelta(days=1), "C": end - dt.timedelta(days=365)}
    file = tmp_path / "p.csv"
    file.write_text("customer_id,ts,kind,amount\n" + "".join(f"{c},{d},purchase,10\n" for c, d in days.items()))
    path = tmp_path / "w.duckdb"
    _import(path, "interactions", file)
    with db.connect(path, read_only=True) as con:
        ((assumptions, active),) = measure_assumptions_at(con, None, (end,))
    assert active == 1  # A only: B is after E, C is the year before
