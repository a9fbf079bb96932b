"""Training (培训模式): the decks' ideas with the company's own numbers, presenter controls, a
presentation view with a notes window, quiz, export."""

from __future__ import annotations

import html

import streamlit as st

from analytics import training
from analytics.training.export import figure, html_document, pptx_bytes
from analytics.value import deck_ltv
from ui import data, presenter
from ui.format import yuan
from ui.frame import page_header
from ui.state import lang, min_n, period_text, t

notes_room = st.query_params.get("notes")
presenting = bool(st.session_state.get("train_present")) and not notes_room
f = page_header(__file__, "train.title", "train.tagline", title=not presenting and not notes_room)
lg, mn = lang(), min_n()


@st.fragment(run_every=1.0)
def notes_window(code: str) -> None:
    """The presenter's second screen: this slide's notes and what comes next, following the room."""
    room = presenter.room(code)
    if room is None:
        st.info(t("train.notes_waiting"))
        return
    i, n = room.slide, len(room.notes) + 1
    st.caption(t("train.notes_now", i=i + 1, n=n))
    if i < len(room.notes):
        title, notes = room.notes[i]
        st.header(title)
        st.html(f'<p style="font-size:1.5rem;line-height:1.5">{html.escape(notes)}</p>')
    else:
        st.header(t("train.quiz"))
    following = room.notes[i + 1][0] if i + 1 < len(room.notes) else None
    st.caption(t("train.notes_next", title=following) if following else t("train.notes_last"))


if notes_room:
    st.title(t("train.notes_title"))
    notes_window(notes_room)
    st.stop()

# --- presenter controls -------------------------------------------------------------------
c1, c2, c3, c4, c5 = st.columns([1, 1, 2, 2, 2])
c3.toggle(t("train.present"), key="train_present", help=t("train.present_help"))
lock = c4.toggle(t("train.lock"), key="train_lock", help=t("train.lock_help"))
if lock:
    st.session_state.setdefault("train_locked_filters", f)
    f = st.session_state["train_locked_filters"]
else:
    st.session_state.pop("train_locked_filters", None)
notes_on = False if presenting else c5.toggle(t("train.notes"), key="train_notes")
slides = data.slides(f, lg, mn)
n = len(slides) + 1  # the quiz is the last slide
st.session_state.setdefault("train_slide", 0)

# A click is read before the buttons are drawn, so both buttons' states are for the slide shown
# (computing them first made Previous lag one click behind).
if st.session_state.get("train_prev"):
    st.session_state["train_slide"] -= 1
if st.session_state.get("train_next"):
    st.session_state["train_slide"] += 1
i = min(max(st.session_state["train_slide"], 0), n - 1)
st.session_state["train_slide"] = i
c1.button("◀ " + t("train.prev"), key="train_prev", disabled=i == 0)
c2.button(t("train.next") + " ▶", key="train_next", disabled=i >= n - 1)
if presenting:
    presenter.present()
    presenter.publish(i, tuple((s.title, s.notes) for s in slides))
    c5.link_button(t("train.notes_window"), f"training?notes={presenter.room_code()}&lang={lg}")

st.html("""<style>
[data-testid="stMain"] h2 {font-size: 2.6rem !important; line-height: 1.25}
.train-take {font-size: 1.6rem; color: #2f6db3; margin: .2rem 0 1rem}
.train-side {font-size: 1.35rem} .train-side b {font-size: 1.1rem; color: #555}
.train-big {font-size: 1.7rem; font-weight: 650; color: #1f2630}
.train-src {color: #888; font-size: 1rem}
.st-key-train_quiz label p, .st-key-train_quiz [role="radiogroup"] p {font-size: 1.3rem !important}
</style>""")
st.caption(t("train.slide_of", i=i + 1, n=n) + " · " + period_text(f, compared=False))

if i < len(slides):
    s = slides[i]
    st.header(s.title)
    st.html('<p class="train-take">' + html.escape(s.takeaway).replace("\n", "<br>") + "</p>")
    left, right = st.columns([3, 2])
    fig = figure(s, lg, height=460)
    if fig is not None:
        if presenting:  # the chart fills the box the presentation view sizes to the screen
            fig.update_layout(height=None, font_size=20)
            left.container(key="train_chart_box").plotly_chart(
                fig, key=f"train_chart_{s.key}", theme=None, height="stretch"
            )
        else:
            left.plotly_chart(fig, key=f"train_chart_{s.key}", theme=None)
    if s.key == "ltv":  # deck 000's arithmetic, live
        a = left.slider(t("ltv.amount"), 10, 1000, 100, 10, key="train_amount")
        fq = left.slider(t("ltv.frequency"), 1, 100, 10, key="train_freq")
        y = left.slider(t("ltv.years"), 1, 40, 10, key="train_years")
        g = left.slider(t("ltv.growth"), 0, 50, 10, key="train_growth", format="%d%%") / 100
        left.metric(
            t("ltv.value"),
            yuan(deck_ltv(a, fq, y, g), lg),
            delta=f"{deck_ltv(a, fq, y, g) / deck_ltv(a, fq, y) - 1:+.1%}" if g else None,
        )
    e = html.escape
    side = right if fig is not None or s.key == "ltv" else left
    side.html(f"""<div class="train-side"><b>{e(t("train.deck"))}</b><p>{e(s.deck_claim)}</p>
        <b>{e(t("train.company"))}</b><p class="train-big">{e(s.company).replace(chr(10), "<br>")}</p>
        <p class="train-src">{e(t("train.source"))}: {e(s.source)}</p></div>""")
    if notes_on:
        st.info(s.notes)
else:
    st.header(t("train.quiz"))
    questions = training.quiz(slides, lg)
    with st.container(key="train_quiz"):
        answers = [
            st.radio(
                f"{k + 1}. {q.text}",
                range(len(q.options)),
                format_func=lambda o, q=q: q.options[o],
                index=None,
                key=f"train_q_{k}",
                horizontal=True,
            )
            for k, q in enumerate(questions)
        ]
    b1, b2 = st.columns([1, 1])
    if b2.button(t("train.reset_quiz"), key="train_quiz_reset"):
        for k in range(len(questions)):
            st.session_state.pop(f"train_q_{k}", None)
        st.rerun()
    if b1.button(t("train.check"), key="train_check", type="primary"):
        score = sum(a == q.answer for a, q in zip(answers, questions))
        st.subheader(t("train.score", score=score, n=len(questions)))
        for k, (a, q) in enumerate(zip(answers, questions)):
            box = st.success if a == q.answer else st.error
            verdict = t("train.right") if a == q.answer else t("train.wrong", answer=q.options[q.answer])
            box(f"{k + 1}. {verdict} — {q.explanation}")

# --- export -------------------------------------------------------------------------------
if not presenting:
    with st.expander(t("train.export")):
        st.caption(t("train.export_help"))
        if st.button(t("train.prepare"), key="train_prepare"):
            st.session_state["train_pptx"] = pptx_bytes(slides, lg)
            st.session_state["train_html"] = html_document(slides, lg).encode("utf-8")
        if "train_pptx" in st.session_state:
            e1, e2 = st.columns(2)
            e1.download_button(
                "PowerPoint (.pptx)",
                st.session_state["train_pptx"],
                file_name=f"training_{lg}.pptx",
                key="train_dl_pptx",
            )
            e2.download_button(
                "HTML",
                st.session_state["train_html"],
                file_name=f"training_{lg}.html",
                mime="text/html",
                key="train_dl_html",
            )
