"""Charts whose shape is the story: value built step by step (waterfall), causes piling up to
the vital few (Pareto) and customers flowing between stages or tiers (Sankey). ECharts option
objects, like ui/charts.py."""

from __future__ import annotations

import pandas as pd

from ui.chart_base import BAD, NEUTRAL, NODE_COLOURS, PALETTE, Chart, axis, chart, nums, scale_of, wrap


def waterfall(
    steps: list[tuple[str, float]],
    start: float,
    start_label: str,
    end_label: str,
    title: str,
    y_title: str,
    label=None,
    scale: float = 1.0,
) -> Chart:
    """Start value, one bar per change, end value (positive changes cool, negative warm). The
    axis starts at zero, so a 1 % change looks like 1 %; each bar carries its value (``label``
    formats an amount) so small changes still read. ``scale`` divides the axis (1e4: 万元).
    Drawn as stacked bars: an invisible base up to where each change starts."""
    fmt = label or (lambda v: f"{v:,.0f}")
    values = [start] + [v for _, v in steps]
    end = sum(values)
    texts = [fmt(start)] + [("+" if v >= 0 else "−") + fmt(abs(v)) for _, v in steps] + [fmt(end)]
    bases, heights, colours = [0.0], [start], [NEUTRAL]
    level = start
    for _, v in steps:
        bases.append(min(level, level + v))
        heights.append(abs(v))
        colours.append(PALETTE[0] if v >= 0 else BAD)
        level += v
    bases.append(0.0)
    heights.append(end)
    colours.append(NEUTRAL)
    shown = [
        {"value": h / scale, "itemStyle": {"color": c}, "label": {"formatter": txt}}
        for h, c, txt in zip(heights, colours, texts)
    ]
    top = max(0.0, *(sum(values[: i + 1]) for i in range(len(values)))) / scale
    series = [
        {
            "type": "bar",
            "stack": "fall",
            "data": [b / scale for b in bases],
            "itemStyle": {"color": "transparent"},
            "silent": True,
            "tooltip": {"show": False},
        },
        {
            "type": "bar",
            "stack": "fall",
            "name": y_title,
            "data": shown,
            "label": {"show": True, "position": "top", "color": "#1f2630"},
        },
    ]
    return chart(
        title,
        series,
        axis("category", "", data=[start_label] + [s for s, _ in steps] + [end_label], axisLabel=wrap(len(steps) + 2)),
        axis("value", y_title, min=0, max=round(top * 1.15, 6) or None),
        height=420,
        legend=False,
        trigger="item",
        tooltip_format="%,.0f",
    )


def pareto(
    df: pd.DataFrame,
    label: str,
    value: str,
    cumulative: str,
    colour_by: str,
    colours: dict,
    title: str,
    y_title: str,
    y2_title: str,
    names: dict | None = None,
) -> Chart:
    """Bars sorted by size, coloured by family, with the cumulative share on a second axis."""
    cats = [str(v) for v in df[label]]
    series = []
    for fam, part in df.groupby(colour_by, sort=False):
        mine = set(part.index)
        series.append(
            {
                "type": "bar",
                "stack": "causes",  # one family per cause: stacking keeps each bar centred
                "name": str((names or {}).get(fam, fam)),
                "data": [v if i in mine else None for i, v in zip(df.index, nums(df[value]))],
                "itemStyle": {"color": colours.get(fam, NEUTRAL)},
            }
        )
    pct = scale_of(".0%")
    series.append(
        {
            "type": "line",
            "name": y2_title,
            "yAxisIndex": 1,
            "data": nums(df[cumulative], 100),
            "lineStyle": {"color": "#333", "width": 2},
            "itemStyle": {"color": "#333"},
            "tooltip": {"valueFormatter": "%.0f%%"},
        }
    )
    return chart(
        title,
        series,
        axis("category", "", data=cats, axisLabel=wrap(len(cats), 900)),
        [
            axis("value", y_title),
            axis("value", y2_title, pct, min=0, max=100, interval=20, splitLine={"show": False}),
        ],
        tooltip_format="%,.0f",
    )


def sankey(df: pd.DataFrame, source: str, target: str, value: str, title: str, names: dict, order: list[str]) -> Chart:
    """Flows between two moments (left: before, right: now), nodes in ``order``; every node says
    how many customers it holds ("Maturity · 1,234")."""
    left = [n for n in order if n in set(df[source])]
    right = [n for n in order if n in set(df[target])]
    out_n = df.groupby(source)[value].sum()
    in_n = df.groupby(target)[value].sum()
    colours = {n: NODE_COLOURS.get(n, PALETTE[i % len(PALETTE)]) for i, n in enumerate(order)}

    def node(side: str, n: str, count: float) -> dict:
        return {
            "name": f"{side}:{n}",  # ids: the same stage can sit on both sides
            "depth": 0 if side == "from" else 1,
            "itemStyle": {"color": colours[n]},
            "label": {"formatter": f"{names.get(n, n)} · {int(count):,}"},
        }

    nodes = [node("from", n, out_n[n]) for n in left] + [node("to", n, in_n[n]) for n in right]
    links = [
        {"source": f"from:{s}", "target": f"to:{t}", "value": float(v)}
        for s, t, v in zip(df[source], df[target], df[value])
        if v > 0
    ]
    series = [
        {
            "type": "sankey",
            "data": nodes,
            "links": links,
            "layoutIterations": 0,  # keep the stages in their lifecycle order
            "nodeGap": 18,
            "nodeWidth": 20,
            "left": 10,
            "right": 150,
            "top": 60,
            "bottom": 10,
            "lineStyle": {"color": "source", "opacity": 0.3, "curveness": 0.5},
            "label": {"color": "#1f2630", "fontSize": 13},
            "emphasis": {"focus": "adjacency"},
        }
    ]
    option = chart(title, series, {}, {}, height=460, legend=False, trigger="item", tooltip_format="%,.0f").option
    for k in ("xAxis", "yAxis", "grid"):
        option.pop(k)
    return Chart(option, 460)
