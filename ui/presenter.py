"""The training page's presentation view: the slide alone fitted to the screen, keys to move,
and a presenter-notes window that follows the slides from a second screen.

The notes window is another browser session, so the slide being shown is shared through a
*room*: an unguessable code made per presenting session, holding the slide index and the
slides' titles and notes (aggregates-only text). The notes window polls its room once a
second. Rooms live in this server process, like Streamlit's own sessions.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

import streamlit as st

#: Hide the app's chrome (sidebar, toolbar, page title) and size the slide by the screen's
#: height (vh): 1280×720, 1920×1080 and a projector show the same slide; the chart box takes
#: what the title and takeaway leave and plotly fills it (``height="stretch"``).
PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important}
[data-testid="stMainBlockContainer"] {padding: .5rem 2.5vw 0 !important; max-width: 100% !important}
[data-testid="stMain"] h2 {font-size: 5.6vh !important; padding: .2vh 0 !important}
.train-take {font-size: 3.4vh !important; margin: 0 0 1.5vh !important}
.train-side {font-size: 2.8vh !important} .train-side b {font-size: 2.3vh !important}
.train-side p.train-big {font-size: 3.4vh !important} .train-side p.train-src {font-size: 2vh !important}
.train-side p {font-size: 2.8vh !important; line-height: 1.4 !important}
.st-key-train_chart_box {height: calc(100vh - 13rem - 15vh) !important; flex: none !important}
.st-key-train_chart_box [data-testid="stElementContainer"] {flex: 1 1 auto !important; height: 100% !important}
</style><div id="csat-present"></div>"""

#: Arrow keys, PageUp/PageDown (what a clicker sends), space and Escape, while the view is on.
KEYS_JS = """<script>
if (!window.__csatKeys) {
  window.__csatKeys = true;
  document.addEventListener('keydown', (e) => {
    if (!document.getElementById('csat-present')) return;
    const t = e.target && e.target.tagName;
    if (t === 'INPUT' || t === 'TEXTAREA' || t === 'SELECT') return;
    const click = (k) => { const b = document.querySelector('.st-key-' + k + ' button');
      if (b && !b.disabled) { e.preventDefault(); b.click(); } };
    if (['ArrowRight', 'ArrowDown', 'PageDown', ' '].includes(e.key)) click('train_next');
    else if (['ArrowLeft', 'ArrowUp', 'PageUp'].includes(e.key)) click('train_prev');
    else if (e.key === 'Escape') {
      const x = document.querySelector('.st-key-train_present input');
      if (x) { e.preventDefault(); x.click(); }
    }
  });
}
</script>"""


@dataclass(frozen=True)
class Room:
    """What the notes window shows: the slide index and every slide's (title, notes)."""

    slide: int
    notes: tuple[tuple[str, str], ...]


@st.cache_resource(show_spinner=False)
def _rooms() -> tuple[dict[str, Room], threading.Lock]:
    return {}, threading.Lock()


def room_code() -> str:
    """This session's room (made on first use)."""
    if "train_room" not in st.session_state:
        st.session_state["train_room"] = secrets.token_urlsafe(12)
    return st.session_state["train_room"]


def publish(slide: int, notes: tuple[tuple[str, str], ...]) -> None:
    """Tell this session's notes window which slide is on screen."""
    rooms, lock = _rooms()
    with lock:
        if len(rooms) > 1000:  # a bound on memory: the oldest rooms go first
            for k in list(rooms)[:500]:
                rooms.pop(k, None)
        rooms[room_code()] = Room(slide, notes)


def room(code: str) -> Room | None:
    return _rooms()[0].get(code)


def present() -> None:
    """Draw the presentation view's CSS and key handler (call on every run while it is on)."""
    st.html(PRESENT_CSS)
    st.html(KEYS_JS, unsafe_allow_javascript=True)
