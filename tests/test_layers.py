"""The house rules, read from the source so they stay true (conventions: Layers, Style).

analytics never imports streamlit, ui or pages; locales import nothing of ours but locales; ui
never imports pages; pages import no duckdb, hashlib or tempfile (they only lay out); no source
file over 400 lines; no code line over 120 characters (catalog prose aside).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import ROOT

SOURCES = sorted(
    p for d in ("analytics", "ui", "pages", "locales", "benchmarks", "tests") for p in (ROOT / d).rglob("*.py")
) + [ROOT / "app.py"]


def _imports(path: Path) -> set[str]:
    """Top-level package names a module imports (anywhere in it, lazy imports included)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out


FORBIDDEN = {
    "analytics": {"streamlit", "ui", "pages"},
    "locales": {"streamlit", "ui", "pages", "analytics", "duckdb", "pandas"},
    "ui": {"pages"},
    "pages": {"duckdb", "hashlib", "tempfile"},
}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layers_import_only_downwards(layer):
    offenders = {str(p.relative_to(ROOT)): sorted(_imports(p) & FORBIDDEN[layer]) for p in (ROOT / layer).rglob("*.py")}
    assert not {k: v for k, v in offenders.items() if v}


def test_no_source_file_over_400_lines():
    long = {
        str(p.relative_to(ROOT)): n for p in SOURCES if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long


def test_no_code_line_over_120_characters():
    long = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in SOURCES
        if "locales" not in p.relative_to(ROOT).parts  # catalogs are prose
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if len(line) > 120
    ]
    assert not long


def test_catalogs_hold_the_same_keys_in_every_language():
    from locales import LANGUAGES

    keys = {lang: set(catalog) for lang, catalog in LANGUAGES.items()}
    assert keys["zh-CN"] == keys["en"]
