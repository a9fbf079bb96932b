"""Close Streamlit's ``/_stcore/metrics`` endpoint: it answers without the sign-in and names
the app's cached functions and their memory (issue 18).

Streamlit 1.67 has no setting for it, so the first script run of the process takes the route
out of the running Starlette router (a list it reads on every request), before app.py defines
any cached function. A request then gets what any unknown path gets. Uses Streamlit internals
(Server → UvicornServer → uvicorn config → Starlette app); ``tests/e2e/test_metrics_closed.py``
guards it against an upgrade that moves them.
"""

from __future__ import annotations

import gc
import logging
import threading

_lock = threading.Lock()
_done = False
log = logging.getLogger(__name__)


def _starlette_apps():
    from streamlit.web.server.server import Server

    for server in (o for o in gc.get_objects() if isinstance(o, Server)):
        uvicorn_server = getattr(getattr(server, "_starlette_server", None), "_server", None)
        app = getattr(getattr(uvicorn_server, "config", None), "app", None)
        if app is not None and hasattr(app, "router"):
            yield app


def close_metrics() -> None:
    """Remove the metrics routes once per process (cheap after the first call)."""
    global _done
    if _done:
        return
    with _lock:
        if _done:
            return
        removed, apps = 0, 0
        for app in _starlette_apps():
            apps += 1
            keep = [r for r in app.router.routes if not str(getattr(r, "path", "")).endswith("/_stcore/metrics")]
            removed += len(app.router.routes) - len(keep)
            app.router.routes[:] = keep
        if apps and not removed:  # no server at all (AppTest, bare mode): nothing to close
            log.warning("could not close /_stcore/metrics (Streamlit internals changed?)")
        _done = True
