"""Overview: the monthly trend marks a month the period ends inside, and the page leaves it out
of the sparklines and labels it on the trend chart."""

from __future__ import annotations

import datetime as dt

from analytics import db, overview
from analytics.filters import Filters
from tests.test_pages import app_db, run  # noqa: F401  (fixture)


def test_a_period_ending_mid_month_marks_that_month_partial(demo_path):
    con = db.connect(demo_path, read_only=True)
    trend = overview.monthly_trend(con, Filters(dt.date(2026, 1, 1), dt.date(2026, 9, 15)))
    con.close()
    assert len(trend) == 12 and trend["month"].iloc[-1] == dt.datetime(2026, 9, 1)
    assert list(trend["complete"]) == [True] * 11 + [False]
    # the partial month's revenue is about half a full month's: the reason it must be marked
    assert trend["revenue"].iloc[-1] < 0.7 * trend["revenue"].iloc[:-1].median()


def test_a_period_ending_on_a_month_end_is_whole(demo_path):
    con = db.connect(demo_path, read_only=True)
    trend = overview.monthly_trend(con, Filters(dt.date(2026, 1, 1), dt.date(2026, 9, 30)))
    con.close()
    assert trend["complete"].all()


def test_overview_labels_the_partial_month(app_db):  # noqa: F811
    at = run("en", preset="custom", start="2026-01-01", end="2026-09-15")
    chart = next(c for c in at.get("plotly_chart") if "Partial month" in c.proto.spec)
    assert "2026-09-15" in chart.proto.spec
