"""What each page shows, as data: one module per page, no streamlit.

A page module of ``pages/`` draws; the matching module here computes. Each holds the page's
sections as functions ``(con, f, …) -> small frozen dataclass or DataFrame`` (the app caches
each call on its arguments and the data version) and ``page(con, f, min_n)``: every section
at the widgets' default values, which is what a first visit computes. The benchmarks call
``PAGES`` (``tests/test_views.py`` checks that a page calls nothing its ``page`` leaves out).
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from analytics.filters import Filters
from analytics.views import (
    complaints,
    customer,
    lifetime_value,
    loyalty,
    overview,
    retention,
    satisfaction,
    training,
    voice,
)

PAGES: dict[str, Callable[[duckdb.DuckDBPyConnection, Filters, int], object]] = {
    "overview": overview.page,
    "satisfaction": satisfaction.page,
    "complaints": complaints.page,
    "loyalty": loyalty.page,
    "retention": retention.page,
    "lifetime_value": lifetime_value.page,
    "customer": customer.page,
    "training": training.page,
    "voice": voice.page,
}
