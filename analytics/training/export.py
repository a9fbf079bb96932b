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
    """A bar's label; a hidden value (NaN: under the minimum n) has none."""
    if v != v:
        return ""
    if kind == "percent":
        return f"{100 * v:.0f}%"
    if kind == "money":
        return f"{v:,.0f}"
    return f"{v:,.2f}" if abs(v) < 100 and v != int(v) else f"{v:,.0f}"


def _values(values) -> list[float | None]:
    """Chart values with hidden ones (NaN) as gaps, never as zero bars."""
    return [None if v != v else float(v) for v in values]


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
            data.add_series(first, _values(s.chart["value"]))
            if s.chart_kind == "bars2" and "deck" in s.chart:
                data.add_series(second, _values(s.chart["deck"]))
            gf = slide.shapes.add_chart(
                XL_CHART_TYPE.COLUMN_CLUSTERED, Emu(500000), Emu(1950000), Emu(6600000), Emu(4300000), data
            )
            chart = gf.chart
            chart.has_legend = s.chart_kind == "bars2"
            if chart.has_legend:
                chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.TOP, False
            chart.font.size, chart.font.name = Pt(14), FONT
            for axis, title in ((chart.category_axis, s.axes[0]), (chart.value_axis, s.axes[1])):
                if title:
                    axis.has_title = True
                    axis.axis_title.text_frame.text = title
                    axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
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


def figure(s: Slide, lang: str, height: int = 460):
    """The slide's chart as a plotly figure (also used by the Training page): axis titles, values
    on the bars, 18 px+ text, margins that keep every tick label whole."""
    import plotly.graph_objects as go

    if s.chart_kind == "none" or not len(s.chart):
        return None
    first, second = series_names(s, lang)
    columns = [("value", first, "#2f6db3")]
    if s.chart_kind == "bars2" and "deck" in s.chart:
        columns.append(("deck", second, "#e07b39"))
    bars = [
        go.Bar(
            x=list(s.chart["label"]),
            y=_values(s.chart[column]),
            name=name,
            marker_color=colour,
            text=[_fmt(v, s.value_format) for v in s.chart[column]],
            textposition="outside",
            cliponaxis=False,
        )
        for column, name, colour in columns
    ]
    tickformat = {"percent": ".0%", "money": ",.0f"}.get(s.value_format)
    # one layout, validated once (each update_layout/update_*axes call costs milliseconds)
    fig = go.Figure(
        bars,
        layout=dict(
            barmode="group",
            height=height,
            font=dict(family=f"{FONT}, sans-serif", size=18),
            margin=dict(l=90, r=20, t=50, b=80),
            plot_bgcolor="white",
            legend=dict(orientation="h", y=1.12, x=0),
            showlegend=s.chart_kind == "bars2",
            xaxis=dict(title=dict(text=s.axes[0] or None), automargin=True),
            yaxis=dict(
                title=dict(text=s.axes[1] or None),
                automargin=True,
                gridcolor="#eee",
                rangemode="tozero",
                **({"tickformat": tickformat} if tickformat else {}),
            ),
        ),
    )
    return fig


#: A slide is a 16:9 box fitted to the window (1280×720, 1920×1080, a projector); every size
#: is relative to its width, so the layout is the same on any screen and in print.
_CSS = """*{box-sizing:border-box}
html{scroll-snap-type:y mandatory}
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;background:#2b2f36;
  color:#1f2630}
section{--w:min(100vw,177.78vh);width:var(--w);height:calc(var(--w)*.5625);font-size:calc(var(--w)/64);
  margin:0 auto calc((100vh - var(--w)*.5625)) auto;background:#fff;padding:2.2em 3em 1.6em;position:relative;
  display:flex;flex-direction:column;overflow:hidden;scroll-snap-align:center;page-break-after:always}
h1{font-size:2em;line-height:1.2;margin:0 0 .3em}.take{font-size:1.25em;color:#2f6db3;margin:0 0 .6em}
.row{display:flex;gap:2em;flex:1;min-height:0}.chart{flex:3;min-width:0;min-height:0}
.chart>div{width:100%;height:100%}.side{flex:2;min-width:0;font-size:1em;overflow:hidden}
.side h3{font-size:.9em;color:#555;margin:.2em 0}.big{font-size:1.2em;font-weight:600}.co{color:#2f6db3!important}
.src{color:#777;font-size:.75em}.num{position:absolute;right:3em;top:1.2em;color:#999;font-size:.8em}
section.title{justify-content:center}section.title h1{font-size:2.8em}section.title .side{font-size:1.2em}
details{font-size:.8em;color:#555;margin-top:.4em}
@media print{@page{size:landscape;margin:0}body{background:#fff}
  section{--w:100vw;margin:0;box-shadow:none}details{display:none}}"""

