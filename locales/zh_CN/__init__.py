"""zh-CN catalog, one module per part of the app (same keys in every language)."""

from locales.zh_CN.analysis import CATALOG as _ANALYSIS
from locales.zh_CN.core import CATALOG as _CORE
from locales.zh_CN.data import CATALOG as _DATA
from locales.zh_CN.training import CATALOG as _TRAINING
from locales.zh_CN.value import CATALOG as _VALUE
from locales.zh_CN.voice import CATALOG as _VOICE

CATALOG = {**_CORE, **_DATA, **_ANALYSIS, **_VALUE, **_TRAINING, **_VOICE}
