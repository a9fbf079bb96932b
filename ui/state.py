"""Language and global filters: sidebar widgets kept in session state and in the URL.

The URL query string carries ``lang``, ``preset``, ``start``/``end`` (custom period) and
comma-separated ``region``, ``segment``, ``channel``, ``tier``, so a shared link opens the
same view. Widgets are drawn by app.py on every page, so their state persists across pages.
"""

from __future__ import annotations

import datetime as dt
import os

import streamlit as st

from analytics.filters import COMPARISONS, FILTER_GROUPS, PRESETS, Filters, preset_period
from locales import LANGUAGE_NAMES, normalise_language, translate, value_label
from ui import data

MIN_N_DEFAULT = 10
#: The floor a presenter cannot go below: the manager's CSAT_MIN_N, and never under 10.
PRESENTER_MIN_N = max(MIN_N_DEFAULT, int(os.environ.get("CSAT_MIN_N", MIN_N_DEFAULT)))


def lang() -> str:
    return st.session_state.get("lang", normalise_language(st.query_params.get("lang")))


def t(key: str, **values) -> str:
    """Translate in the session's language."""
    return translate(key, lang(), **values)


def labeller(prefix: str):
    """A ``format_func`` translating ``prefix + value`` in the language of this run.

    The language is bound now: widgets may call the function outside the script run.
    """
    current = lang()
    return lambda value: translate(f"{prefix}{value}", current)


def values():
    """A ``format_func`` for data values (segment, channel, tier …) in this run's language."""
    current = lang()
    return lambda value: value_label(value, current)


def _init_from_url() -> None:
    """Seed the widgets from the query string on a session's first run, and again whenever
    the widget state is gone (a run that did not draw the sidebar drops it; the URL still
    holds the view)."""
    if st.session_state.get("_url_loaded") and "lang" in st.session_state:
        return
    qp = st.query_params
    st.session_state["lang"] = normalise_language(qp.get("lang"))
    preset = qp.get("preset", "last_90_days")
    st.session_state["f_preset"] = preset if preset in PRESETS else "last_90_days"
    if "start" in qp and "end" in qp:
        try:
            st.session_state["f_dates"] = (dt.date.fromisoformat(qp["start"]), dt.date.fromisoformat(qp["end"]))
            st.session_state["f_preset"] = "custom"
        except ValueError:
            pass
    for dim in FILTER_GROUPS:
        if qp.get(dim):
            st.session_state[f"f_{dim}"] = [v for v in qp[dim].split(",") if v]
    st.session_state["f_compare"] = qp.get("compare") if qp.get("compare") in COMPARISONS else "previous"
    st.session_state["_url_loaded"] = True


MANAGED = {"lang", "preset", "start", "end", "compare", *FILTER_GROUPS}


def _write_url(f: Filters) -> None:
    # a page's own parameters (e.g. ?customer=) are kept; the filters' are rewritten
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in MANAGED}
    params.update({"lang": lang(), "preset": st.session_state.get("f_preset", "last_90_days")})
    if params["preset"] == "custom":
        params.update(start=f.start.isoformat(), end=f.end.isoformat())
    for dim in FILTER_GROUPS:
        if getattr(f, dim):
            params[dim] = ",".join(getattr(f, dim))
    if f.compare != "previous":
        params["compare"] = f.compare
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def reset_filters() -> None:
    st.session_state["f_preset"] = "last_90_days"
    for dim in FILTER_GROUPS:
        st.session_state[f"f_{dim}"] = []


def narrow(dimension: str, value: str) -> None:
    """Set one group filter to a single value (from a segment table selection)."""
    st.session_state[f"f_{dimension}"] = [value]


