"""en catalog, one module per part of the app (same keys in every language)."""

from locales.en.analysis import CATALOG as _ANALYSIS
from locales.en.core import CATALOG as _CORE
from locales.en.data import CATALOG as _DATA
from locales.en.training import CATALOG as _TRAINING
from locales.en.value import CATALOG as _VALUE
from locales.en.voice import CATALOG as _VOICE

CATALOG = {**_CORE, **_DATA, **_ANALYSIS, **_VALUE, **_TRAINING, **_VOICE}
