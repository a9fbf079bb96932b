"""Optional access control: a password for managers and one for presenters (Training only).

Set ``CSAT_PASSWORD`` (and optionally ``CSAT_PRESENTER_PASSWORD``) in the environment, or
``password`` / ``presenter_password`` in .streamlit/secrets.toml. With neither set the app
serves the machine it runs on only: a session from another address is refused (the server
also listens on localhost by default, see .streamlit/config.toml). Passwords are compared in
constant time and never stored in session state; failed attempts are logged and throttled
per session and per client address (``throttle.py``).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from ui.throttle import SIGN_IN

log = logging.getLogger("csat.auth")


def _secret(env: str, key: str) -> str | None:
    value = os.environ.get(env)
    if value:
        return value
    try:
        return st.secrets.get(key)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 — no secrets file: no password
        return None


def passwords() -> tuple[str | None, str | None]:
    """(manager, presenter) passwords; (None, None) when the app is open."""
    return _secret("CSAT_PASSWORD", "password"), _secret("CSAT_PRESENTER_PASSWORD", "presenter_password")


def client_address() -> str | None:
    """The browser's address, None outside a browser session (AppTest has no client)."""
    try:
        address = st.context.ip_address
    except AttributeError:
        return None
    return address if isinstance(address, str) and address else None


def is_local(address: str | None) -> bool:
    """True for this machine (or no address at all: a test harness, not a network client)."""
    if not address:
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address == "localhost"


def role(t, pages: list[tuple[str, str, str, str]]) -> str:
    """'manager' or 'presenter' once signed in; otherwise draws the sign-in form and stops.

    The form is the only page of a hidden navigation with every page's address, so a deep
    link (/data) shows the form at that address, lists no page, and opens its page after
    signing in.
    """
    manager, presenter = passwords()
    if not manager and not presenter:
        if not is_local(client_address()):
            st.error(t("auth.local_only"))
            st.stop()
        return "manager"
    if st.session_state.get("_role"):
        return str(st.session_state["_role"])

    def sign_in() -> None:
        _form(t, manager, presenter)

    gate = [st.Page(sign_in, title=t("auth.title"), url_path=url, default=i == 0) for i, (*_, url) in enumerate(pages)]
    st.navigation(gate, position="hidden").run()
    st.stop()
    return ""


def _form(t, manager: str | None, presenter: str | None) -> None:
    st.title(t("auth.title"))
    ctx = get_script_run_ctx()
    address = client_address()
    keys = (f"session:{ctx.session_id if ctx else 'none'}",) + ((f"address:{address}",) if address else ())
    with st.form("auth_form"):
        given = st.text_input(t("auth.password"), type="password", key="auth_password")
        ok = st.form_submit_button(t("auth.sign_in"))
    if not ok:
        return
    wait = SIGN_IN.wait_seconds(keys)
    if wait > 0:  # too soon after a failure: the password is not even compared
        st.warning(t("auth.wait", seconds=f"{wait:.0f}"))
        return
    for name, expected in (("manager", manager), ("presenter", presenter)):
        if expected and hmac.compare_digest(given.encode(), expected.encode()):
            SIGN_IN.succeeded(keys)
            st.session_state["_role"] = name
            st.session_state.pop("auth_password", None)
            st.rerun()
    delay = SIGN_IN.failed(keys)
    log.warning("failed sign-in from %s (next attempt in %.0f s)", client_address() or "unknown", delay)
    st.error(t("auth.wrong"))


def sign_out_button(t) -> None:
    """A sidebar button that ends the signed-in session (only when a password is set)."""
    if any(passwords()) and st.sidebar.button(t("auth.sign_out"), key="auth_sign_out"):
        for key in ("_role", "filters"):
            st.session_state.pop(key, None)
        st.rerun()
