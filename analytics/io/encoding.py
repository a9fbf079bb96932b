"""Which encoding a text file is in: decided on the whole file, not on its first megabyte.

Chinese Excel exports are GBK/GB18030, everything else UTF-8 (with or without BOM) or UTF-16
with a BOM. A sample guesses (`detect_encoding`); `file_encoding` checks the guess to the last
byte, so a character cut by the sample's end decides nothing and Chinese that starts after
the sample is still found.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

#: A lead byte of a three- or four-byte UTF-8 character (CJK text in UTF-8 has them).
_WIDE = re.compile(rb"[\xe0-\xff]")
#: Bytes read at a time by the whole-file check.
CHUNK = 1 << 24


class MixedEncodingError(ValueError):
    """UTF-8 up to a byte that is neither UTF-8 nor makes the file GB18030 (``line``: 1-based)."""

    def __init__(self, line: int):
        super().__init__(f"line {line}: bytes that are not valid UTF-8 or GB18030 (mixed encodings?)")
        self.line = line


def _is_cjk_text(text: str) -> bool:
    """True when every non-ASCII character is Chinese (CJK ideographs, punctuation, full width)."""
    return all(
        ord(ch) < 128 or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
        for ch in text
    )


def _decodes(data: bytes, encoding: str, complete: bool) -> str | None:
    """``data`` decoded, or None; a character cut by the end of an incomplete sample is fine."""
    try:
        return codecs.getincrementaldecoder(encoding)(errors="strict").decode(data, final=complete)
    except UnicodeDecodeError:
        return None


def detect_encoding(sample: bytes, complete: bool) -> str:
    """utf-8-sig, utf-8, utf-16 or gb18030 (Chinese Excel exports are usually GBK), from a sample.

    UTF-8 is chosen when the sample decodes as UTF-8, except when its only non-ASCII
    characters are two-byte ones outside the Latin ranges and the same bytes read as GB18030
    are all Chinese: a few GBK characters can form valid two-byte UTF-8 by chance ("抓" is
    "ץ"). A sample that is UTF-8 Chinese up to a bad byte is a file of mixed encodings and
    stays UTF-8, so the full decode reports the bad line. A multi-byte character cut by the
    sample's end never decides anything; `file_encoding` then checks the whole file.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    text = _decodes(sample, "utf-8", complete)
    if text is None:
        bad = _first_bad(sample, "utf-8")
        if any(b >= 0xE0 for b in sample[:bad]):  # real UTF-8 Chinese before it: mixed
            return "utf-8"
        return "gb18030" if _decodes(sample, "gb18030", complete) is not None else "utf-8"
    if any(b >= 0xE0 for b in sample) or text.isascii():
        return "utf-8"
    if all(ord(ch) < 0x250 for ch in text):  # Latin letters such as é, ü: UTF-8
        return "utf-8"
    gb = _decodes(sample, "gb18030", complete)
    return "gb18030" if gb is not None and _is_cjk_text(gb) else "utf-8"


def _first_bad(data: bytes, encoding: str) -> int:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start
    return len(data)


def _scan(path: Path, encoding: str) -> tuple[int, bool] | None:
    """None when the whole file decodes; else (line of the first bad byte, whether real UTF-8
    three- or four-byte characters came before it — the sign of a file of mixed encodings).

    Pure-ASCII chunks (most of a numeric export) are valid in either encoding and are not
    decoded; the byte tests run in C (a Python ``max`` over the bytes cost 6 s at 500 MB)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line, wide = 1, False
    with open(path, "rb") as src:
        while chunk := src.read(CHUNK):
            if not (chunk.isascii() and not decoder.getstate()[0]):  # nothing pending from the last chunk
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    before = chunk[: exc.start]
                    return line + chunk.count(b"\n", 0, exc.start), wide or _WIDE.search(before) is not None
                wide = wide or _WIDE.search(chunk) is not None
            line += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return line, wide
    return None


def file_encoding(path: Path, sample: bytes, complete: bool) -> str:
    """The encoding of the whole file: the sample's guess, checked to the last byte.

    A file whose first megabyte is plain ASCII (English headers, numeric rows) and whose
    Chinese text starts later is GB18030 when UTF-8 fails there and GB18030 reads it all; a
    file that is UTF-8 Chinese up to a bad byte is mixed and named with its line.
    """
    enc = detect_encoding(sample, complete)
    if enc != "utf-8":
        return enc
    bad = _scan(path, "utf-8")
    if bad is None:
        return enc
    line, wide = bad
    if not wide and _scan(path, "gb18030") is None:
        return "gb18030"
    raise MixedEncodingError(line)
