"""Training mode: slides in both languages, quiz, PPTX and HTML exports, privacy."""

import re

import pytest

from analytics import training
from analytics.filters import default_filters
from analytics.training import to_html, to_pptx

KEYS = [
    "title",
    "triangle",
    "expectation",
    "levels",
    "kano",
    "voice",
    "intelligence",
    "outcomes",
    "five_vs_four",
    "zones",
    "pareto",
    "lifecycle",
    "ltv",
    "supermarket",
    "seven_steps",
]


@pytest.fixture(scope="module", params=["zh-CN", "en"])
def slides(request, demo_path):
    from analytics import db

    con = db.connect(demo_path, read_only=True)
    f = default_filters(con, "this_year")
    out = training.build_slides(con, f, request.param)
    con.close()
    return request.param, out


def test_slides_in_the_decks_order(slides):
    lang, s = slides
    assert [x.key for x in s] == KEYS
    for x in s:
        assert x.title and x.takeaway and x.deck_claim and x.company and x.source and x.notes
    if lang == "zh-CN":
        assert all(re.search(r"[\u4e00-\u9fff]", x.title) for x in s)
    ltv = next(x for x in s if x.key == "ltv")
    assert list(ltv.chart["value"]) == [1000, 10000, 13310]
    assert next(x for x in s if x.key == "supermarket").chart["value"].iloc[0] == 208000


def test_quiz_has_answers_and_explanations(slides):
    lang, s = slides
    q = training.quiz(s, lang)
    assert 8 <= len(q) <= 10
    for item in q:
        assert 0 <= item.answer < len(item.options) and item.explanation


def test_pptx_opens_with_slides_titles_notes_and_native_charts(slides, tmp_path):
    from pptx import Presentation

    lang, s = slides
    path = to_pptx(s, tmp_path / "deck.pptx", lang)
    prs = Presentation(str(path))
    assert len(prs.slides) == len(s)
    charts = 0
    for slide, src in zip(prs.slides, s):
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        assert src.title in texts
        assert src.notes in slide.notes_slide.notes_text_frame.text
        charts += sum(1 for sh in slide.shapes if sh.has_chart)
    assert charts == sum(1 for x in s if x.chart_kind != "none" and len(x.chart))  # every slide with data: a chart


def test_html_is_self_contained(slides, tmp_path):
    lang, s = slides
    text = to_html(s, tmp_path / "deck.html", lang).read_text(encoding="utf-8")
    assert text.count("<section") == len(s)
    assert not re.search(r"""<script[^>]+src=["']https?://""", text)  # plotly.js is inlined
    assert not re.search(r"""<link[^>]+href=["']https?://""", text)
    assert "Plotly" in text


def test_no_customer_identifier_anywhere(slides, tmp_path, demo_path):
    """Privacy: no customer id or name in any slide, note, quiz or export."""
    from analytics import db

    lang, s = slides
    con = db.connect(demo_path, read_only=True)
    people = con.execute("SELECT customer_id, name FROM customers").fetchall()
    con.close()
    ids = {i for i, _ in people}
    names = {n for _, n in people if n and len(n) >= 2}
    blobs = []
    for x in s:
        blobs += [
            x.title,
            x.takeaway,
            x.deck_claim,
            x.company,
            x.source,
            x.notes,
            " ".join(map(str, x.chart.get("label", []))),
        ]
    blobs += [q.text + " ".join(q.options) + q.explanation for q in training.quiz(s, lang)]
    page = to_html(s, tmp_path / "d.html", lang).read_text(encoding="utf-8")
    blobs.append(re.sub(r"<script[\s\S]*?</script>", "", page))  # the page without the inlined plotly.js
    from pptx import Presentation

    prs = Presentation(str(to_pptx(s, tmp_path / "d.pptx", lang)))
    for slide in prs.slides:
        blobs += [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        blobs.append(slide.notes_slide.notes_text_frame.text)
    text = "\n".join(blobs)
    assert not re.search(r"C\d{7}", text)
    assert not any(i in text for i in ids)
    leaked = [n for n in names if n in text]
    assert not leaked, leaked[:5]


def test_a_handful_of_customers_gives_no_deck(demo_path):
    """武汉 + enterprise + key leaves 3 customers: no slide is built (and the CLI says why)."""
    from dataclasses import replace

    from analytics import db, privacy

    con = db.connect(demo_path, read_only=True)
    f = replace(default_filters(con, "this_year"), region=("武汉",), segment=("enterprise",), tier=("key",))
    with pytest.raises(privacy.Hidden):
        training.build_slides(con, f, "en", 10)
    con.close()


def test_small_cells_are_left_out_of_slides(demo_path):
    """With a minimum n above some groups' counts, those groups leave the slides' charts and
    the figures over them read "—" — never a count or share of a handful of customers."""
    from analytics import db

    con = db.connect(demo_path, read_only=True)
    f = default_filters(con, "last_90_days")
    by = {s.key: s for s in training.build_slides(con, f, "en", 300)}
    con.close()
    stages = by["lifecycle"].chart
    assert len(stages) and (stages["value"] >= 300).all()
    assert len(by["pareto"].chart) < 4  # the key tier (top 1 %) has fewer than 300 buyers
    zones = by["zones"].chart
    assert (zones["value"] >= 300).all()


def test_deck_cli_refuses_a_tiny_scope(demo_path, tmp_path, capsys):
    from analytics.cli import main

    assert main(["deck", "--db", str(demo_path), "--out", str(tmp_path / "d.html"), "--min-n", "100000"]) == 2
    assert "minimum n" in capsys.readouterr().err
    assert not (tmp_path / "d.html").exists()


def test_company_questions_offer_plausible_numbers(slides):
    """The company questions give three numbers in one format, the measured one not always in
    the same place, and no giveaway like "all of them" / "none of them"."""
    lang, s = slides
    company = training.quiz(s, lang)[6:]
    assert len(company) == 3
    assert len({q.answer for q in company}) == 3
    for q in company:
        assert len(set(q.options)) == 3
        assert all(re.fullmatch(r"\d+(\.\d)?[%×]", o) for o in q.options), q.options
        assert q.options[q.answer] in q.explanation


def test_every_chart_says_what_it_counts(slides):
    lang, s = slides
    for x in s:
        if x.chart_kind != "none" and len(x.chart):
            assert x.axes[1], x.key  # a projected chart's y axis has a title


def test_html_deck_slides_fit_the_screen(slides, tmp_path):
    """Each slide is a 16:9 section with the chart box beside the text, sized from the window."""
    lang, s = slides
    page = to_html(s, tmp_path / "d.html", lang).read_text(encoding="utf-8")
    assert page.count("<section") == len(s)
    assert "min(100vw,177.78vh)" in page and "Plotly.Plots.resize" in page and "PageDown" in page
