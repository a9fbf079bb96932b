"""Training slides as a PowerPoint file (native, editable charts; notes in the notes pane) or
as one self-contained HTML file with interactive plotly charts that opens offline."""

from __future__ import annotations

import html
from pathlib import Path

from analytics.export import write_file
from analytics.training.slides import Slide
from locales import translate

FONT = "Noto Sans CJK SC"


class _Texts:
    """``tx["slide.deck"]`` → the training catalog's ``train.slide.deck`` in ``lang``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        return translate(f"train.{key}", self.lang)


def _fmt(v: float, kind: str) -> str:
    if kind == "percent":
        return f"{100 * v:.0f}%"
    if kind == "money":
        return f"{v:,.0f}"
    return f"{v:,.2f}" if abs(v) < 100 and v != int(v) else f"{v:,.0f}"


def series_names(s: Slide, lang: str) -> tuple[str, str]:
    """The two bar series' names: the slide's own, or our data vs the deck's claim."""
    tx = _Texts(lang)
    return s.series[0] or tx["slide.company"], s.series[1] or tx["slide.deck"]


def to_pptx(slides: list[Slide], path: Path | str, lang: str = "zh-CN") -> Path:
    """The deck as a PowerPoint file at ``path`` (written whole or not at all)."""
    return write_file(Path(path), pptx_bytes(slides, lang))


def to_html(slides: list[Slide], path: Path | str, lang: str = "zh-CN") -> Path:
    """The deck as one self-contained HTML file at ``path`` (written whole or not at all)."""
    return write_file(Path(path), html_document(slides, lang).encode("utf-8"))


