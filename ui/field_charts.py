"""Charts over a plane: a group × dimension heatmap, the importance × performance quadrant, the
Pareto curve and one customer's timeline (ECharts options, ui/chart_base.py)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ui.chart_base import (
    BAD,
    GRID_LINES,
    KIND_COLOURS,
    PADDED,
    PALETTE,
    TIME_LABELS,
    Chart,
    axis,
    chart,
    diverging_color,
    nums,
    scale_of,
)


def heatmap(
    df: pd.DataFrame,
    x: str,
    y: str,
    z: str,
    title: str,
    x_title: str,
    y_title: str,
    fmt: str = ".2f",
    sequential: bool = False,
) -> Chart:
    """Group × dimension; diverging scale centred on zero (or a sequential one for counts and
    rates); suppressed cells left blank. Cells carry their value, rounded here to ``fmt``."""
    pivot = df.pivot(index=y, columns=x, values=z)
    sc = scale_of(fmt)
    digits = int(m.group(1)) if (m := re.search(r"\.(\d)", fmt)) else 0
    grid = pivot.to_numpy(dtype=float) * sc.factor
    lim = float(np.nanmax(np.abs(grid))) if np.isfinite(grid).any() else 1.0
    lim = lim or 1.0
    cells = [
        [j, i, round(float(grid[i, j]), digits)]
        for i in range(grid.shape[0])
        for j in range(grid.shape[1])
        if np.isfinite(grid[i, j])
    ]
    colours = ["#f5f7fb", PALETTE[0]] if sequential else [BAD, "#f5f5f5", PALETTE[0]]
    label = "{@[2]}%" if sc.axis_label else "{@[2]}"
    series = [
        {
            "type": "heatmap",
            "name": title,
            "data": cells,
            "label": {"show": True, "formatter": label, "fontSize": 12},
            "itemStyle": {"borderColor": "#fff", "borderWidth": 1},
            "emphasis": {"itemStyle": {"borderColor": "#333", "borderWidth": 1}},
        }
    ]
    rows = len(pivot.index)
    return chart(
        title,
        series,
        axis("category", x_title, data=[str(c) for c in pivot.columns], splitArea={"show": False}),
        axis("category", y_title, data=[str(r) for r in pivot.index]),
        height=max(300, (34 if rows > 10 else 60) * rows + 160),
        legend=False,
        trigger="item",
        visualMap={
            "min": 0 if sequential else -lim,
            "max": lim,
            "calculable": False,
            "orient": "vertical",
            "right": 0,
            "top": "middle",
            "itemHeight": 160,
            "inRange": {"color": colours},
            "precision": digits,
        },
        right=70,
    )


def quadrant(df: pd.DataFrame, x: str, y: str, label: str, title: str, x_title: str, y_title: str) -> Chart:
    """Importance × performance: dimensions as labelled points, zero gap and the median
    importance as the quadrant's cross."""
    xs, ys = nums(df[x]), nums(df[y])
    points = [
        {"name": str(n), "value": [a, b], "itemStyle": {"color": diverging_color(a if a is not None else float("nan"))}}
        for n, a, b in zip(df[label], xs, ys)
    ]
    median_y = float(df[y].median())
    lo, hi = float(min(df[x].min(), 0)), float(max(df[x].max(), 0))
    pad_x = 0.25 * max(hi - lo, 0.1)  # room for the labels: a point at the edge loses its name
    y_lo, y_hi = float(df[y].min()), float(df[y].max())
    pad_y = 0.15 * max(y_hi - y_lo, 0.05)
    dotted = {"type": "dotted", "color": "#999"}
    series = [
        {
            "type": "scatter",
            "name": title,
            "data": points,
            "symbolSize": 16,
            "label": {"show": True, "position": "top", "formatter": "{b}", "color": "#1f2630"},
            "markLine": {
                "symbol": "none",
                "silent": True,
                "label": {"show": False},
                "lineStyle": dotted,
                "data": [{"xAxis": 0}, {"yAxis": round(median_y, 4)}],
            },
        }
    ]
    return chart(
        title,
        series,
        axis(
            "value",
            x_title,
            min=round(lo - pad_x, 3),
            max=round(hi + pad_x, 3),
            splitLine=GRID_LINES,
            axisLabel=PADDED,
        ),
        axis("value", y_title, min=round(min(y_lo - pad_y, 0), 3), max=round(y_hi + 2 * pad_y, 3), axisLabel=PADDED),
        height=420,
        legend=False,
        trigger="item",
        tooltip_format="%.2f",
    )


def curve(
    df: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    x_title: str,
    y_title: str,
    mark: tuple[float, float] | None = None,
    mark_text: str = "",
) -> Chart:
    """A cumulative curve on shares (Pareto), with an optional marked point and the diagonal."""
    pct = scale_of(".0%")
    series = [
        {
            "type": "line",
            "data": [[0, 0], [100, 100]],
            "showSymbol": False,
            "lineStyle": {"color": "#ccc", "type": "dotted"},
            "silent": True,
            "tooltip": {"show": False},
        },
        {
            "type": "line",
            "name": y_title,
            "data": [[a, b] for a, b in zip(nums(df[x], 100), nums(df[y], 100))],
            "showSymbol": False,
            "lineStyle": {"color": PALETTE[0], "width": 3},
            "itemStyle": {"color": PALETTE[0]},
        },
    ]
    if mark:
        series.append(
            {
                "type": "scatter",
                "data": [{"value": [mark[0] * 100, mark[1] * 100], "name": mark_text}],
                "symbolSize": 12,
                "itemStyle": {"color": PALETTE[1]},
                "label": {"show": True, "position": "right", "formatter": mark_text, "fontWeight": "bold"},
            }
        )
    return chart(
        title,
        series,
        axis("value", x_title, pct, min=0, max=100),
        axis("value", y_title, pct, min=0, max=100),
        legend=False,
        tooltip_format="%.1f%%",
    )


def timeline(
    df: pd.DataFrame, at: str, amount: str, kind: str, detail: str, title: str, y_title: str, names: dict
) -> Chart:
    """One customer's interactions over time: purchases at their amount, every other kind of
    contact on the zero line, one colour and marker per kind (the same for every customer)."""
    series = []
    for k, part in df.groupby(kind, sort=True):
        ys = nums(part[amount]) if k == "purchase" else [0.0] * len(part)
        when = pd.to_datetime(part[at]).dt.strftime("%Y-%m-%dT%H:%M:%S")
        series.append(
            {
                "type": "scatter",
                "name": str(names.get(k, k)),
                "data": [{"value": [w, y], "name": str(d)} for w, y, d in zip(when, ys, part[detail])],
                "symbol": "circle" if k == "purchase" else "diamond",
                "symbolSize": 11,
                "itemStyle": {"color": KIND_COLOURS.get(k, PALETTE[5])},
            }
        )
    return chart(
        title,
        series,
        axis("time", "", axisLabel={"formatter": TIME_LABELS, "hideOverlap": True}),
        axis("value", y_title),
        trigger="item",
        tooltip_format="%,.2f",
    )
