"""Customer lifetime value: the deck's arithmetic, retention-based CLV, BG/NBD + Gamma-Gamma."""
from .bgnbd import BGNBD
from .errors import ColumnError, ConvergenceError
from .gamma_gamma import GammaGamma
from .retention import clv_existing, clv_new, customer_equity
from .simple import SUPERMARKET, deck_ltv, deck_table
from .summary import summary
from .value import CLVResult, discounted_clv, fit_clv, holdout_check

__all__ = ["BGNBD", "GammaGamma", "ColumnError", "ConvergenceError", "clv_existing", "clv_new", "customer_equity",
           "deck_ltv", "deck_table", "SUPERMARKET", "summary", "CLVResult", "discounted_clv", "fit_clv",
           "holdout_check"]
