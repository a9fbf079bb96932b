"""Chart builders that shape what reaches the browser (ui/charts.py)."""

from __future__ import annotations

import numpy as np

from ui import charts


def test_a_histogram_sends_its_bins_not_its_values():
    values = np.random.default_rng(1).gamma(2.0, 100.0, 200_000)
    fig = charts.histogram(values, "CLV", "元", "customers", bins=40)
    bars = fig.data[0]
    assert len(bars.y) == 40 and int(sum(bars.y)) == len(values)
    counts, edges = np.histogram(values, bins=40)
    assert list(bars.y) == list(counts) and np.allclose(bars.x, (edges[:-1] + edges[1:]) / 2)
    assert len(fig.to_json()) < 20_000  # 200k values would be megabytes


def test_an_empty_or_missing_histogram_draws_no_bar():
    assert len(charts.histogram([], "t", "x", "y").data[0].y) == 0
    assert int(sum(charts.histogram([np.nan, 3.0, 5.0], "t", "x", "y", bins=2).data[0].y)) == 2
