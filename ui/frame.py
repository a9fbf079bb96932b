"""Make sure every page runs inside app.py's frame (filters, language, navigation).

Streamlit keeps a relic of its first multipage design: while a ``pages/`` folder exists
and ``st.navigation`` has not yet run in this server process, a request for a page URL
(for example a shared link to /data right after a restart) executes ``pages/data.py``
alone, without app.py. Each page calls ``require_frame()`` first: in that case it switches
the relic off and asks for a rerun *by page name* (a plain ``st.rerun`` would keep the
legacy page hash, which st.navigation does not know, and land on the default page with a
"page not found" box). The page names of app.py's ``url_path`` equal the file names, so
the rerun opens the same page inside the frame. Uses Streamlit internals (1.67); the
browser test ``test_deep_link_after_restart`` guards it.

A page never trusts that flag alone: app.py marks each run that went through its access
check (``mark_framed``) and clears the mark when the run ends. A page whose run carries no
mark draws nothing and reruns inside the frame, so no session can reach a page's content
without signing in, even when another session switched the relic off mid-race.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import streamlit as st
from streamlit.commands.execution_control import _force_yield_point
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

FRAME_KEYS = (
    "-lang",
    "-f_preset",
    "-f_compare",
    "-f_dates",
    "-f_region",
    "-f_segment",
    "-f_channel",
    "-f_tier",
    "-f_min_n",
    "-f_reset",
)


#: Session-state key of the per-run mark set by app.py after its access check.
FRAMED = "_framed_run"


def mark_framed() -> None:
    """app.py: this run went through the frame and its access check (cleared by ``unmark``)."""
    st.session_state[FRAMED] = True


def unmark() -> None:
    """app.py, in a ``finally``: the next run must earn its mark again."""
    st.session_state.pop(FRAMED, None)


def require_frame(page_file: str) -> None:
    """Call first thing in a page with ``__file__``: returns only inside app.py's frame."""
    if st.session_state.get(FRAMED):
        return
    PagesManager.uses_pages_directory = False
    ctx = get_script_run_ctx()
    if ctx is None or ctx.script_requests is None:
        st.stop()
    widgets = WidgetStates()
    try:  # keep what the user just entered (AppTest takes this path on every run of a page)
        # the page's own widgets only: the sidebar was not drawn in this run, so its states are
        # stale; app.py restores those from the URL
        widgets.widgets.extend(w for w in ctx.session_state._state.get_widget_states() if not w.id.endswith(FRAME_KEYS))
    except AttributeError:
        pass
    _rerun_by_name(ctx, ctx.pages_manager.intended_page_name or Path(page_file).stem, widgets)


def leave_legacy_run() -> None:
    """app.py, before anything else: when Streamlit runs app.py through its legacy ``pages/``
    wrapper (the first run after a server start), that wrapper has just sent a page list of
    raw file names ("app", "complaints", …) that would stay in the sidebar until app.py's own
    navigation, seconds later on a cold server. Replace it at once with a hidden navigation,
    switch the relic off and run again as a modern app (same page, same query)."""
    if not PagesManager.uses_pages_directory:
        return
    PagesManager.uses_pages_directory = False
    ctx = get_script_run_ctx()
    if ctx is None or ctx.script_requests is None:
        return
    st.navigation([st.Page(_blank, title="…", url_path="starting", default=True)], position="hidden")
    _rerun_by_name(ctx, ctx.pages_manager.intended_page_name or "", WidgetStates())


def _blank() -> None:
    """The placeholder page of ``leave_legacy_run``'s hidden navigation (never run)."""


def _rerun_by_name(ctx, name: str, widgets: WidgetStates) -> None:
    """Stop this run and rerun the page called ``name`` ("" for the default page) inside
    app.py's navigation, keeping the query string."""
    query = urlencode(st.query_params.to_dict()) or ctx.query_string
    ctx.script_requests.request_rerun(
        RerunData(
            query_string=query,
            page_script_hash="",
            page_name=name,
            widget_states=widgets,
            cached_message_hashes=ctx.cached_message_hashes,
            context_info=ctx.context_info,
        )
    )
    _force_yield_point()
    st.stop()  # never fall through to the page's content outside the frame


def page_header(
    page_file: str,
    title_key: str,
    tagline_key: str,
    aggregates: bool = True,
    title: bool = True,
    needs: tuple[str, ...] = (),
):
    """Every analysis page's start: run inside the frame, title and tagline, the global filters
    (stops with a note when there is no data at all). A page that ``needs`` kinds of data the
    database has never held (analytics/coverage.py) says which and where to load them. A page
    of ``aggregates`` also stops when the filters leave fewer customers than the minimum n
    (analytics/privacy.py)."""
    from analytics import coverage, privacy
    from ui import data
    from ui.state import lang, min_n, t

    require_frame(page_file)
    if title:  # the training page's presentation view shows the slide alone
        demo_banner()
        st.title(t(title_key))
        st.caption(t(tagline_key))
    filters = st.session_state.get("filters")
    loaded = data.call(coverage.loaded)
    missing = [k for k in needs if not loaded[k]]
    if missing:
        sep = "、" if lang() == "zh-CN" else "; "
        st.info(t("empty.needs", what=sep.join(t("empty.kind." + k) for k in missing)))
        if st.session_state.get("_role") != "presenter":
            st.page_link("pages/data.py", label=t("demo.to_data"), icon=":material/upload_file:")
        st.stop()
    if filters is None:
        st.info(t("overview.no_data"))
        st.stop()
    if aggregates:
        mn = min_n()
        reason = privacy.hidden_reason(data.call(privacy.scope_size, filters, mn), mn)
        if reason:
            st.warning(t(reason, n=mn))
            st.stop()
    return filters


def demo_banner() -> None:
    """While the database holds demo rows: say so above the title, with the way out."""
    from analytics import origin
    from ui import data
    from ui.state import t

    held = data.call(origin.origin)
    if held not in ("demo", "mixed"):
        return
    with st.container(key="demo_banner", horizontal=True, vertical_alignment="center"):
        st.caption(":material/science: " + t("demo.banner" if held == "demo" else "demo.banner_mixed"), width="content")
        if st.session_state.get("_role") != "presenter":  # a presenter has no Data page to go to
            st.page_link("pages/data.py", label=t("demo.to_data"), icon=":material/upload_file:", width="content")
