"""Numbers people read: units, periods and language-specific forms."""

from __future__ import annotations

import math
import re

import pandas as pd

from locales.catalog import currency

#: Rows a page lists in a table; its CSV download holds every row. 30,000 open complaints were
#: a 1.6 MB table the browser waited for at 1M customers (73 KB at 500).
LISTED_ROWS = 500


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def shown(v: object, digits: int = 10) -> str:
    """A data value as text, "—" when it is missing (None, NaN, NaT, empty): never "None" or
    "NaT" on a page. ``digits`` cuts a timestamp to its date (10)."""
    if v is None or (not isinstance(v, str) and pd.isna(v)) or str(v).strip() == "":
        return "—"
    text = str(v)
    return text[:digits] if hasattr(v, "year") and hasattr(v, "month") else text


def named(customer_id: str, name: object) -> str:
    """``C0001 · 王芳``, or the id alone when the name is missing (no trailing dot)."""
    return f"{customer_id} · {name}" if shown(name) != "—" else str(customer_id)


def money(v: float | None, lang: str) -> str:
    """Amounts in the database's currency (analytics/currency.py): 万元 / 亿元 in Chinese for
    large values, the symbol with thousands separators in English (¥1,234, $1.23 M)."""
    if _missing(v):
        return "—"
    symbol, unit = currency()
    if lang == "zh-CN":
        if abs(v) >= 1e8:
            return f"{v / 1e8:,.2f} 亿{unit}"
        if abs(v) >= 1e4:
            return f"{v / 1e4:,.1f} 万{unit}"
        return f"{v:,.0f} {unit}"
    if abs(v) >= 1e6:
        return f"{symbol}{v / 1e6:,.2f} M"
    return f"{symbol}{v:,.0f}"


def yuan(v: float | None, lang: str, deck: bool = False) -> str:
    """An exact amount in the language's one currency style: ``¥208,000`` in English,
    ``208,000 元`` in Chinese. ``deck``: a figure the decks quote, always in their 元."""
    if _missing(v):
        return "—"
    symbol, unit = ("¥", "元") if deck else currency()
    return f"{v:,.0f} {unit}" if lang == "zh-CN" else f"{symbol}{v:,.0f}"


def count(v: float | None, lang: str = "en") -> str:
    return "—" if _missing(v) else f"{v:,.0f}"


def pct(v: float | None, digits: int = 1) -> str:
    """A share (0–1) as a percentage."""
    return "—" if _missing(v) else f"{100 * v:.{digits}f}%"


def signed(v: float | None, digits: int = 2, suffix: str = "") -> str:
    return "—" if _missing(v) else f"{v:+.{digits}f}{suffix}"


def figure_value(key: str, v: float | None, lang: str) -> str:
    """A key figure in its natural unit."""
    if key == "revenue":
        return money(v, lang)
    if key in ("csat", "complaint_rate", "retention_rate"):
        return pct(v)
    if key == "nps":
        return "—" if _missing(v) else f"{v:+.0f}"
    if key == "mean_gap":
        return signed(v, 2)
    return count(v, lang)


def figure_change(key: str, v: float | None, lang: str) -> str | None:
    """The change against the previous period, in the figure's unit (pp for shares)."""
    if _missing(v):
        return None
    pp = "pp" if lang == "en" else " 个百分点"
    if key == "revenue":
        return ("+" if v >= 0 else "-") + money(abs(v), lang)  # ASCII sign: st.metric reads it
    if key in ("csat", "complaint_rate", "retention_rate"):
        return f"{100 * v:+.1f}{pp if lang == 'en' else pp}"
    if key == "nps":
        return f"{v:+.1f}"
    if key == "mean_gap":
        return f"{v:+.2f}"
    return f"{v:+,.0f}"


_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:"


def plain(text: object) -> str:
    """A value from the data or the user (a file name, an attribute) made safe for markdown:
    every markdown character escaped, so ``![x](http://host/t.png)`` shows as text and the
    browser fetches nothing, and bare addresses kept from becoming links. Tables (st.dataframe)
    show data as text already; this is for alerts, captions and labels."""
    escaped = "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in str(text))
    # GFM turns bare addresses into links even when escaped: a zero-width space defuses them
    return re.sub(r"(?i)(www)(\\\.)", "\\1\u200b\\2", escaped.replace("\\:", "\\:\u200b"))


def uploader_css(button: str, instructions: str) -> str:
    """CSS that puts the page's language on Streamlit's file uploader, whose own button
    ("Upload") and size note ("200MB per file") are English only: the English text is hidden
    and ours drawn in its place (CSS strings escaped)."""

    def css(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    return f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{display: none}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {{content: {css(button)}}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{display: none}}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{content: {css(instructions)}; font-size: .85rem;
  color: #6b7280}}
</style>"""