def sidebar() -> Filters | None:
    """Draw language and filters in the sidebar; return the filters (None without data)."""
    _init_from_url()
    # Streamlit's idiom for keeping widget values across pages: re-assign them before the
    # widgets are drawn. Without it a page switch can reset the selectboxes to their first
    # option (a shared English link fell back to Chinese on the next page).
    for key in ("lang", "f_preset", "f_min_n", "f_compare"):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    con = data.cursor()
    version = data.version()
    with st.sidebar:
        st.selectbox(
            translate("sidebar.language", lang()), list(LANGUAGE_NAMES), key="lang", format_func=LANGUAGE_NAMES.get
        )
        st.subheader(t("filters.header"))
        rng = data.cached_range(con, version)
        if rng is None:
            return None
        first, last = rng
        st.caption(t("filters.data_range", first=first, last=last))
        st.selectbox(t("filters.period"), PRESETS, key="f_preset", format_func=labeller("preset."))
        if st.session_state["f_preset"] == "custom":
            default = st.session_state.get("f_dates") or preset_period("last_90_days", first, last)
            lo, hi = max(first, min(default[0], last)), max(first, min(default[-1], last))
            st.session_state["f_dates"] = (lo, hi)
            picked = st.date_input(t("filters.dates"), key="f_dates", min_value=first, max_value=last)
            start, end = (picked[0], picked[-1]) if isinstance(picked, (tuple, list)) and picked else (lo, hi)
        else:
            start, end = preset_period(st.session_state["f_preset"], first, last)
        st.selectbox(t("filters.compare"), COMPARISONS, key="f_compare", format_func=labeller("compare."))
        groups = {}
        for dim in FILTER_GROUPS:
            options = data.cached_group_values(con, version, dim)
            key = f"f_{dim}"
            if key in st.session_state:  # drop values the data no longer has (e.g. after an import)
                st.session_state[key] = [v for v in st.session_state[key] if v in options]
            groups[dim] = tuple(
                st.multiselect(t(f"dim.{dim}"), options, key=key, placeholder=t("filters.all"), format_func=values())
            )
        presenter = st.session_state.get("_role") == "presenter"
        if presenter:  # aggregates-only mode: the minimum n is the manager's, not the presenter's
            st.session_state["f_min_n"] = PRESENTER_MIN_N
        st.number_input(
            t("filters.min_n"),
            disabled=presenter,
            min_value=1,
            max_value=100_000,
            value=MIN_N_DEFAULT,
            step=1,
            key="f_min_n",
            help=t("filters.min_n_help"),
        )
        st.button(t("filters.reset"), on_click=reset_filters, key="f_reset")
        st.caption(t("filters.share"))
    f = Filters(start, end, **groups, compare=st.session_state.get("f_compare", "previous"))
    _write_url(f)
    return f


def min_n() -> int:
    if st.session_state.get("_role") == "presenter":
        return PRESENTER_MIN_N
    return int(st.session_state.get("f_min_n", MIN_N_DEFAULT))


def hidden_note(k: int, where=st) -> None:
    """Say under a chart or table that ``k`` groups under the minimum n were left out."""
    if k:
        where.caption("🔒 " + t("privacy.groups_hidden", k=k, n=min_n()))


def period_text(f: Filters, compared: bool = True) -> str:
    """The period in words, and what its changes compare with (the period before, or last year's)."""
    if not compared:
        return t("overview.period_only", start=f.start, end=f.end, days=f.days)
    p = f.previous()
    key = "overview.period_last_year" if f.compare == "last_year" else "overview.period"
    return t(key, start=f.start, end=f.end, days=f.days, pstart=p.start, pend=p.end)


def repurchase_note(window: int) -> str:
    """Which answers or complaints a repurchase rate uses: those with a full follow-up window
    before the data ends, whatever the period (a repurchase needs time to happen)."""
    from analytics.satisfaction.repurchase import data_end

    end = data.call(data_end)  # the last purchase (a timestamp)
    if end is None:
        return ""
    return t("sat.window_note", window=window, cutoff=(end - dt.timedelta(days=window)).date(), end=end.date())
