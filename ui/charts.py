"""Bars and lines the pages share: a monthly trend, bars side by side with their 95 % whiskers,
histograms, gaps around zero and series over time (ECharts options, ui/chart_base.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

# what pages use from here: the palette, ``show`` and every chart (``X as X``: a re-export)
from ui.chart_base import BAD as BAD
from ui.chart_base import GOOD as GOOD
from ui.chart_base import (
    GRID_LINES,
    NEUTRAL,
    PALETTE,
    SIDE_LABELS,
    WHISKER,
    Chart,
    axis,
    chart,
    diverging_color,
    month_labels,
    nums,
    scale_of,
    wrap,
)
from ui.chart_base import KIND_COLOURS as KIND_COLOURS
from ui.chart_base import STAGE_COLOURS as STAGE_COLOURS
from ui.chart_base import TIER_COLOURS as TIER_COLOURS
from ui.chart_base import show as show
from ui.field_charts import curve as curve
from ui.field_charts import heatmap as heatmap
from ui.field_charts import quadrant as quadrant
from ui.field_charts import timeline as timeline


def coloured(values, colours) -> list[dict]:
    """Bar data with one colour per bar."""
    return [{"value": v, "itemStyle": {"color": c}} for v, c in zip(values, colours)]


def dots(values: list, name: str, colour: str, horizontal: bool = False, **style) -> dict:
    """Markers on a category axis, one per category, as (position, value) pairs."""
    pairs = [([v, i] if horizontal else [i, v]) if v is not None else None for i, v in enumerate(values)]
    return {
        "type": "scatter",
        "name": name,
        "data": [p if p is not None else "-" for p in pairs],
        "symbolSize": 14,
        "itemStyle": {"color": colour},
        "z": 3,
        **style,
    }


def whiskers(lo, hi, mid, name: str) -> dict:
    """95 % intervals as whiskers: a boxplot whose box has no height (ECharts has no error bars
    and Streamlit passes no ``renderItem`` for a custom series)."""
    # a missing interval is ECharts' "-" (a null item stops the whole chart: "reading 'value'")
    data = [["-"] * 5 if None in (a, b, m) else [a, m, m, m, b] for a, b, m in zip(nums(lo), nums(hi), nums(mid))]
    return {
        "type": "boxplot",
        "name": name,
        "data": data,
        "boxWidth": [10, 10],
        "itemStyle": {"color": WHISKER, "borderColor": WHISKER, "borderWidth": 1.5},
        "tooltip": {"show": False},
        "silent": True,
    }


def trend(
    df: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    x_title: str,
    y_title: str,
    kind: str = "line",
    tickformat: str | None = None,
    partial_label: str | None = None,
) -> Chart:
    """A monthly series; missing (suppressed) months stay gaps, never zeros. Months whose
    ``complete`` column is False are drawn lighter with a dashed outline (bars) or dashed and
    hollow (lines), and a dotted line labelled ``partial_label`` marks them, so half a month does
    not read as a collapse."""
    sc = scale_of(tickformat)
    months = month_labels(df[x])
    values = nums(df[y], sc.factor)
    partial = list(~df["complete"].astype(bool)) if "complete" in df else [False] * len(df)
    if kind == "bar":
        data = [
            {
                "value": v,
                "itemStyle": {"opacity": 0.45, "borderType": "dashed", "borderColor": PALETTE[0], "borderWidth": 2},
            }
            if p
            else v
            for v, p in zip(values, partial)
        ]
        series = [{"type": "bar", "name": y_title, "data": data, "itemStyle": {"color": PALETTE[0]}}]
    else:
        whole = [None if p else v for v, p in zip(values, partial)]
        style = {"color": PALETTE[0]}
        series = [
            {
                "type": "line",
                "name": y_title,
                "data": whole,
                "symbolSize": 8,
                "lineStyle": {"width": 3, **style},
                "itemStyle": style,
            }
        ]
        if any(partial):  # a dashed segment from the last whole month to the partial one
            nxt = partial[1:] + [False]
            tail = [v if (p or n) else None for v, p, n in zip(values, partial, nxt)]
            series.append(
                {
                    "type": "line",
                    "name": partial_label or y_title,
                    "data": tail,
                    "symbol": "emptyCircle",
                    "symbolSize": 9,
                    "lineStyle": {"width": 2, "type": "dashed", **style},
                    "itemStyle": style,
                    "tooltip": {"show": False},
                }
            )
    if any(partial) and partial_label:
        last = max(i for i, p in enumerate(partial) if p)
        series[0]["markLine"] = {
            "symbol": "none",
            "silent": True,
            "lineStyle": {"type": "dotted", "color": "#888"},
            "label": {"formatter": partial_label, "position": "insideEndTop", "color": "#555"},
            "data": [{"xAxis": months[last]}],
        }
    return chart(
        title,
        series,
        axis("category", x_title, data=months),
        axis("value", y_title, sc),
        legend=False,
        tooltip_format=sc.tooltip,
    )


def grouped_bars(
    df: pd.DataFrame,
    x: str,
    ys: list[str],
    names: list[str],
    title: str,
    x_title: str,
    y_title: str,
    tickformat: str | None = None,
    errors: dict | None = None,
) -> Chart:
    """Bars side by side (e.g. predicted vs actual). With ``errors`` ({column: (low, high)}),
    that column's bars carry 95 % whiskers and the other columns (a deck's claim) are drawn as
    a marker on the same bar, so whisker and bar line up."""
    sc = scale_of(tickformat)
    cats = [str(v) for v in df[x]]
    series: list[dict] = []
    for i, (y, name) in enumerate(zip(ys, names)):
        values = nums(df[y], sc.factor)
        colour = PALETTE[i % len(PALETTE)]
        if errors and y not in errors:
            series.append(dots(values, name, colour, symbol="rect", symbolSize=[44, 5], z=5))
            continue
        series.append({"type": "bar", "name": name, "data": values, "itemStyle": {"color": colour}, "barMaxWidth": 90})
        if errors and y in errors:
            lo, hi = errors[y]
            series.append(whiskers(df[lo] * sc.factor, df[hi] * sc.factor, df[y] * sc.factor, "95% CI"))
    return chart(
        title,
        series,
        axis("category", x_title, data=cats, axisLabel=wrap(len(cats))),
        axis("value", y_title, sc),
        tooltip_format=sc.tooltip,
    )


def histogram(values, title: str, x_title: str, y_title: str, bins: int = 40) -> Chart:
    """Counts per equal-width bin, binned here: the browser gets ``bins`` bars, not a million
    values to bin itself (8 MB of JSON and seconds of drawing at 1M customers)."""
    v = np.asarray(pd.Series(values).dropna(), dtype=float)
    counts, edges = np.histogram(v, bins=bins) if len(v) else (np.zeros(0), np.zeros(1))
    ranges = [f"{a:,.0f} – {b:,.0f}" for a, b in zip(edges[:-1], edges[1:])]
    series = [
        {
            "type": "bar",
            "name": y_title,
            "data": [int(c) for c in counts],
            "barCategoryGap": "5%",
            "itemStyle": {"color": PALETTE[0]},
        }
    ]
    return chart(
        title,
        series,
        axis("category", x_title, data=ranges),
        axis("value", y_title),
        legend=False,
    )


def dumbbell(df: pd.DataFrame, label: str, lo: str, hi: str, names: tuple[str, str], title: str, x_title: str) -> Chart:
    """Expectation vs experience per dimension: two dots joined by a line coloured by the gap's
    sign (deck 002: satisfaction = experience − expectation)."""
    cats = [str(v) for v in df[label]]
    a, b = nums(df[lo]), nums(df[hi])
    links = [
        {"coords": [[x0, i], [x1, i]], "lineStyle": {"color": diverging_color((x1 or 0) - (x0 or 0))}}
        for i, (x0, x1) in enumerate(zip(a, b))
        if x0 is not None and x1 is not None
    ]
    series = [
        {
            "type": "lines",
            "coordinateSystem": "cartesian2d",
            "data": links,
            "lineStyle": {"width": 4, "opacity": 1},
            "silent": True,
        },
        dots(a, names[0], NEUTRAL, horizontal=True),
        dots(b, names[1], PALETTE[1], horizontal=True),
    ]
    return chart(
        title,
        series,
        axis("value", x_title, scale=True, splitLine=GRID_LINES),
        axis("category", "", data=cats, inverse=True),
        tooltip={"trigger": "axis", "axisPointer": {"type": "shadow"}, "confine": True, "valueFormatter": "%.2f"},
    )


def diverging_bars(
    df: pd.DataFrame, label: str, value: str, title: str, x_title: str, lo: str | None = None, hi: str | None = None
) -> Chart:
    """Horizontal bars around zero, coloured by sign, with optional 95 % whiskers."""
    cats = [str(v) for v in df[label]]
    values = nums(df[value])
    series = [
        {
            "type": "bar",
            "name": x_title,
            "data": coloured(values, [diverging_color(v if v is not None else float("nan")) for v in values]),
        }
    ]
    if lo and hi:
        series.append(whiskers(df[lo], df[hi], df[value], "95% CI"))
    return chart(
        title,
        series,
        axis("value", x_title, splitLine=GRID_LINES),
        axis("category", "", data=cats, inverse=True, axisLabel=SIDE_LABELS),
        legend=False,
        tooltip_format="%.2f",
    )


def lines(
    df: pd.DataFrame,
    x: str,
    y: str,
    series: str,
    title: str,
    x_title: str,
    y_title: str,
    names: dict | None = None,
    x_format: str | None = "%Y-%m",
    x_dtick: str | None = "M1",
) -> Chart:
    """One line per ``series`` value; monthly x by default (``x_format=None`` for a numeric
    axis such as days, drawn as steps: survival curves)."""
    monthly = x_format is not None
    xs = month_labels(df[x]) if monthly else nums(df[x])
    frame = pd.DataFrame({"x": xs, "y": nums(df[y]), "s": list(df[series])})
    out = []
    for i, (key, part) in enumerate(frame.groupby("s", sort=True)):
        colour = PALETTE[i % len(PALETTE)]
        out.append(
            {
                "type": "line",
                "name": str((names or {}).get(key, key)),
                "data": [[a, b] for a, b in zip(part["x"], nums(part["y"]))],  # the frame made gaps NaN again
                "showSymbol": monthly,
                "step": False if monthly else "end",
                "lineStyle": {"width": 2.5, "color": colour},
                "itemStyle": {"color": colour},
            }
        )
    x_axis = axis("category", x_title, data=sorted(set(xs))) if monthly else axis("value", x_title, min=0)
    return chart(title, out, x_axis, axis("value", y_title), tooltip_format="%.2f")


def hbars(
    df: pd.DataFrame,
    label: str,
    value: str,
    title: str,
    x_title: str,
    text: str | None = None,
    colours: list[str] | None = None,
    tickformat: str | None = None,
) -> Chart:
    """Horizontal bars, first row on top, each bar labelled with ``text`` when given."""
    sc = scale_of(tickformat)
    values = nums(df[value], sc.factor)
    colours = colours or [PALETTE[0]] * len(values)
    data = coloured(values, colours)
    if text:
        for item, txt in zip(data, df[text]):
            item["label"] = {
                "show": True,
                "position": "right",
                "formatter": str(txt).replace("{", "(").replace("}", ")"),
            }
    return chart(
        title,
        [{"type": "bar", "name": x_title, "data": data, "barMaxWidth": 36}],
        axis("value", x_title, sc, splitLine=GRID_LINES),
        axis("category", "", data=[str(v) for v in df[label]], inverse=True, axisLabel=SIDE_LABELS),
        height=max(260, 48 * len(df) + 120),
        legend=False,
        tooltip_format=sc.tooltip,
        right=90 if text else 24,
    )
