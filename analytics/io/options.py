"""What an import was asked to do beyond reading the file: constant columns and the import's
signature.

A constant column (``--set kind=purchase``, the Data page's "same value for every row") is an
order log's missing ``kind`` or one store's missing ``channel``: it is added to the staged file
as a column of its own, so it is typed and checked like any other and its errors name it.

An import's signature is the file's hash plus the choices that change what it writes
(mapping, scale, constants, sheet, encoding): the same file imported again with a better
mapping is a new import, not "already imported". Without choices the signature is the
file's hash, as it always was, so older import logs still recognise their files.
"""

from __future__ import annotations

import hashlib
import json

import duckdb

from analytics.io.readers import Staged
from analytics.io.validate import ImportValidationError


def constant_header(column: str, value: str) -> str:
    """The name a constant column has in messages: ``kind=purchase``."""
    text = f"{column}={value}"
    return text if len(text) <= 60 else text[:57] + "…"


def add_constants(
    con: duckdb.DuckDBPyConnection, staged: Staged, constants: dict[str, str], name: str
) -> dict[str, str]:
    """Add one text column per constant to the staged table; return {header: target column}."""
    added: dict[str, str] = {}
    for column, value in constants.items():
        header = constant_header(column, value)
        if header.lower() in (c.lower() for c in staged.columns):
            raise ImportValidationError(name, [(None, header, "the file already has a column of this name")], 1)
        literal = "'" + str(value).replace("'", "''") + "'"
        staged.add_column(con, header, literal)
        added[header.replace('"', "")] = column
    return added


def merged_mapping(mapping: dict[str, str | None] | None, constants: dict[str, str]) -> dict[str, str | None]:
    """The user's mapping with the constants' columns; a constant wins over a file column
    mapped to the same target (that file column is then ignored, not an error)."""
    out = {h: t for h, t in (mapping or {}).items() if t not in constants}
    out.update({h: None for h, t in (mapping or {}).items() if t in constants})
    return out


def signature(file_hash: str, **choices: object) -> str:
    """The import log's key: the file hash, or with choices a hash of both."""
    made = {k: v for k, v in choices.items() if v not in (None, {}, "auto", "")}
    if not made:
        return file_hash
    text = json.dumps(made, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{file_hash}\n{text}".encode()).hexdigest()
