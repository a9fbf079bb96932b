"""What each page shows, as data: one module per page, no streamlit.

A page module of ``pages/`` draws; the matching module here computes. Each holds the page's
sections as functions ``(con, f, …) -> small frozen dataclass or DataFrame`` (the app caches
each call on its arguments and the data version) and ``page(con, f, min_n)``: every section
at the widgets' default values, which is what a first visit computes. The benchmarks call
``PAGES`` (``tests/test_views.py`` checks that a page calls nothing its ``page`` leaves out).
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable

#: The pages in the decks' order; each module is imported when asked for, so a page's first
#: run after a server start imports its own view, not every view's models (sklearn, scipy).
NAMES = (
    "overview",
    "satisfaction",
    "complaints",
    "loyalty",
    "retention",
    "lifetime_value",
    "customer",
    "training",
    "voice",
)


_preloading: list[threading.Thread] = []


#: Seconds the preload waits first: the first page's last messages and its drawing in the
#: browser go before the imports take the interpreter (measured: +0.5 s on the Overview without).
PRELOAD_AFTER_S = 2.0


def preload(after: float = PRELOAD_AFTER_S) -> threading.Thread:
    """Import every page's view in a background thread, once per process: the app calls it after
    its first page has run, so the next page a visitor opens finds sklearn and scipy loaded
    (a page importing meanwhile waits on Python's import lock, never imports twice)."""

    def run() -> None:
        time.sleep(after)
        for n in NAMES:
            importlib.import_module(f"{__name__}.{n}")

    if not _preloading:
        thread = threading.Thread(target=run, name="csat-preload", daemon=True)
        _preloading.append(thread)
        thread.start()
    return _preloading[0]


def __getattr__(name: str) -> dict[str, Callable]:
    """``PAGES``: {page: its ``page(con, f, min_n)``}, built on first use."""
    if name != "PAGES":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return {n: importlib.import_module(f"{__name__}.{n}").page for n in NAMES}
