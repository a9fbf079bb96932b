"""The CLI: every command documented in the README, and each one run for real."""

import json
import re
import subprocess
import sys

from analytics.cli import build_parser
from tests.helpers import ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "analytics", *args], capture_output=True, text=True, cwd=ROOT)


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert re.search(rf"python -m analytics {name}\b", readme), name


def test_ltv_deck_numbers():
    out = json.loads(
        run("ltv", "--amount", "100", "--frequency", "10", "--years", "10", "--growth", "0.1", "--json").stdout
    )
    assert round(out["ltv"], 6) == 13310
    assert [round(r["ltv"], 6) for r in out["table"]] == [1000, 10000, 13310]
    out = json.loads(run("ltv", "--amount", "100", "--frequency", "52", "--years", "40", "--json").stdout)
    assert out["ltv"] == 208000


def test_demo_report_and_clv(tmp_path):
    db = str(tmp_path / "x.duckdb")
    demo = run("demo", "--customers", "800", "--db", db)
    assert demo.returncode == 0, demo.stderr
    # the fits ran in a process of their own and reported back, and are stored
    fitted = json.loads(demo.stdout)["fits"]
    assert isinstance(fitted, dict) and set(fitted) == {"churn", "clv", "voice"}, fitted
    import duckdb

    with duckdb.connect(db, read_only=True) as con:
        stored = {r[0] for r in con.execute("SELECT name FROM model_fits").fetchall()}
    assert {n for n, v in fitted.items() if not str(v).startswith("skipped")} <= stored
    report = json.loads(run("report", "--db", db, "--json").stdout)
    assert report["data"]["rows"]["customers"] == 800
    assert report["data"]["date_range"]["last"].startswith("2026-10-31")
    sat = report["satisfaction"]
    for key in (
        "responses",
        "mean_gap",
        "share_positive",
        "share_negative",
        "share_zero",
        "by_dimension",
        "levels",
        "corr_gap_overall",
        "csat",
        "nps",
        "drivers",
        "kano",
    ):
        assert key in sat, key
    assert {d["dimension"] for d in sat["by_dimension"]} == {
        "tangibles",
        "reliability",
        "responsiveness",
        "assurance",
        "empathy",
    }
    assert set(sat["by_dimension"][0]) >= {
        "dimension",
        "n",
        "mean_expectation",
        "mean_experience",
        "mean_gap",
        "ci_low",
        "ci_high",
    }
    comp = report["complaints"]
    assert set(comp) >= {"complaints", "median_hours_to_resolve", "by_outcome", "voice_rate"}
    assert [o["outcome"] for o in comp["by_outcome"]] == [
        "resolved_quickly",
        "resolved",
        "unresolved",
        "silent_dissatisfied",
    ]
    proc = run("clv", "--db", db, "--json", "--out", str(tmp_path / "clv.csv"))
    assert proc.returncode == 0, proc.stderr
    clv = json.loads(proc.stdout)
    assert clv["customers"] > 700 and set(clv["bgnbd"]) == {"r", "alpha", "a", "b", "loglik"}
    header = (tmp_path / "clv.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "customer_id,frequency,recency,T,p_alive,expected_purchases,expected_spend,clv"
    # with a calibration end: the calibration fit's parameters beside the full period's
    proc = run("clv", "--db", db, "--json", "--calibration-end", "2025-10-31")
    clv = json.loads(proc.stdout)
    assert set(clv["calibration"]["bgnbd"]) == {"r", "alpha", "a", "b", "loglik"}
    assert clv["calibration"]["bgnbd"]["r"] != clv["bgnbd"]["r"] and clv["holdout"]
    late = run("clv", "--db", db, "--json", "--calibration-end", "2030-01-01")  # after the data: no holdout
    assert late.returncode == 2 and "must be before the observation end" in late.stderr
    assert len(late.stderr.strip().splitlines()) == 1
