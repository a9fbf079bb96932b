"""Optional access control: a password for managers and one for presenters (Training only).

Set ``CSAT_PASSWORD`` (and optionally ``CSAT_PRESENTER_PASSWORD``) in the environment, or
``password`` / ``presenter_password`` in .streamlit/secrets.toml. With neither set the app
is open. Passwords are compared in constant time and never stored in session state.
"""

from __future__ import annotations

import hmac
import os

import streamlit as st


def _secret(env: str, key: str) -> str | None:
    value = os.environ.get(env)
    if value:
        return value
    try:
        return st.secrets.get(key)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 — no secrets file: no password
        return None


def role(t) -> str:
    """'manager' or 'presenter' once signed in; draws the sign-in form and stops otherwise."""
    manager, presenter = _secret("CSAT_PASSWORD", "password"), _secret("CSAT_PRESENTER_PASSWORD", "presenter_password")
    if not manager and not presenter:
        return "manager"
    if st.session_state.get("_role"):
        return st.session_state["_role"]
    st.title(t("auth.title"))
    with st.form("auth_form"):
        given = st.text_input(t("auth.password"), type="password", key="auth_password")
        ok = st.form_submit_button(t("auth.sign_in"))
    if ok:
        for name, expected in (("manager", manager), ("presenter", presenter)):
            if expected and hmac.compare_digest(given.encode(), expected.encode()):
                st.session_state["_role"] = name
                st.session_state.pop("auth_password", None)
                st.rerun()
        st.error(t("auth.wrong"))
    st.stop()
    return ""
