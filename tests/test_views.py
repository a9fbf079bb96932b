"""Each page's data: ``analytics.views`` computes what the page draws, and its ``page`` (what the
benchmarks time) covers every cached call the page makes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analytics.filters import default_filters
from analytics.views import PAGES
from tests.helpers import ROOT


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            fn = call.func
            names.add(fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", ""))
    return names


def _page_calls(page_file: Path) -> set[str]:
    """Last names of the functions a page runs through ``data.call(fn, …)``."""
    out = set()
    for call in ast.walk(ast.parse(page_file.read_text(encoding="utf-8"))):
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "call"
            and getattr(call.func.value, "id", "") == "data"
        ):
            target = call.args[0]
            out.add(target.attr if isinstance(target, ast.Attribute) else target.id)
    return out


@pytest.mark.parametrize("name", sorted(PAGES))
def test_view_page_covers_what_the_page_calls(name):
    view = ROOT / "analytics" / "views" / f"{name}.py"
    tree = ast.parse(view.read_text(encoding="utf-8"))
    (page_fn,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "page"]
    missing = _page_calls(ROOT / "pages" / f"{name}.py") - _called_names(page_fn)
    assert not missing, f"pages/{name}.py calls {missing}, which analytics/views/{name}.py:page leaves out"


def test_every_view_runs_on_the_demo(demo_path):
    from analytics import db

    with db.connect(demo_path, read_only=True) as con:
        f = default_filters(con, "this_year")
        results = {name: page(con, f, 10) for name, page in PAGES.items()}
    figures, trend, tile, groups, loaded = results["overview"]
    assert all(loaded.values())  # the demo holds every kind of data
    assert tile.value is not None and tile.value > 0 and tile.n >= 10  # 元 / customer, the Overview tile
    assert len(groups) >= 5  # regions
    drivers = results["satisfaction"][5]
    assert set(drivers.kano["dimension"]) == {"tangibles", "reliability", "responsiveness", "assurance", "empathy"}
    pareto, *_, zones, _, grid = results["loyalty"]
    assert 0.2 < pareto.top20 < 1 and zones.total > 0 and grid["n"].sum() > 0
    definition, life, *_, survival, warnings = results["retention"]
    assert definition.flag and sum(life.stages.counts.values()) > 0 and warnings.active > 0
    assert life.flows["customers"].sum() > 0
    assert set(survival.curves["group"]) <= {"consumer", "smb", "enterprise"} and len(survival.medians) == 3
    hits, standing, history, _texts = results["customer"]
    assert standing.profile["customer_id"] == "C0000042" and standing.stage is not None
    assert len(history.timeline) > 0


def test_the_views_load_lazily_and_preload_in_the_background():
    """A page's first run imports its own view only (the Overview's does not wait for sklearn or
    scipy); ``preload`` then imports every other view in a thread, once."""
    import subprocess
    import sys

    code = (
        "import sys; from analytics import views; import analytics.views.overview;"
        "assert 'sklearn' not in sys.modules and 'scipy' not in sys.modules, 'eager';"
        "t = views.preload(0); assert views.preload() is t; t.join(60);"
        "assert all(f'analytics.views.{n}' in sys.modules for n in views.NAMES), 'not preloaded';"
        "assert 'sklearn' in sys.modules; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "ok", out.stderr