def pptx_bytes(slides: list[Slide], lang: str = "zh-CN") -> bytes:
    """The deck as PowerPoint bytes (16:9, a chart, the deck's claim and ours, notes per slide)."""
    import io

    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Emu, Pt

    tx = _Texts(lang)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 16:9
    blank = prs.slide_layouts[6]
    for s in slides:
        slide = prs.slides.add_slide(blank)

        def box(x, y, w, h, text, size, bold=False, colour=None, slide=slide):
            tb = slide.shapes.add_textbox(Emu(x), Emu(y), Emu(w), Emu(h))
            tf = tb.text_frame
            tf.word_wrap = True
            p = tf.paragraphs[0]
            run = p.add_run()
            run.text = text
            run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
            if colour:
                from pptx.dml.color import RGBColor

                run.font.color.rgb = RGBColor.from_string(colour)
            return tb

        box(500000, 300000, 11200000, 900000, s.title, 30, bold=True)
        no_chart = s.chart_kind == "none" or not len(s.chart)
        box(
            500000,
            1150000,
            11200000,
            3200000 if no_chart else 700000,
            s.takeaway,
            20 if no_chart else 18,
            colour="2F6DB3",
        )
        if not no_chart:
            data = CategoryChartData()
            data.categories = [str(c) for c in s.chart["label"]]
            first, second = series_names(s, lang)
            data.add_series(first, [float(v) for v in s.chart["value"]])
            if s.chart_kind == "bars2" and "deck" in s.chart:
                data.add_series(second, [float(v) for v in s.chart["deck"]])
            gf = slide.shapes.add_chart(
                XL_CHART_TYPE.COLUMN_CLUSTERED, Emu(500000), Emu(1950000), Emu(6600000), Emu(4300000), data
            )
            chart = gf.chart
            chart.has_legend = s.chart_kind == "bars2"
            if chart.has_legend:
                chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.TOP, False
            chart.font.size, chart.font.name = Pt(12), FONT
            if s.value_format == "percent":
                chart.value_axis.tick_labels.number_format = "0%"
                chart.value_axis.tick_labels.number_format_is_linked = False
            x, w, y = 7400000, 4300000, 2000000
            box(x, y, w, 300000, tx["slide.deck"], 14, bold=True)
            box(x, y + 350000, w, 1100000, s.deck_claim, 15)
            box(x, y + 1550000, w, 300000, tx["slide.company"], 14, bold=True, colour="2F6DB3")
            box(x, y + 1900000, w, 2200000, s.company, 16 if len(s.company) > 60 else 18, bold=True)
        else:
            box(500000, 4500000, 5400000, 300000, tx["slide.deck"], 14, bold=True)
            box(500000, 4850000, 5400000, 900000, s.deck_claim, 15)
            box(6300000, 4500000, 5400000, 300000, tx["slide.company"], 14, bold=True, colour="2F6DB3")
            box(6300000, 4850000, 5400000, 900000, s.company, 18, bold=True)
        box(500000, 6350000, 11200000, 350000, f"{tx['slide.source']}: {s.source}", 11, colour="777777")
        slide.notes_slide.notes_text_frame.text = f"{s.notes}\n\n{tx['slide.deck']}: {s.deck_claim}"
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def figure(s: Slide, lang: str):
    """The slide's chart as a plotly figure (also used by the Training page)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    if s.chart_kind == "none" or not len(s.chart):
        return None
    first, second = series_names(s, lang)
    fig.add_bar(
        x=list(s.chart["label"]),
        y=list(s.chart["value"]),
        name=first,
        marker_color="#2f6db3",
        text=[_fmt(v, s.value_format) for v in s.chart["value"]],
        textposition="outside",
    )
    if s.chart_kind == "bars2" and "deck" in s.chart:
        fig.add_bar(
            x=list(s.chart["label"]),
            y=list(s.chart["deck"]),
            name=second,
            marker_color="#e07b39",
            text=[_fmt(v, s.value_format) for v in s.chart["deck"]],
            textposition="outside",
        )
    fig.update_layout(
        barmode="group",
        height=460,
        font=dict(family=f"{FONT}, sans-serif", size=18),
        margin=dict(l=10, r=10, t=30, b=10),
        plot_bgcolor="white",
        legend=dict(orientation="h", y=1.08),
        showlegend=s.chart_kind == "bars2",
    )
    if s.value_format == "percent":
        fig.update_yaxes(tickformat=".0%")
    fig.update_yaxes(gridcolor="#eee")
    return fig


_CSS = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#f4f6f9;
  color:#1f2630}
section{background:#fff;margin:24px auto;padding:32px 48px;max-width:1200px;min-height:620px;
  box-shadow:0 1px 4px #0002;page-break-after:always}
h1{font-size:34px;margin:0 0 8px}.take{font-size:22px;color:#2f6db3}.row{display:flex;gap:32px}
.chart{flex:3}.side{flex:2;font-size:18px}.big{font-size:22px;font-weight:600}.co{color:#2f6db3}
.src{color:#777;font-size:14px}.num{float:right;color:#999}details{margin-top:16px;color:#555}"""


def html_document(slides: list[Slide], lang: str = "zh-CN") -> str:
    """One page: plotly.js inlined once, every slide a section, notes in <details>."""
    tx = _Texts(lang)
    parts, first = [], True
    for i, s in enumerate(slides, 1):
        fig = figure(s, lang)
        chart = (
            fig.to_html(full_html=False, include_plotlyjs=True if first else False, config={"displaylogo": False})
            if fig is not None
            else ""
        )
        first = first and fig is None
        e = html.escape
        parts.append(f"""<section><div class="num">{i} / {len(slides)}</div><h1>{e(s.title)}</h1>
<p class="take">{e(s.takeaway).replace(chr(10), "<br>")}</p>
<div class="row"><div class="chart">{chart}</div><div class="side">
<h3>{e(tx["slide.deck"])}</h3><p>{e(s.deck_claim)}</p><h3 class="co">{e(tx["slide.company"])}</h3>
<p class="big">{e(s.company)}</p><p class="src">{e(tx["slide.source"])}: {e(s.source)}</p></div></div>
<details><summary>{e(tx["slide.notes"])}</summary><p>{e(s.notes)}</p></details></section>""")
    doc = f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{html.escape(slides[0].title)}</title>
<style>{_CSS}</style></head><body>{"".join(parts)}</body></html>"""
    return doc