#: Charts are fitted to their finished boxes; arrow keys, PageUp/PageDown (a clicker), space and
#: Home/End move one slide; N shows the notes.
_KEYS = """<script>(function(){const s=[...document.querySelectorAll('section')];
/* each chart was drawn while its slide was still being parsed: size it to its finished box */
const fit=()=>{if(window.Plotly)document.querySelectorAll('.plotly-graph-div').forEach(g=>{
const px=parseFloat(getComputedStyle(g.closest('section')).fontSize);
Plotly.relayout(g,{'font.size':Math.max(18,.9*px)}).then(()=>Plotly.Plots.resize(g))})};
window.addEventListener('resize',fit);
fit();window.addEventListener('load',fit);
function cur(){let b=0,d=1e9;s.forEach((x,i)=>{const t=Math.abs(x.getBoundingClientRect().top);if(t<d){d=t;b=i}});
return b}function go(i){i=Math.max(0,Math.min(s.length-1,i));s[i].scrollIntoView({block:'center'})}
document.addEventListener('keydown',e=>{const k=e.key;
if(['ArrowRight','ArrowDown','PageDown',' '].includes(k)){e.preventDefault();go(cur()+1)}
else if(['ArrowLeft','ArrowUp','PageUp'].includes(k)){e.preventDefault();go(cur()-1)}
else if(k==='Home'){e.preventDefault();go(0)}else if(k==='End'){e.preventDefault();go(s.length-1)}
else if(k==='n'||k==='N'){const d=s[cur()].querySelector('details');if(d)d.open=!d.open}});})();</script>"""


def html_document(slides: list[Slide], lang: str = "zh-CN") -> str:
    """One self-contained page: plotly.js inlined once, every slide a 16:9 section fitted to
    the window, keys to move, notes in <details> (N toggles them)."""
    tx = _Texts(lang)
    parts, first = [], True
    e = html.escape
    for i, s in enumerate(slides, 1):
        fig = figure(s, lang)
        chart = ""
        if fig is not None:
            fig.update_layout(height=None, autosize=True)
            chart = fig.to_html(
                full_html=False,
                include_plotlyjs=True if first else False,
                default_width="100%",
                default_height="100%",
                config={"displaylogo": False, "responsive": True, "displayModeBar": False},
            )
            first = False
        side = f"""<div class="side"><h3>{e(tx["slide.deck"])}</h3><p>{e(s.deck_claim)}</p>
<h3 class="co">{e(tx["slide.company"])}</h3><p class="big">{e(s.company).replace(chr(10), "<br>")}</p>
<p class="src">{e(tx["slide.source"])}: {e(s.source)}</p></div>"""
        body = f'<div class="row"><div class="chart">{chart}</div>{side}</div>' if chart else side
        parts.append(f"""<section class="{e(s.key)}"><div class="num">{i} / {len(slides)}</div><h1>{e(s.title)}</h1>
<p class="take">{e(s.takeaway).replace(chr(10), "<br>")}</p>{body}
<details><summary>{e(tx["slide.notes"])}</summary><p>{e(s.notes)}</p></details></section>""")
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(slides[0].title)}</title>
<style>{_CSS}</style></head><body>{"".join(parts)}{_KEYS}</body></html>"""
