"""Chart builders that shape what reaches the browser (ui/charts.py and its siblings): ECharts
option objects with JSON values only, formatted in Python."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ui import chart_base, charts, flow_charts


def test_a_histogram_sends_its_bins_not_its_values():
    values = np.random.default_rng(1).gamma(2.0, 100.0, 200_000)
    fig = charts.histogram(values, "CLV", "元", "customers", bins=40)
    bars = fig.option["series"][0]["data"]
    counts, edges = np.histogram(values, bins=40)
    assert bars == [int(c) for c in counts] and sum(bars) == len(values)
    assert fig.option["xAxis"]["data"][0] == f"{edges[0]:,.0f} – {edges[1]:,.0f}"
    assert len(json.dumps(fig.option)) < 20_000  # 200k values would be megabytes


def test_an_empty_or_missing_histogram_draws_no_bar():
    assert charts.histogram([], "t", "x", "y").option["series"][0]["data"] == []
    assert sum(charts.histogram([np.nan, 3.0, 5.0], "t", "x", "y", bins=2).option["series"][0]["data"]) == 2


def test_missing_values_are_gaps_and_shares_are_percent():
    df = pd.DataFrame(
        {"month": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]), "csat": [0.5, np.nan, 0.25]}
    )
    fig = charts.trend(df, "month", "csat", "CSAT", "Month", "CSAT", tickformat=".0%")
    assert fig.option["series"][0]["data"] == [50.0, None, 25.0]  # a suppressed month is no zero
    assert fig.option["yAxis"]["axisLabel"]["formatter"] == "{value}%"
    assert fig.option["xAxis"]["data"] == ["2026-01", "2026-02", "2026-03"]  # no month names
    json.dumps(fig.option, allow_nan=False)  # Streamlit passes only JSON


def test_whiskers_sit_on_their_bars_and_the_deck_is_a_marker():
    df = pd.DataFrame(
        {"label": ["a", "b"], "rate": [0.8, 0.2], "lo": [0.7, 0.1], "hi": [0.9, 0.3], "deck": [0.82, 0.19]}
    )
    fig = charts.grouped_bars(
        df, "label", ["rate", "deck"], ["us", "deck"], "t", "", "y", ".0%", {"rate": ("lo", "hi")}
    )
    kinds = [s["type"] for s in fig.option["series"]]
    assert kinds == ["bar", "boxplot", "scatter"]
    assert fig.option["series"][1]["data"][0] == pytest.approx([70, 80, 80, 80, 90])
    assert fig.option["legend"]["data"] == ["us", "deck"]  # whiskers are no legend entry


def test_a_waterfall_starts_each_step_where_the_last_ended():
    fig = flow_charts.waterfall([("up", 30.0), ("down", -50.0)], 100.0, "start", "end", "t", "y")
    base, shown = fig.option["series"][0]["data"], fig.option["series"][1]["data"]
    assert base == [0.0, 100.0, 80.0, 0.0]
    assert [d["value"] for d in shown] == [100.0, 30.0, 50.0, 80.0]
    assert [d["label"]["formatter"] for d in shown] == ["100", "+30", "−50", "80"]


def test_a_sankey_keeps_a_stage_on_both_sides_apart():
    df = pd.DataFrame({"a": ["growth", "growth"], "b": ["growth", "exit"], "n": [5, 3]})
    fig = flow_charts.sankey(df, "a", "b", "n", "t", {"growth": "Growth", "exit": "Exit"}, ["growth", "exit"])
    nodes = fig.option["series"][0]["data"]
    assert [n["name"] for n in nodes] == ["from:growth", "to:growth", "to:exit"]
    assert [n["label"]["formatter"] for n in nodes] == ["Growth · 8", "Growth · 5", "Exit · 3"]


def test_long_titles_wrap_in_both_languages():
    assert "\n" in chart_base.wrapped("Strongest signals (logistic weights on standardised features)")
    assert "\n" in chart_base.wrapped("流失最强信号(标准化特征上的逻辑回归权重,正值提高风险)")
    assert chart_base.wrapped("Stages at 2026-10-31") == "Stages at 2026-10-31"


def test_a_hidden_interval_is_an_empty_whisker_not_a_null_item():
    """A group under the minimum n has no rate: its whisker is ECharts' "-" item. A null item
    stopped the whole chart in the browser ("Cannot read properties of null (reading 'value')")."""
    from ui.charts import whiskers

    series = whiskers([0.5, 0.1], [0.9, 0.3], [0.7, float("nan")], "rate")
    assert series["data"] == [[0.5, 0.7, 0.7, 0.7, 0.9], ["-"] * 5]


def test_a_line_with_a_suppressed_month_has_a_gap_not_a_nan():
    """A month under the minimum n is NaN in the figures; a NaN in ``series.data`` made Streamlit
    refuse the whole chart (Satisfaction's gap trend for 门店 + key tier at 1M)."""
    df = pd.DataFrame(
        {
            "month": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-01-01", "2026-02-01"]),
            "mean_gap": [np.nan, -0.2, 0.1, None],
            "dimension": ["reliability", "reliability", "empathy", "empathy"],
        }
    )
    fig = charts.lines(df, "month", "mean_gap", "dimension", "t", "x", "y")
    json.dumps(fig.option, allow_nan=False)  # what Streamlit does before sending it
    data = {s["name"]: s["data"] for s in fig.option["series"]}
    assert data == {
        "empathy": [["2026-01", 0.1], ["2026-02", None]],
        "reliability": [["2026-01", None], ["2026-02", -0.2]],
    }
