"""Chart builders shared by the pages: ECharts option objects in one palette, readable at
projector size, drawn by ``st.echarts_chart``.

Why ECharts and not plotly: in a new browser tab the first plotly chart costs ~0.75 s of
parsing and evaluating its 4.7 MB script before the page's run can finish; five ECharts charts
cost about what no chart costs (1.2 MB script; measured in headless Chromium, benchmarks/
RESULTS.md 2026-12-04 c). A chart is a :class:`Chart`: the option object plus its height.
Options hold only JSON values (no callbacks: Streamlit does not pass functions), so labels and
percentages are formatted here, in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

PALETTE = ["#2f6db3", "#e07b39", "#3a9d6a", "#c8504d", "#8b6bb8", "#8c8c8c", "#d4a72c"]
GOOD, BAD, NEUTRAL = "#3a9d6a", "#c8504d", "#9e9e9e"
#: One colour per lifecycle stage, value tier and interaction kind in every chart (bars,
#: Sankeys, timelines), so a stage or tier reads the same wherever it appears.
STAGE_COLOURS = {
    "new": "#8c8c8c",
    "acquisition": "#d4a72c",
    "growth": "#3a9d6a",
    "maturity": "#2f6db3",
    "decline": "#e07b39",
    "exit": "#c8504d",
}
TIER_COLOURS = {"key": "#1f4e8c", "important": "#2f6db3", "ordinary": "#7fa7d6", "small": "#c5d7ec", "none": "#bdbdbd"}
KIND_COLOURS = {
    "purchase": "#2f6db3",
    "service": "#3a9d6a",
    "visit": "#8b6bb8",
    "complaint": "#c8504d",
    "survey": "#d4a72c",
}
NODE_COLOURS = {**STAGE_COLOURS, **TIER_COLOURS}
FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
WHISKER = "#555"
#: Dates as numbers at every zoom level: no English month names on the Chinese page.
TIME_LABELS = {"year": "{yyyy}", "month": "{yyyy}-{MM}", "day": "{MM}-{dd}", "hour": "{HH}:{mm}", "minute": "{HH}:{mm}"}
#: Tick labels of an axis whose ends are padding: 0.599 and −0.707 at the ends read as data.
PADDED = {"showMinLabel": False, "showMaxLabel": False}


@dataclass(frozen=True)
class Chart:
    """An ECharts option object and the height it is drawn at (px)."""

    option: dict = field(default_factory=dict)
    height: int = 380


def show(where, chart: Chart, key: str) -> None:
    """Draw ``chart`` in ``where`` (``st`` or a column) across its width."""
    where.echarts_chart(chart.option, height=chart.height, key=key, theme=None)


# --- values: JSON only -----------------------------------------------------------------------


def num(v) -> float | None:
    """A JSON number, ``None`` for a missing value (a gap, never a zero)."""
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def nums(values, scale: float = 1.0) -> list[float | None]:
    return [None if (x := num(v)) is None else x * scale for v in values]


def month_labels(values) -> list[str]:
    """Months as ``2026-09``: the same text in both languages (no English month names)."""
    return [d.strftime("%Y-%m") for d in pd.to_datetime(pd.Series(list(values)))]


@dataclass(frozen=True)
class Scale:
    """A plotly-style tick format turned into what ECharts can do without callbacks: shares
    are multiplied by ``factor`` (100) and labelled ``{value}%``."""

    factor: float = 1.0
    axis_label: str | None = None
    tooltip: str = "localized"


def scale_of(tickformat: str | None) -> Scale:
    if tickformat and tickformat.endswith("%"):
        digits = int(m.group(1)) if (m := re.search(r"\.(\d)", tickformat)) else 0
        return Scale(100.0, "{value}%", f"%.{max(digits, 1)}f%%")
    return Scale()


# --- the house look --------------------------------------------------------------------------


def axis(kind: str = "value", title: str = "", fmt: Scale | None = None, **extra) -> dict:
    """An axis in the house style: titles at the end of the axis (no clash with tick labels of
    unknown width), light grid on value axes only."""
    out: dict = {
        "type": kind,
        "name": title or "",
        "nameTextStyle": {"fontSize": 13, "color": "#555"},
        "axisLine": {"lineStyle": {"color": "#bbb"}},
        "splitLine": {"show": kind == "value", "lineStyle": {"color": "#eee"}},
    }
    if fmt is not None and fmt.axis_label:
        out["axisLabel"] = {"formatter": fmt.axis_label}
    out.update(extra)
    return out


def wrapped(title: str, width: int = 46) -> str:
    """A long title on two lines (a half-width chart holds ~46 Latin or ~26 Chinese
    characters at 17 px), broken at the last space, or anywhere in Chinese text."""
    wide = sum(2 if ord(c) > 0x2E80 else 1 for c in title)
    if wide <= width or "\n" in title:
        return title
    cut, used = 0, 0
    for i, c in enumerate(title):
        used += 2 if ord(c) > 0x2E80 else 1
        if used > wide / 2 + 4:
            break
        if c == " " or ord(c) > 0x2E80:
            cut = i + (c != " ")
    cut = cut or len(title) // 2
    return title[:cut].rstrip() + "\n" + title[cut:].lstrip()


def wrap(n: int, room: int = 520) -> dict:
    """Tick labels for ``n`` categories that wrap within their share of ``room`` px instead of
    overlapping or skipping every other one."""
    return {"interval": 0, "width": max(48, min(120, room // max(n, 1) - 8)), "overflow": "break"}


#: Long labels on a horizontal chart's category axis: wrapped at a width the layout reserves.
SIDE_LABELS = {"width": 190, "overflow": "break"}


def chart(
    title: str,
    series: list[dict],
    x: dict,
    y: dict | list[dict],
    height: int = 380,
    legend: bool = True,
    trigger: str = "axis",
    tooltip_format: str = "localized",
    right: int = 24,
    **extra,
) -> Chart:
    """Title, font, margins, legend and tooltip around ``series`` on axes ``x`` and ``y``. The x
    axis's title sits under its middle; a y axis's title above its top, read from the axis
    outwards, so neither is cut off at the edge of the chart."""
    x = {**x, "nameLocation": "middle", "nameGap": 30} if x.get("name") else x
    ys = y if isinstance(y, list) else [y]
    ys = [
        {**a, "nameTextStyle": {**a.get("nameTextStyle", {}), "align": "left" if i == 0 else "right"}}
        for i, a in enumerate(ys)
    ]
    named = [s["name"] for s in series if s.get("name") and s.get("type") != "boxplot"]
    legend = legend and len(named) > 1
    title = wrapped(title)
    below = 24 * title.count("\n")  # a second title line pushes legend and plot down
    option = {
        "title": {"text": title, "left": 0, "textStyle": {"fontSize": 17, "fontWeight": "bold", "color": "#1f2630"}},
        "textStyle": {"fontFamily": FONT, "fontSize": 13},
        "color": PALETTE,
        "grid": {
            "left": 8,
            "right": right,
            "top": (92 if legend else 70) + below,
            "bottom": 34 if x.get("name") else 8,
            "containLabel": True,
        },
        "legend": {"show": legend, "top": 36 + below, "right": 0, "type": "scroll", "data": named},
        "tooltip": {"trigger": trigger, "confine": True, "valueFormatter": tooltip_format},
        "xAxis": x,
        "yAxis": ys if isinstance(y, list) else ys[0],
        "series": series,
        "animationDuration": 300,
        **extra,
    }
    return Chart(option, height)


# --- the charts --------------------------------------------------------------------------------


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


def whiskers(lo, hi, mid, name: str) -> dict:
    """95 % intervals as whiskers: a boxplot whose box has no height (ECharts has no error bars
    and Streamlit passes no ``renderItem`` for a custom series)."""
    data = [None if None in (a, b, m) else [a, m, m, m, b] for a, b, m in zip(nums(lo), nums(hi), nums(mid))]
    return {
        "type": "boxplot",
        "name": name,
        "data": data,
        "boxWidth": [10, 10],
        "itemStyle": {"color": WHISKER, "borderColor": WHISKER, "borderWidth": 1.5},
        "tooltip": {"show": False},
        "silent": True,
    }


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


def diverging_color(v: float) -> str:
    """Gaps: negative warm, positive cool, zero neutral (conventions)."""
    if v != v:
        return NEUTRAL
    return BAD if v < -1e-9 else (PALETTE[0] if v > 1e-9 else NEUTRAL)


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
        axis("value", x_title, scale=True, splitLine={"show": True, "lineStyle": {"color": "#eee"}}),
        axis("category", "", data=cats, inverse=True),
        trigger="axis",
        tooltip_format="%.2f",
        **{
            "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}, "confine": True, "valueFormatter": "%.2f"}
        },
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
        axis("value", x_title, splitLine={"show": True, "lineStyle": {"color": "#eee"}}),
        axis("category", "", data=cats, inverse=True, axisLabel=SIDE_LABELS),
        legend=False,
        tooltip_format="%.2f",
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
                "data": [[a, b] for a, b in zip(part["x"], part["y"])],
                "showSymbol": monthly,
                "step": False if monthly else "end",
                "lineStyle": {"width": 2.5, "color": colour},
                "itemStyle": {"color": colour},
            }
        )
    x_axis = axis("category", x_title, data=sorted(set(xs))) if monthly else axis("value", x_title, min=0)
    return chart(title, out, x_axis, axis("value", y_title), tooltip_format="%.2f")


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
            splitLine={"show": True, "lineStyle": {"color": "#eee"}},
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
        axis("value", x_title, sc, splitLine={"show": True, "lineStyle": {"color": "#eee"}}),
        axis("category", "", data=[str(v) for v in df[label]], inverse=True, axisLabel=SIDE_LABELS),
        height=max(260, 48 * len(df) + 120),
        legend=False,
        tooltip_format=sc.tooltip,
        right=90 if text else 24,
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
