"""Plotly figure builders shared by the pages: one palette, readable at projector size."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

PALETTE = ["#2f6db3", "#e07b39", "#3a9d6a", "#c8504d", "#8b6bb8", "#8c8c8c", "#d4a72c"]
GOOD, BAD, NEUTRAL = "#3a9d6a", "#c8504d", "#9e9e9e"
FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"


def base_layout(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    fig.update_layout(title=dict(text=title, x=0, font=dict(size=18)), height=height,
                      font=dict(family=FONT, size=14), margin=dict(l=10, r=10, t=60, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
                      plot_bgcolor="white", hovermode="x unified")
    fig.update_xaxes(showgrid=False, linecolor="#ccc")
    fig.update_yaxes(gridcolor="#eee", zerolinecolor="#bbb")
    return fig


def trend(df: pd.DataFrame, x: str, y: str, title: str, x_title: str, y_title: str,
          kind: str = "line", tickformat: str | None = None) -> go.Figure:
    """A monthly series; missing (suppressed) months stay gaps, never zeros."""
    fig = go.Figure()
    if kind == "bar":
        fig.add_bar(x=df[x], y=df[y], marker_color=PALETTE[0], name=y_title)
    else:
        fig.add_scatter(x=df[x], y=df[y], mode="lines+markers", line=dict(color=PALETTE[0], width=3),
                        marker=dict(size=8), name=y_title, connectgaps=False)
    base_layout(fig, title)
    fig.update_xaxes(title=x_title, dtick="M1", tickformat="%Y-%m")
    fig.update_yaxes(title=y_title, tickformat=tickformat)
    return fig


def waterfall(steps: list[tuple[str, float]], start: float, start_label: str, end_label: str, title: str,
              y_title: str) -> go.Figure:
    """Start value, one bar per change, end value (positive changes cool, negative warm)."""
    fig = go.Figure(go.Waterfall(
        x=[start_label] + [s for s, _ in steps] + [end_label],
        measure=["absolute"] + ["relative"] * len(steps) + ["total"],
        y=[start] + [v for _, v in steps] + [0],
        increasing=dict(marker=dict(color=PALETTE[0])), decreasing=dict(marker=dict(color=BAD)),
        totals=dict(marker=dict(color=NEUTRAL)), connector=dict(line=dict(color="#bbb"))))
    base_layout(fig, title)
    fig.update_layout(hovermode="closest", showlegend=False)
    fig.update_yaxes(title=y_title)
    return fig


def grouped_bars(df: pd.DataFrame, x: str, ys: list[str], names: list[str], title: str, x_title: str,
                 y_title: str, tickformat: str | None = None, errors: dict | None = None) -> go.Figure:
    """Bars side by side (e.g. measured vs deck, predicted vs actual)."""
    fig = go.Figure()
    for i, (y, name) in enumerate(zip(ys, names)):
        err = None
        if errors and y in errors:
            lo, hi = errors[y]
            err = dict(type="data", symmetric=False, array=(df[hi] - df[y]).tolist(),
                       arrayminus=(df[y] - df[lo]).tolist(), color="#555")
        fig.add_bar(x=df[x], y=df[y], name=name, marker_color=PALETTE[i % len(PALETTE)], error_y=err)
    base_layout(fig, title)
    fig.update_layout(barmode="group", hovermode="closest")
    fig.update_xaxes(title=x_title, type="category")
    fig.update_yaxes(title=y_title, tickformat=tickformat)
    return fig


def histogram(values, title: str, x_title: str, y_title: str, bins: int = 40) -> go.Figure:
    fig = go.Figure(go.Histogram(x=values, nbinsx=bins, marker_color=PALETTE[0]))
    base_layout(fig, title)
    fig.update_layout(hovermode="closest", bargap=0.05)
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(title=y_title)
    return fig
