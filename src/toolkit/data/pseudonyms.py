"""Pseudonymous person keys: every person key is replaced by a keyed hash when a table is read.

The data layer replaces each value of a person-key column (a schema field with
``metadata={"person_key": True}``: employee and contact keys) by its *pseudonym* before
anything else sees the table, so no raw key reaches a notebook kernel, a staged file, a cache
or a message. Analyses only compare keys (headcounts, rest between one person's shifts), so
they work on pseudonyms unchanged.

The pseudonym is ``P-`` followed by 10 characters (Crockford base 32, 50 bits) of
HMAC-SHA256(secret, key). It is short and readable in a debugging session, the same for the
same key in every table and every run of one installation, and cannot be reversed or
recomputed without the secret (a key space as small as 6-digit payroll numbers cannot be
enumerated without it).

The secret
----------
1. ``TOOLKIT_PSEUDONYM_KEY`` in the environment (at least 32 characters), e.g. from the
   hospital's secret store in a scheduled run; else
2. a key file: ``TOOLKIT_PSEUDONYM_KEY_FILE`` or, by default,
   ``$XDG_CONFIG_HOME/toolkit/pseudonym.key`` (``~/.config/toolkit/pseudonym.key``), outside
   the repository and the data folders. It is generated (32 random bytes) on first use with
   permissions 0600, and refused if others may read it.

Lose the key and the pseudonyms change (reports do not: they show counts, never keys). Share
the key only between the processes of one installation (runner and its workers).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import stat
from collections.abc import Collection
from functools import cache
from pathlib import Path

import pandas as pd

from toolkit.core.errors import ParameterError
from toolkit.data.schemas import TableModel

KEY_ENV = "TOOLKIT_PSEUDONYM_KEY"
KEY_FILE_ENV = "TOOLKIT_PSEUDONYM_KEY_FILE"
MIN_KEY_LENGTH = 32
PREFIX = "P-"
#: Characters after the prefix (5 bits each).
DIGEST_CHARS = 10
#: Every pseudonym matches this (and, with its prefix and length, nothing else in a report does).
PSEUDONYM_RE = re.compile(rf"\b{PREFIX}[0-9A-HJKMNP-TV-Z]{{{DIGEST_CHARS}}}\b")

_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TO_CROCKFORD = str.maketrans(_B32, _CROCKFORD)


def default_key_file() -> Path:
    """Where the generated secret lives when no key is given in the environment."""
    explicit = os.environ.get(KEY_FILE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "toolkit" / "pseudonym.key"


def _read_key_file(path: Path) -> bytes:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ParameterError(
            f"the pseudonym key file {path} may be read by others (mode {stat.S_IMODE(mode):o}); "
            f"make it private: chmod 600 {path}"
        )
    data = path.read_bytes().strip()
    if len(data) < MIN_KEY_LENGTH:
        raise ParameterError(f"the pseudonym key file {path} holds fewer than {MIN_KEY_LENGTH} characters")
    return data


def _create_key_file(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = secrets.token_hex(32).encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return _read_key_file(path)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data + b"\n")
    return data


@cache
def _secret(env_value: str | None, file: str) -> bytes:
    if env_value is not None:
        if len(env_value) < MIN_KEY_LENGTH:
            raise ParameterError(
                f"{KEY_ENV} must be at least {MIN_KEY_LENGTH} characters (e.g. `openssl rand -hex 32`)"
            )
        return env_value.encode()
    path = Path(file)
    return _read_key_file(path) if path.is_file() else _create_key_file(path)


def secret() -> bytes:
    """The installation's secret (environment first, then the private key file).

    Raises
    ------
    ParameterError
        If the key in the environment is too short, or the key file is readable by others.
    """
    return _secret(os.environ.get(KEY_ENV), str(default_key_file()))


def pseudonym(key: str, secret_key: bytes | None = None) -> str:
    """The pseudonym of one raw key (``P-`` and 10 base-32 characters)."""
    mac = hmac.new(secret_key or secret(), key.encode("utf-8"), hashlib.sha256).digest()
    text = base64.b32encode(mac[:10]).decode().translate(_TO_CROCKFORD)
    return PREFIX + text[:DIGEST_CHARS]


def is_pseudonym(value: object) -> bool:
    """True for a value that is a pseudonym (already replaced)."""
    return (
        isinstance(value, str)
        and len(value) == len(PREFIX) + DIGEST_CHARS
        and bool(PSEUDONYM_RE.fullmatch(value))
    )


def pseudonymise_series(values: pd.Series, secret_key: bytes | None = None) -> pd.Series:
    """Every non-empty value replaced by its pseudonym (empty cells stay empty).

    A cell is first read as text as validation reads it (an Excel ``1001.0`` is ``1001``), so
    the same person gets the same pseudonym from a CSV, a workbook and a Parquet file.
    """
    from toolkit.data.validation import text_series

    text = text_series(values)
    key = secret_key or secret()
    uniques = text.dropna().unique()
    mapping = {str(v): pseudonym(str(v), key) for v in uniques}
    return text.map(mapping).astype("string")


def person_key_columns(model: type[TableModel]) -> list[str]:
    """The person-key columns of a table model (field metadata ``person_key``)."""
    schema = model.to_schema()
    return [name for name, col in schema.columns.items() if (col.metadata or {}).get("person_key")]


def pseudonymise(
    frame: pd.DataFrame, model: type[TableModel], person_keys: Collection[str] = ()
) -> pd.DataFrame:
    """``frame`` with every person-key column of ``model`` replaced by pseudonyms, and the CPR-like
    numbers and the raw ``person_keys`` in its free texts masked
    (:func:`toolkit.data.privacy.mask_free_texts`)."""
    from toolkit.data.privacy import mask_free_texts  # privacy imports this module

    frame = mask_free_texts(frame, model, person_keys)
    columns = [c for c in person_key_columns(model) if c in frame]
    if not columns:
        return frame
    out = frame.copy()
    key = secret()
    for column in columns:
        out[column] = pseudonymise_series(out[column], key)
    return out


__all__ = [
    "KEY_ENV",
    "KEY_FILE_ENV",
    "PSEUDONYM_RE",
    "default_key_file",
    "is_pseudonym",
    "person_key_columns",
    "pseudonym",
    "pseudonymise",
    "pseudonymise_series",
    "secret",
]
