"""Training (培训模式): the decks' ideas with the company's own numbers, presenter controls, quiz, export."""

from __future__ import annotations

import html

import streamlit as st

from analytics import training
from analytics.training.export import figure, html_document, pptx_bytes
from analytics.value import deck_ltv
from ui import data
from ui.frame import page_header
from ui.state import lang, min_n, t

f = page_header(__file__, "train.title", "train.tagline")
lg, mn = lang(), min_n()

# --- presenter controls -------------------------------------------------------------------
c1, c2, c3, c4 = st.columns([1, 1, 2, 2])
lock = c3.toggle(t("train.lock"), key="train_lock", help=t("train.lock_help"))
if lock:
    st.session_state.setdefault("train_locked_filters", f)
    f = st.session_state["train_locked_filters"]
else:
    st.session_state.pop("train_locked_filters", None)
notes_on = c4.toggle(t("train.notes"), key="train_notes")
slides = data.call(training.build_slides, f, lg, mn)
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

st.html("""<style>
[data-testid="stMain"] h2 {font-size: 2.6rem !important; line-height: 1.25}
.train-take {font-size: 1.6rem; color: #2f6db3; margin: .2rem 0 1rem}
.train-side {font-size: 1.35rem} .train-side b {font-size: 1.1rem; color: #555}
.train-big {font-size: 1.7rem; font-weight: 650; color: #1f2630}
.train-src {color: #888; font-size: 1rem}
</style>""")
st.caption(t("train.slide_of", i=i + 1, n=n) + " · " + t("overview.period", start=f.start, end=f.end, days=f.days))

if i < len(slides):
    s = slides[i]
    st.header(s.title)
    st.html('<p class="train-take">' + html.escape(s.takeaway).replace("\n", "<br>") + "</p>")
    left, right = st.columns([3, 2])
    fig = figure(s, lg)
    if fig is not None:
        left.plotly_chart(fig, key=f"train_chart_{s.key}")
    if s.key == "ltv":  # deck 000's arithmetic, live
        a = left.slider(t("ltv.amount"), 10, 1000, 100, 10, key="train_amount")
        fq = left.slider(t("ltv.frequency"), 1, 100, 10, key="train_freq")
        y = left.slider(t("ltv.years"), 1, 40, 10, key="train_years")
        g = left.slider(t("ltv.growth"), 0, 50, 10, key="train_growth", format="%d%%") / 100
        left.metric(
            t("ltv.value"),
            f"{deck_ltv(a, fq, y, g):,.0f} {t('unit.yuan')}",
            delta=f"{deck_ltv(a, fq, y, g) / deck_ltv(a, fq, y) - 1:+.1%}" if g else None,
        )
    e = html.escape
    right.html(f"""<div class="train-side"><b>{e(t("train.deck"))}</b><p>{e(s.deck_claim)}</p>
        <b>{e(t("train.company"))}</b><p class="train-big">{e(s.company)}</p>
        <p class="train-src">{e(t("train.source"))}: {e(s.source)}</p></div>""")
    if notes_on:
        st.info(s.notes)
else:
    st.header(t("train.quiz"))
    questions = training.quiz(slides, lg)
    answers = [
        st.radio(
            f"{k + 1}. {q.text}",
            range(len(q.options)),
            format_func=lambda o, q=q: q.options[o],
            index=None,
            key=f"train_q_{k}",
        )
        for k, q in enumerate(questions)
    ]
    if st.button(t("train.check"), key="train_check", type="primary"):
        score = sum(a == q.answer for a, q in zip(answers, questions))
        st.success(t("train.score", score=score, n=len(questions)))
        for k, (a, q) in enumerate(zip(answers, questions)):
            mark = "✅" if a == q.answer else "❌"
            st.markdown(f"{mark} **{k + 1}.** {q.options[q.answer]} — {q.explanation}")

# --- export -------------------------------------------------------------------------------
with st.expander(t("train.export")):
    st.caption(t("train.export_help"))
    if st.button(t("train.prepare"), key="train_prepare"):
        st.session_state["train_pptx"] = pptx_bytes(slides, lg)
        st.session_state["train_html"] = html_document(slides, lg).encode("utf-8")
    if "train_pptx" in st.session_state:
        e1, e2 = st.columns(2)
        e1.download_button(
            "PowerPoint (.pptx)", st.session_state["train_pptx"], file_name=f"training_{lg}.pptx", key="train_dl_pptx"
        )
        e2.download_button(
            "HTML",
            st.session_state["train_html"],
            file_name=f"training_{lg}.html",
            mime="text/html",
            key="train_dl_html",
        )
