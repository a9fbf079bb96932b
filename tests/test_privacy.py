"""The privacy gate: the early-stopping active count decides exactly as the full count does."""

import dataclasses

import pytest

from analytics import privacy
from analytics.filters import default_filters


@pytest.mark.parametrize("region_rank", [0, -1])
def test_gate_with_min_n_decides_as_the_exact_count(demo_con, region_rank):
    f0 = default_filters(demo_con)
    by_size = "SELECT region FROM customers GROUP BY 1 ORDER BY count(*) DESC"
    regions = [r for (r,) in demo_con.execute(by_size).fetchall()]
    f = dataclasses.replace(f0, region=(regions[region_rank],))
    exact = privacy.scope_size(demo_con, f)
    assert exact.active > 0
    # a minimum n the sample reaches, one just above the exact count, one at it
    for min_n in (1, 5, exact.active, exact.active + 1):
        quick = privacy.scope_size(demo_con, f, min_n)
        assert quick.customers == exact.customers
        assert quick.active <= exact.active
        assert privacy.hidden_reason(quick, min_n) == privacy.hidden_reason(exact, min_n)
    assert privacy.scope_size(demo_con, f, exact.active + 1).active == exact.active  # below the gate: exact
