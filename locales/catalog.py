"""One translation function over two catalogs (zh-CN and en)."""

from __future__ import annotations

import contextvars

from locales.en import CATALOG as EN
from locales.zh_CN import CATALOG as ZH

LANGUAGES = {"zh-CN": ZH, "en": EN}
DEFAULT_LANGUAGE = "zh-CN"
LANGUAGE_NAMES = {"zh-CN": "中文", "en": "English"}
#: Key prefixes whose rest is a value from the company's data (shown as is when untranslated).
DATA_PREFIXES = frozenset({"dimension", "value", "cause", "outcome", "segment", "channel", "region"})


#: The currency of this script run / command: (English symbol, Chinese unit). Set once per run by
#: the app (ui) or the CLI from the database's setting (analytics/currency.py); ¥ / 元 by default.
_CURRENCY: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar("currency", default=("¥", "元"))


def use_currency(symbol: str, unit_zh: str) -> None:
    """Show amounts in this currency for the rest of this run (this thread)."""
    _CURRENCY.set((symbol, unit_zh))


def currency() -> tuple[str, str]:
    """(symbol, Chinese unit) of this run's currency: ("$", "美元")."""
    return _CURRENCY.get()


def _in_currency(key: str, text: str) -> str:
    """Catalog text with 元 / ¥ in this run's currency; the decks' own claims keep the decks' 元."""
    symbol, unit = _CURRENCY.get()
    if symbol == "¥" or "deck" in key:
        return text
    return text.replace("元", unit).replace("¥", symbol)


def translate(key: str, lang: str, **values) -> str:
    """The string for ``key`` in ``lang`` with ``{placeholders}`` filled in.

    An unknown key shows as itself so a missing translation is visible, never a crash; a
    company's own data value under a value prefix (a survey dimension named 价格 or speed)
    shows as that value, never as ``dimension.speed``.
    """
    catalog = LANGUAGES.get(lang, LANGUAGES[DEFAULT_LANGUAGE])
    text = catalog.get(key, EN.get(key))
    if text is None:
        prefix, _, value = key.partition(".")
        text = value if prefix in DATA_PREFIXES and value else key
    text = _in_currency(key, text)
    return text.format(**values) if values else text


def value_label(value: str | None, lang: str) -> str:
    """A data value (segment, channel, tier …) in the user's language when the catalog knows it."""
    if value is None:
        return "—"
    key = f"value.{value}"
    catalog = LANGUAGES.get(lang, LANGUAGES[DEFAULT_LANGUAGE])
    return catalog.get(key, str(value))


def normalise_language(text: str | None) -> str:
    """``zh``, ``zh-cn``, ``zh_CN`` → ``zh-CN``; anything else English or the default."""
    if not text:
        return DEFAULT_LANGUAGE
    low = text.lower().replace("_", "-")
    if low.startswith("zh"):
        return "zh-CN"
    if low.startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def reason_label(token: str, lang: str) -> str:
    """A stored churn reason in words with its direction: 'recency_days+' → 'days since last
    purchase: high' (older reasons without a direction read as the feature alone)."""
    if token[-1:] in ("+", "-"):
        key = "feature.high" if token.endswith("+") else "feature.low"
        return translate(key, lang, name=feature_label(token[:-1], lang))
    return feature_label(token, lang)


def feature_label(name: str, lang: str) -> str:
    """A churn-model feature in words: 'recency_days', 'region_杭州', 'missingindicator_nps', 'attr_num_age'."""
    if name.startswith("missingindicator_"):
        return translate("feature.missing", lang, name=feature_label(name[len("missingindicator_") :], lang))
    for prefix in ("attr_num_", "attr_cat_"):
        if name.startswith(prefix):
            return name[len(prefix) :]
    for dim in ("region", "segment", "channel"):
        if name.startswith(dim + "_"):
            return f"{translate('dim.' + dim, lang)} = {value_label(name[len(dim) + 1 :], lang)}"
    catalog = LANGUAGES.get(lang, LANGUAGES[DEFAULT_LANGUAGE])
    return catalog.get(f"feature.{name}", name)


def problem(text: str, lang: str) -> str:
    """An import problem (analytics/io's English message) in ``lang``, for the Data page."""
    import re

    from locales.en.problems import PROBLEMS as EN_PROBLEMS
    from locales.zh_CN.problems import PROBLEMS as ZH_PROBLEMS

    for pattern, template in ZH_PROBLEMS if lang == "zh-CN" else EN_PROBLEMS:
        text = re.sub(pattern, template, text)
    return text
