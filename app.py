"""Entry point: page config, access, language, global filters and navigation (st.navigation)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.frame import leave_legacy_run
from ui.metrics_guard import close_metrics

leave_legacy_run()  # first: no list of file names in the sidebar while a cold server starts

close_metrics()  # before any cached function exists: /_stcore/metrics would name them, unsigned

from analytics import views  # noqa: E402
from analytics.db import DatabaseInUseError, DatabaseOpenError, SchemaError  # noqa: E402
from ui import auth, data, frame, state  # noqa: E402

st.set_page_config(
    page_title="客户满意度与价值 · Customer satisfaction & value",
    page_icon=str(Path(__file__).parent / "ui" / "favicon.png"),  # served by the app: no icon CDN (blocked in China)
    layout="wide",
    initial_sidebar_state="expanded",
)

#: (file, title key, icon, url path) in the order of the decks' argument.
PAGES = [
    ("pages/overview.py", "nav.overview", ":material/dashboard:", "overview"),
    ("pages/satisfaction.py", "nav.satisfaction", ":material/sentiment_satisfied:", "satisfaction"),
    ("pages/complaints.py", "nav.complaints", ":material/report:", "complaints"),
    ("pages/voice.py", "nav.voice", ":material/forum:", "voice"),
    ("pages/loyalty.py", "nav.loyalty", ":material/workspace_premium:", "loyalty"),
    ("pages/retention.py", "nav.retention", ":material/trending_down:", "retention"),
    ("pages/lifetime_value.py", "nav.ltv", ":material/savings:", "lifetime_value"),
    ("pages/training.py", "nav.training", ":material/school:", "training"),
    ("pages/customer.py", "nav.customer", ":material/person_search:", "customer"),
    ("pages/data.py", "nav.data", ":material/database:", "data"),
]
user_role = auth.role(state.t, PAGES)
try:
    data.begin_run()
    data.apply_currency()
    filters = state.sidebar()
except DatabaseInUseError as exc:
    st.error(state.t("error.in_use", detail=str(exc)))
    st.stop()
except (DatabaseOpenError, SchemaError) as exc:  # damaged, empty, a folder, a newer program's file
    st.error(state.t("error.open", detail=str(exc)))
    st.stop()
st.session_state["filters"] = filters
auth.sign_out_button(state.t)
if user_role == "presenter":  # presenters see training mode only: aggregates, no customer
    PAGES = [p for p in PAGES if p[3] == "training"]
pages = [
    st.Page(path, title=state.t(key), icon=icon, url_path=url if i else "home", default=i == 0)
    for i, (path, key, icon, url) in enumerate(PAGES)
]


def _by_name() -> None:
    """/overview, the first page's own name as people type and share it: the default page
    (served at /) with the same query, not Streamlit's "Page not found"."""
    st.switch_page(pages[0], query_params=st.query_params.to_dict())


pages.append(st.Page(_by_name, title=state.t(PAGES[0][1]), url_path=PAGES[0][3], visibility="hidden"))


frame.mark_framed()  # this run passed the access check: its page may draw
try:
    st.navigation(pages).run()
finally:
    frame.unmark()
    data.end_run()
    views.preload()  # after the first page: the other pages' imports while the visitor reads
