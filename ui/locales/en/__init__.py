"""en catalog, one module per part of the app (same keys in every language)."""
from .analysis import CATALOG as _ANALYSIS
from .core import CATALOG as _CORE
from .data import CATALOG as _DATA
from .value import CATALOG as _VALUE

CATALOG = {**_CORE, **_DATA, **_ANALYSIS, **_VALUE}
