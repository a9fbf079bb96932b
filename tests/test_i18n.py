"""Both catalogs have every key, placeholders agree, and the app's keys exist."""

import re
import string

from locales.en import CATALOG as EN
from locales.zh_CN import CATALOG as ZH
from tests.helpers import ROOT


def test_same_keys():
    assert set(EN) == set(ZH), set(EN) ^ set(ZH)


def test_same_placeholders():
    for key in EN:
        fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
        assert fields(EN[key]) == fields(ZH[key]), key


def test_chinese_catalog_is_chinese():
    chinese = sum(bool(re.search(r"[\u4e00-\u9fff]", v)) for v in ZH.values())
    assert chinese / len(ZH) > 0.9


def test_every_literal_key_used_in_code_exists():
    used = set()
    for path in list((ROOT / "pages").glob("*.py")) + list((ROOT / "ui").glob("*.py")) + [ROOT / "app.py"]:
        used |= set(
            re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]*[a-z0-9_])["']""", path.read_text(encoding="utf-8"))
        )
    missing = sorted(k for k in used if k not in EN)
    assert not missing, missing
