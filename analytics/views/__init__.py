"""What each page shows, as data: one module per page, no streamlit.

A page module of ``pages/`` draws; the matching module here computes. Each holds the page's
sections as functions ``(con, f, …) -> small frozen dataclass or DataFrame`` (the app caches
each call on its arguments and the data version) and ``page(con, f, min_n)``: every section
at the widgets' default values, which is what a first visit computes. The benchmarks call
``PAGES`` (``tests/test_views.py`` checks that a page calls nothing its ``page`` leaves out).
"""

from __future__ import annotations

import importlib
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


def __getattr__(name: str) -> dict[str, Callable]:
    """``PAGES``: {page: its ``page(con, f, min_n)``}, built on first use."""
    if name != "PAGES":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return {n: importlib.import_module(f"{__name__}.{n}").page for n in NAMES}
