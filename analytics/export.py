"""Exports people open in Excel: CSV with formula injection defused; files written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Prefix text that Excel would run as a formula (= + - @) with a quote (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (so Excel shows Chinese correctly), text cells defused."""
    clean = frame.copy()
    for col in clean.columns:
        if clean[col].dtype == object:
            clean[col] = clean[col].map(safe_cell)
    clean.columns = [safe_cell(str(c)) for c in clean.columns]
    return clean.to_csv(index=False).encode("utf-8-sig")


class OutputError(OSError):
    """An export could not be written (the message names the file and why, in one line)."""


def write_file(path: Path | str, content: bytes) -> Path:
    """Write ``content`` to a temporary name beside ``path`` and rename it into place: a full
    disk or a kill leaves no half file. A missing folder is an error, not created silently."""
    out = Path(path)
    if not out.parent.is_dir():
        raise OutputError(f"{out}: the folder {out.parent} does not exist")
    tmp = out.with_name(f".{out.name}.part")
    try:
        tmp.write_bytes(content)
        tmp.replace(out)
    except OSError as exc:
        raise OutputError(f"{out}: could not be written ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return out
