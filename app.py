"""Entry point: page config, language, global filters and navigation (st.navigation)."""
from __future__ import annotations

import streamlit as st

from analytics.db import DatabaseInUseError
from ui import state

st.set_page_config(page_title="客户满意度与价值 · Customer satisfaction & value", page_icon=":material/insights:",
                   layout="wide", initial_sidebar_state="expanded")

try:
    filters = state.sidebar()
except DatabaseInUseError as exc:
    st.error(state.t("error.in_use", detail=str(exc)))
    st.stop()
st.session_state["filters"] = filters

pages = [
    st.Page("pages/overview.py", title=state.t("nav.overview"), icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/satisfaction.py", title=state.t("nav.satisfaction"), icon=":material/sentiment_satisfied:",
            url_path="satisfaction"),
    st.Page("pages/complaints.py", title=state.t("nav.complaints"), icon=":material/report:", url_path="complaints"),
    st.Page("pages/loyalty.py", title=state.t("nav.loyalty"), icon=":material/workspace_premium:", url_path="loyalty"),
    st.Page("pages/retention.py", title=state.t("nav.retention"), icon=":material/trending_down:", url_path="retention"),
    st.Page("pages/lifetime_value.py", title=state.t("nav.ltv"), icon=":material/savings:", url_path="lifetime_value"),
    st.Page("pages/training.py", title=state.t("nav.training"), icon=":material/school:", url_path="training"),
    st.Page("pages/customer.py", title=state.t("nav.customer"), icon=":material/person_search:", url_path="customer"),
    st.Page("pages/data.py", title=state.t("nav.data"), icon=":material/database:", url_path="data"),
]
st.navigation(pages).run()
