"""Charts whose shape is the story: value built step by step (waterfall), causes piling up to
the vital few (Pareto) and customers flowing between stages or tiers (Sankey)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.charts import BAD, NEUTRAL, NODE_COLOURS, PALETTE, base_layout


def waterfall(
    steps: list[tuple[str, float]],
    start: float,
    start_label: str,
    end_label: str,
    title: str,
    y_title: str,
    label=None,
    scale: float = 1.0,
) -> go.Figure:
    """Start value, one bar per change, end value (positive changes cool, negative warm). The
    axis starts at zero, so a 1 % change looks like 1 %; each bar carries its value (``label``
    formats an amount) so small changes still read. ``scale`` divides the axis (1e4: 万元)."""
    fmt = label or (lambda v: f"{v:,.0f}")
    values = [start] + [v for _, v in steps]
    end = sum(values)
    texts = [fmt(start)] + [("+" if v >= 0 else "−") + fmt(abs(v)) for _, v in steps] + [fmt(end)]
    fig = go.Figure(
        go.Waterfall(
            x=[start_label] + [s for s, _ in steps] + [end_label],
            measure=["absolute"] + ["relative"] * len(steps) + ["total"],
            y=[v / scale for v in values] + [0],
            text=texts,
            textposition="outside",
            cliponaxis=False,
            increasing=dict(marker=dict(color=PALETTE[0])),
            decreasing=dict(marker=dict(color=BAD)),
            totals=dict(marker=dict(color=NEUTRAL)),
            connector=dict(line=dict(color="#bbb")),
        )
    )
    top = max(0.0, *(sum(values[: i + 1]) for i in range(len(values)))) / scale
    base_layout(
        fig,
        title,
        height=420,
        y=dict(title=y_title, rangemode="tozero", range=[0, top * 1.15], tickformat=",.0f"),
        hovermode="closest",
        showlegend=False,
    )
    return fig


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
) -> go.Figure:
    """Bars sorted by size, coloured by family, with the cumulative share on a second axis."""
    fig = go.Figure()
    for fam, part in df.groupby(colour_by, sort=False):
        fig.add_bar(
            x=part[label], y=part[value], name=(names or {}).get(fam, fam), marker_color=colours.get(fam, NEUTRAL)
        )
    fig.add_scatter(
        x=df[label], y=df[cumulative], mode="lines+markers", name=y2_title, yaxis="y2", line=dict(color="#333", width=2)
    )
    base_layout(
        fig,
        title,
        x=dict(categoryorder="array", categoryarray=list(df[label])),
        y=dict(title=y_title),
        yaxis2=dict(
            overlaying="y",
            side="right",
            tickformat=".0%",
            range=[0, 1.05],
            tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0],  # round shares, not 0/16/32/… %
            title=y2_title,
        ),
        hovermode="closest",
    )
    return fig


def sankey(
    df: pd.DataFrame, source: str, target: str, value: str, title: str, names: dict, order: list[str]
) -> go.Figure:
    """Flows between two moments (left: before, right: now), nodes in ``order``."""
    left = [n for n in order if n in set(df[source])]
    right = [n for n in order if n in set(df[target])]
    out_n = df.groupby(source)[value].sum()
    in_n = df.groupby(target)[value].sum()
    # every node says how many customers it holds: "Maturity · 1,234"
    labels = [f"{names.get(n, n)} · {int(out_n[n]):,}" for n in left] + [
        f"{names.get(n, n)} · {int(in_n[n]):,}" for n in right
    ]
    idx_l = {n: i for i, n in enumerate(left)}
    idx_r = {n: len(left) + i for i, n in enumerate(right)}
    colours = {n: NODE_COLOURS.get(n, PALETTE[i % len(PALETTE)]) for i, n in enumerate(order)}
    fig = go.Figure(
        go.Sankey(
            node=dict(label=labels, pad=22, thickness=20, color=[colours[n] for n in left + right]),
            link=dict(
                source=[idx_l[s] for s in df[source]],
                target=[idx_r[t] for t in df[target]],
                value=df[value],
                color="rgba(150,150,150,0.35)",
            ),
            textfont=dict(size=14, color="#1f2630"),
        )
    )
    base_layout(fig, title, height=460)
    return fig
