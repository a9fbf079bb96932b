"""Translation catalogs: plain data, one dict per language with the same keys (a test checks).

Below both layers: ``ui/`` and ``analytics/`` (slides, exports) import them alike.
"""

from locales.catalog import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    LANGUAGES,
    feature_label,
    normalise_language,
    reason_label,
    translate,
    value_label,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "feature_label",
    "reason_label",
    "normalise_language",
    "translate",
    "value_label",
]
