"""Model fits are stored with the data version they were fitted on, reloaded after a restart,
shown as the previous fit (and refitted in the background) after a write, and one customer's
scores read that customer's rows only."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from streamlit.testing.v1 import AppTest

from analytics import db, fits
from analytics.loyalty.churn_model import at_risk
from analytics.value import value_customers
from tests.helpers import ROOT


@pytest.fixture
def fitted(demo_copy, tmp_path):
    """A copy of the demo with every model fitted and stored, as `demo` and `import` leave it."""
    path = tmp_path / "fitted.duckdb"
    path = demo_copy(path)
    with db.connect(path) as con:
        out = fits.refit(con)
    assert set(out) == {"churn", "clv", "voice"} and all(isinstance(v, float) for v in out.values()), out
    return path


def test_fits_are_stored_and_reloaded_by_a_new_process(fitted):
    script = (
        f"from analytics import db, fits; con = db.connect({str(fitted)!r}, read_only=True);"
        "c = fits.load(con, 'churn', 'default'); v = fits.load(con, 'clv', 'weeks');"
        "print(c.data_version, v.data_version, db.data_version(con), round(c.model.roc_auc, 6), v.model.customers)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    churn_version, clv_version, current, auc, customers = out.stdout.split()
    assert churn_version == clv_version == current  # fitted on this very data
    assert 0.6 < float(auc) <= 1 and int(customers) > 1000
    with db.connect(fitted, read_only=True) as con:  # the same model object comes back
        again = fits.load(con, "churn", "default")
        assert round(again.model.roc_auc, 6) == float(auc)


def test_cli_writes_refit_and_no_fit_leaves_the_fit_stale(tmp_path):
    path = tmp_path / "cli.duckdb"
    run = [sys.executable, "-m", "analytics"]
    subprocess.run([*run, "demo", "--customers", "2000", "--db", str(path)], check=True, capture_output=True, cwd=ROOT)
    with db.connect(path, read_only=True) as con:
        assert fits.stamp(con, "churn", "default")[0] == db.data_version(con)
    sample = ROOT / "data" / "samples" / "customers_gbk.csv"
    subprocess.run(
        [*run, "import", "customers", str(sample), "--db", str(path), "--no-fit", "--keep-demo"], check=True, cwd=ROOT
    )
    with db.connect(path, read_only=True) as con:
        assert fits.stamp(con, "churn", "default")[0] == db.data_version(con) - 1  # the previous data's fit


def test_page_shows_the_previous_fit_and_refits_in_the_background(fitted, monkeypatch):
    with db.connect(fitted) as con:
        con.execute("UPDATE customers SET region = region WHERE customer_id = 'C0000001'")
        db.bump_data_version(con)  # a write the models have not seen
        current = db.data_version(con)
    monkeypatch.setenv("CSAT_DB", str(fitted))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/retention.py")
    started = time.perf_counter()
    at.run()
    assert not at.exception
    assert time.perf_counter() - started < 60
    assert any("fitted on earlier data" in i.value for i in at.info)  # shown, and said so
    for _ in range(240):  # the background refit stores the fit for the current data
        with db.connect(fitted) as con:  # the app's own configuration: this process holds the file
            if fits.stamp(con, "churn", "default")[0] == current:
                break
        time.sleep(0.5)
    else:
        pytest.fail("no background refit")
    at.run()
    assert not any("fitted on earlier data" in i.value for i in at.info)


def test_one_customer_scores_equal_the_whole_base_and_read_far_less(big_demo):
    """The Customer page's scores for one of 50,000 customers: the same numbers as scoring the
    whole base, at a fraction of its time (only that customer's rows are read)."""
    con = big_demo
    churn_fit, clv_fit = fits.fit_churn(con), fits.fit_clv(con)
    end = clv_fit.model.observation_end
    t0 = time.perf_counter()
    whole = at_risk(con, churn_fit.model).set_index("customer_id")
    whole_clv = value_customers(con, clv_fit.model, end).customers.set_index("customer_id")
    t_whole = time.perf_counter() - t0
    ids = list(whole.index[:5])
    times = []
    for cid in ids:
        t0 = time.perf_counter()
        one = at_risk(con, churn_fit.model, customer_id=cid).iloc[0]
        one_clv = value_customers(con, clv_fit.model, end, customer_id=cid).customers.iloc[0]
        times.append(time.perf_counter() - t0)
        assert one["churn_probability"] == pytest.approx(whole.loc[cid, "churn_probability"])
        assert one["reasons"] == whole.loc[cid, "reasons"]
        assert one_clv["clv"] == pytest.approx(whole_clv.loc[cid, "clv"])
    t_one = sorted(times)[len(times) // 2]  # the median: a busy machine slows single calls
    assert t_one < t_whole / 5, (times, t_whole)  # one customer's rows, not the base


def test_sessions_asking_for_a_missing_fit_share_one_background_fit(demo_copy, tmp_path, monkeypatch):
    """A brand-new database: 25 first visitors used to fit the models 25 times at once, which
    starved the server (no page run finished in a minute). Now the second asker gets the first
    one's running fit, and a model the data cannot support is known, not refitted per view."""
    path = tmp_path / "shared.duckdb"
    path = demo_copy(path)
    monkeypatch.setenv("CSAT_DB", str(path))
    from ui import data
    from ui import fits as ui_fits

    token, done = ui_fits.start_refit(fits.CLV, fits.CLV_UNIT)
    again, same = ui_fits.start_refit(fits.CLV, fits.CLV_UNIT)
    assert again == token and same is done
    assert done.wait(300) and token not in ui_fits._failed
    with data.reading() as cur:
        assert fits.stamp(cur, fits.CLV, fits.CLV_UNIT) is not None
    plain = tmp_path / "no_texts.duckdb"  # no comment anywhere: the text model cannot be fitted
    with db.connect(plain) as con:
        con.execute("INSERT INTO customers (customer_id) VALUES ('A'), ('B')")
    monkeypatch.setenv("CSAT_DB", str(plain))
    bad = ui_fits.start_refit(fits.VOICE, fits.VOICE_KEY)
    assert bad[1].wait(300) and "no comments" in ui_fits._failed[bad[0]]
    known = ui_fits.start_refit(fits.VOICE, fits.VOICE_KEY)
    assert known[1].is_set() and known[0] not in ui_fits._running  # answered at once, no new thread


def test_the_at_risk_summary_is_the_list_in_short(fitted):
    """The Retention page reads a count, a total and the first rows, not 540k rows at 1M
    customers; they are the whole stored list's, for the base and for a region; the download
    builds the whole list."""
    import dataclasses

    from analytics.filters import default_filters

    with db.connect(str(fitted), read_only=True) as con:
        key = fits.load(con, fits.CHURN, fits.churn_key(None)).key
        f = default_filters(con)
        region = con.execute("SELECT region FROM customers GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        for scope in (f, dataclasses.replace(f, region=(region,))):
            whole = fits.at_risk(con, key, scope)
            short = fits.at_risk_summary(con, key, scope, top=50)
            assert short.customers == len(whole) > 50
            assert short.revenue_at_risk == pytest.approx(whole["revenue_at_risk"].sum())
            assert short.top.equals(whole.head(50))
