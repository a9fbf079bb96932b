"""The house look of every chart: colours, axes, titles, legends and tooltips as ECharts
option objects (``st.echarts_chart``), and the JSON-only values they hold.

Why ECharts and not plotly: in a new browser tab the first plotly chart cost ~0.75 s of
parsing and evaluating its 4.7 MB script before the page's run could finish; five ECharts
charts cost about what no chart costs (1.2 MB script; headless Chromium, benchmarks/RESULTS.md
2026-12-04 c). Options hold only JSON values (Streamlit passes no callbacks), so labels and
percentages are formatted here, in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
#: Grid lines across a value axis that reads sideways (horizontal bars, scatter).
GRID_LINES = {"show": True, "lineStyle": {"color": "#eee"}}
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
    """Each value times ``scale`` as a JSON number, gaps kept as ``None``."""
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
    """An axis in the house style: its title, muted; light grid lines on value axes only;
    ``fmt`` labels shares as percentages. ``chart`` places the titles."""
    out: dict = {
        "type": kind,
        "name": title or "",
        "nameTextStyle": {"fontSize": 13, "color": "#555"},
        "axisLine": {"lineStyle": {"color": "#bbb"}},
        "splitLine": {**GRID_LINES, "show": kind == "value"},
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
    # ECharts measures Chinese tick labels a little narrower than Chromium draws them: room so a
    # category axis on the left (horizontal bars) does not lose its first character
    left = 28 if any(a.get("type") == "category" for a in ys) else 8
    title = wrapped(title)
    below = 24 * title.count("\n")  # a second title line pushes legend and plot down
    option = {
        "title": {"text": title, "left": 0, "textStyle": {"fontSize": 17, "fontWeight": "bold", "color": "#1f2630"}},
        "textStyle": {"fontFamily": FONT, "fontSize": 13},
        "color": PALETTE,
        "grid": {
            "left": left,
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


# --- colour by sign --------------------------------------------------------------------------


def diverging_color(v: float) -> str:
    """Gaps: negative warm, positive cool, zero neutral (conventions)."""
    if v != v:
        return NEUTRAL
    return BAD if v < -1e-9 else (PALETTE[0] if v > 1e-9 else NEUTRAL)
