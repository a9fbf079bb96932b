"""Plotly figure builders shared by the pages: one palette, readable at projector size."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

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


def base_layout(
    fig: go.Figure, title: str, height: int = 380, x: dict | None = None, y: dict | None = None, **layout
) -> go.Figure:
    """The house look (title, font, margins, legend, grid) plus a chart's own axis settings ``x``
    and ``y`` and layout keys, in one ``update_layout``: each further update re-validates the
    figure, and building figures was a third of a cached page run (py-spy, 25 sessions)."""
    house = {
        "title": dict(text=title, x=0, font=dict(size=18)),
        "height": height,
        "font": dict(family=FONT, size=14),
        "margin": dict(l=10, r=10, t=60, b=10),
        "legend": dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
        "plot_bgcolor": "white",
        "hovermode": "x unified",
        "xaxis": {"showgrid": False, "linecolor": "#ccc", **(x or {})},
        "yaxis": {"gridcolor": "#eee", "zerolinecolor": "#bbb", **(y or {})},
        **layout,
    }
    # what the figure's layout already holds (an annotation, say), less the theme it re-applies
    held = {k: v for k, v in fig.layout.to_plotly_json().items() if k != "template"}
    fig.layout = go.Layout({**held, **house})  # one validation: update_layout costs ~5 ms a call
    return fig


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
) -> go.Figure:
    """A monthly series; missing (suppressed) months stay gaps, never zeros. Months whose
    ``complete`` column is False are drawn hatched (bars) or dashed and hollow (lines) and
    labelled ``partial_label``, so half a month does not read as a collapse."""
    fig = go.Figure()
    partial = ~df["complete"].astype(bool) if "complete" in df else pd.Series(False, index=df.index)
    if kind == "bar":
        fig.add_bar(
            x=df[x],
            y=df[y],
            marker=dict(
                color=PALETTE[0],
                opacity=[0.45 if p else 1.0 for p in partial],
                pattern=dict(shape=["/" if p else "" for p in partial]),
            ),
            name=y_title,
        )
    else:
        whole = df[y].where(~partial)
        fig.add_scatter(
            x=df[x],
            y=whole,
            mode="lines+markers",
            line=dict(color=PALETTE[0], width=3),
            marker=dict(size=8),
            name=y_title,
            connectgaps=False,
        )
        if partial.any():  # a dashed segment from the last whole month to the partial one
            tail = df[y].where(partial | partial.shift(-1, fill_value=False))
            fig.add_scatter(
                x=df[x],
                y=tail,
                mode="lines+markers",
                line=dict(color=PALETTE[0], width=2, dash="dash"),
                marker=dict(size=9, symbol="circle-open"),
                name=partial_label or y_title,
                connectgaps=False,
                showlegend=False,
            )
    if partial.any() and partial_label:
        last = df[partial].iloc[-1]
        fig.add_annotation(
            x=last[x],
            y=last[y] if last[y] == last[y] else 0,
            text=partial_label,
            showarrow=True,
            arrowhead=2,
            ay=-40,
            xanchor="right",
        )
    base_layout(
        fig, title, x=dict(title=x_title, dtick="M1", tickformat="%Y-%m"), y=dict(title=y_title, tickformat=tickformat)
    )
    return fig


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
) -> go.Figure:
    """Bars side by side (e.g. measured vs deck, predicted vs actual)."""
    fig = go.Figure()
    for i, (y, name) in enumerate(zip(ys, names)):
        err = None
        if errors and y in errors:
            lo, hi = errors[y]
            err = dict(
                type="data",
                symmetric=False,
                array=(df[hi] - df[y]).tolist(),
                arrayminus=(df[y] - df[lo]).tolist(),
                color="#555",
            )
        fig.add_bar(x=df[x], y=df[y], name=name, marker_color=PALETTE[i % len(PALETTE)], error_y=err)
    base_layout(
        fig,
        title,
        x=dict(title=x_title, type="category"),
        y=dict(title=y_title, tickformat=tickformat),
        barmode="group",
        hovermode="closest",
    )
    return fig


def histogram(values, title: str, x_title: str, y_title: str, bins: int = 40) -> go.Figure:
    """Counts per equal-width bin, binned here: the browser gets ``bins`` bars, not a million
    values to bin itself (8 MB of JSON and seconds of drawing at 1M customers)."""
    v = np.asarray(pd.Series(values).dropna(), dtype=float)
    counts, edges = np.histogram(v, bins=bins) if len(v) else (np.zeros(0), np.zeros(1))
    ranges = [f"{a:,.0f} – {b:,.0f}" for a, b in zip(edges[:-1], edges[1:])]
    fig = go.Figure(
        go.Bar(
            x=(edges[:-1] + edges[1:]) / 2,
            y=counts,
            width=np.diff(edges) * 0.95,
            customdata=ranges,
            hovertemplate="%{customdata}: %{y:,}<extra></extra>",
            marker_color=PALETTE[0],
        )
    )
    base_layout(fig, title, x=dict(title=x_title), y=dict(title=y_title), hovermode="closest", bargap=0.05)
    return fig


def diverging_color(v: float) -> str:
    """Gaps: negative warm, positive cool, zero neutral (conventions)."""
    if v != v:
        return NEUTRAL
    return BAD if v < -1e-9 else (PALETTE[0] if v > 1e-9 else NEUTRAL)


def dumbbell(
    df: pd.DataFrame, label: str, lo: str, hi: str, names: tuple[str, str], title: str, x_title: str
) -> go.Figure:
    """Expectation vs experience per dimension: two dots joined by a line."""
    fig = go.Figure()
    for _, r in df.iterrows():
        fig.add_scatter(
            x=[r[lo], r[hi]],
            y=[r[label]] * 2,
            mode="lines",
            line=dict(color=diverging_color(r[hi] - r[lo]), width=4),
            showlegend=False,
            hoverinfo="skip",
        )
    fig.add_scatter(x=df[lo], y=df[label], mode="markers", marker=dict(size=14, color=NEUTRAL), name=names[0])
    fig.add_scatter(x=df[hi], y=df[label], mode="markers", marker=dict(size=14, color=PALETTE[1]), name=names[1])
    base_layout(fig, title, x=dict(title=x_title, showgrid=True, gridcolor="#eee"), hovermode="closest")
    return fig


def diverging_bars(
    df: pd.DataFrame, label: str, value: str, title: str, x_title: str, lo: str | None = None, hi: str | None = None
) -> go.Figure:
    """Horizontal bars around zero, coloured by sign, with optional CI whiskers."""
    err = None
    if lo and hi:
        err = dict(
            type="data",
            symmetric=False,
            array=(df[hi] - df[value]).tolist(),
            arrayminus=(df[value] - df[lo]).tolist(),
            color="#555",
        )
    fig = go.Figure(
        go.Bar(
            x=df[value], y=df[label], orientation="h", error_x=err, marker_color=[diverging_color(v) for v in df[value]]
        )
    )
    base_layout(
        fig, title, x=dict(title=x_title, zeroline=True, zerolinewidth=2), hovermode="closest", showlegend=False
    )
    return fig


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
) -> go.Figure:
    """Group × dimension; diverging scale centred on zero (or a sequential one for counts and
    rates); suppressed cells left blank."""
    pivot = df.pivot(index=y, columns=x, values=z)
    lim = float(pd.Series(pivot.to_numpy().ravel()).abs().max() or 1)
    scale = [[0, "#f5f7fb"], [1, PALETTE[0]]] if sequential else [[0, BAD], [0.5, "#f5f5f5"], [1, PALETTE[0]]]
    fig = go.Figure(
        go.Heatmap(
            z=pivot.to_numpy(),
            x=list(pivot.columns),
            y=list(pivot.index),
            colorscale=scale,
            zmin=0 if sequential else -lim,
            zmax=lim,
            texttemplate="%{z:" + fmt + "}",
            hoverongaps=False,
        )
    )
    base_layout(
        fig,
        title,
        height=max(300, (34 if len(pivot.index) > 10 else 60) * len(pivot.index) + 140),
        x=dict(title=x_title, type="category"),
        y=dict(title=y_title, type="category"),
        hovermode="closest",
    )
    return fig


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
) -> go.Figure:
    """One line per ``series`` value; monthly x by default (``x_format=None, x_dtick=None`` for
    a numeric axis such as days)."""
    fig = go.Figure()
    for i, (key, part) in enumerate(df.groupby(series, sort=True)):
        fig.add_scatter(
            x=part[x],
            y=part[y],
            mode="lines+markers",
            name=(names or {}).get(key, key),
            line=dict(color=PALETTE[i % len(PALETTE)], width=2.5),
        )
    base_layout(
        fig,
        title,
        x=dict(title=x_title, tickformat=x_format, dtick=x_dtick),
        y=dict(title=y_title, zeroline=True, zerolinewidth=2),
    )
    return fig


def quadrant(df: pd.DataFrame, x: str, y: str, label: str, title: str, x_title: str, y_title: str) -> go.Figure:
    """Importance × performance: dimensions as labelled points, median lines as the quadrant."""
    fig = go.Figure(
        go.Scatter(
            x=df[x],
            y=df[y],
            mode="markers+text",
            text=df[label],
            textposition="top center",
            marker=dict(size=16, color=[diverging_color(v) for v in df[x]]),
        )
    )
    dotted = dict(color="#999", dash="dot")
    median_y = float(df[y].median())
    # room for the labels: a point at the edge would have its name cut off
    lo, hi = float(min(df[x].min(), 0)), float(max(df[x].max(), 0))
    pad_x = 0.25 * max(hi - lo, 0.1)
    y_lo, y_hi = float(df[y].min()), float(df[y].max())
    pad_y = 0.15 * max(y_hi - y_lo, 0.05)
    base_layout(
        fig,
        title,
        height=420,
        x=dict(title=x_title, showgrid=True, gridcolor="#eee", range=[lo - pad_x, hi + pad_x]),
        y=dict(title=y_title, range=[min(y_lo - pad_y, 0), y_hi + 2 * pad_y]),
        shapes=[  # the quadrant's cross: zero importance and the median performance
            dict(type="line", xref="x", yref="y domain", x0=0, x1=0, y0=0, y1=1, line=dotted),
            dict(type="line", xref="x domain", yref="y", x0=0, x1=1, y0=median_y, y1=median_y, line=dotted),
        ],
        hovermode="closest",
        showlegend=False,
    )
    return fig


def curve(
    df: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    x_title: str,
    y_title: str,
    mark: tuple[float, float] | None = None,
    mark_text: str = "",
) -> go.Figure:
    """A cumulative curve on shares (Pareto), with an optional marked point and the diagonal."""
    fig = go.Figure()
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(color="#ccc", dash="dot"), showlegend=False)
    fig.add_scatter(x=df[x], y=df[y], mode="lines", line=dict(color=PALETTE[0], width=3), showlegend=False)
    if mark:
        fig.add_scatter(
            x=[mark[0]],
            y=[mark[1]],
            mode="markers+text",
            marker=dict(size=12, color=PALETTE[1]),
            text=[mark_text],
            textposition="bottom right",
            showlegend=False,
        )
    base_layout(
        fig,
        title,
        x=dict(title=x_title, tickformat=".0%", range=[0, 1]),
        y=dict(title=y_title, tickformat=".0%", range=[0, 1.02]),
        hovermode="closest",
    )
    return fig


def hbars(
    df: pd.DataFrame,
    label: str,
    value: str,
    title: str,
    x_title: str,
    text: str | None = None,
    colours: list[str] | None = None,
    tickformat: str | None = None,
) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=df[value],
            y=df[label],
            orientation="h",
            text=df[text] if text else None,
            textposition="auto",
            marker_color=colours or PALETTE[0],
        )
    )
    base_layout(
        fig,
        title,
        height=max(260, 48 * len(df) + 120),
        x=dict(title=x_title, tickformat=tickformat),
        y=dict(autorange="reversed"),
        hovermode="closest",
        showlegend=False,
    )
    return fig
