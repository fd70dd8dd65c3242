"""The privacy guard's check: does a report's own content show a person-level identifier?

The data layer replaces every person key by a pseudonym when it reads a table
(:mod:`toolkit.data.pseudonyms`), so a notebook holds no raw key. Before a report is written,
the runner checks what the report itself shows — the HTML *without* the embedded library
(plotly.js) and style sheet, the workbook's cell values, the KPI JSON — for

* **pseudonyms** (``P-`` and 10 base-32 characters: nothing else in a report looks like one);
* **raw person keys** (a word of the report whose pseudonym is one of the unit's pseudonyms:
  the raw keys themselves are never stored, not even for this check);
* **CPR-like numbers** (``DDMMYY-NNNN`` or ten digits with a valid day and month).

No false alarm for short or numeric keys: figures are never read as keys. Numbers (JSON
numbers, numeric workbook cells, the numbers in a chart's data) are not words of the report;
keys of one or two characters (``C1``) and numeric keys of fewer than six digits (``1001``)
cannot be told from ordinary text and numbers and are not looked for as raw keys (their
pseudonyms are). Longer keys with a letter are looked for as words anywhere in the text; a
numeric key of six digits or more (a payroll number) only as a whole value — a table cell, a
workbook text cell, a chart label, a JSON string — never inside a sentence, where it is a figure.
The raw-key check is a second line: the first is that no raw key reaches a notebook at all.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Collection, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import pandas as pd

from toolkit.data.pseudonyms import PSEUDONYM_RE, pseudonym, secret
from toolkit.data.schemas import TableModel

#: A word of the report (a key may contain letters, digits, '-' and '_').
_WORD = re.compile(r"[\w-]+")
_STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.S | re.I)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
#: A JavaScript/JSON string literal (a chart's labels, hover texts and titles are strings).
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_CPR = re.compile(r"(?<![\d-])(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])(\d{2})-?(\d{4})(?![\d-])")
#: Numeric keys shorter than this are not looked for as raw keys (they look like figures).
MIN_NUMERIC_KEY = 6
#: Keys shorter than this are not looked for as raw keys (``C1`` is also a grid reference).
MIN_KEY = 3


@dataclass(frozen=True)
class Leak:
    """Identifiers of one kind found in one part of a report (never the values themselves)."""

    kind: str  # "pseudonym", "person key" or "CPR-like number"
    part: str  # "HTML", "workbook" or "JSON"
    count: int

    def __str__(self) -> str:
        return f"{self.count} {self.kind}{'s' if self.count != 1 else ''} in the {self.part}"


def html_texts(html: str, embedded: Iterable[str] = ()) -> list[str]:
    """The report's own text in an HTML page: visible text and the strings of its scripts.

    ``embedded`` are the library texts the page inlines (plotly.js, the locale script): they
    are removed first, as are style sheets. Of the remaining scripts (a chart's data) only the
    string literals count: numbers in a chart's data are figures, not words.
    """
    for text in embedded:
        if text:
            html = html.replace(text, "")
    html = _STYLE.sub(" ", html)
    texts: list[str] = []
    for script in _SCRIPT.findall(html):
        texts += [_unescape_js(s) for s in _STRING.findall(script)]
    # Each piece of text between two tags is a value (a table cell, a heading, a paragraph).
    pieces = (html_lib.unescape(piece).strip() for piece in _TAG.split(_SCRIPT.sub(" ", html)))
    return texts + [piece for piece in pieces if piece]


def _unescape_js(text: str) -> str:
    try:
        return str(json.loads(f'"{text}"'))
    except ValueError:
        return text


def json_texts(value: object) -> list[str]:
    """Every string (keys included) of a JSON-like value; numbers are figures and left out."""
    found: list[str] = []
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, Mapping):
            found += [str(k) for k in item]
            todo += list(item.values())
        elif isinstance(item, list | tuple | set):
            todo += list(item)
    return found


def cell_texts(values: Iterable[object]) -> list[str]:
    """The text cells of a workbook (numbers, dates and booleans are figures)."""
    return [v for v in values if isinstance(v, str)]


def _looked_for(word: str, text: str) -> bool:
    """Is ``word`` of ``text`` a candidate raw key (see the module's rules)?"""
    if word.isdigit():
        return len(word) >= MIN_NUMERIC_KEY and text.strip() == word
    return len(word) >= MIN_KEY


def find_leaks(
    texts: Iterable[str],
    pseudonyms: AbstractSet[str],
    secret_key: bytes | None = None,
) -> dict[str, int]:
    """How many distinct identifiers of each kind occur in ``texts``.

    Parameters
    ----------
    texts
        The report's own texts (see :func:`html_texts`, :func:`json_texts`, :func:`cell_texts`).
    pseudonyms
        The pseudonyms of the unit's persons (from the staged data); a word whose pseudonym is
        among them is a raw key.
    secret_key
        The installation's secret (default: :func:`toolkit.data.pseudonyms.secret`).
    """
    seen_pseudonyms: set[str] = set()
    words: set[str] = set()
    cpr: set[str] = set()
    key = secret_key if secret_key is not None else (secret() if pseudonyms else b"")
    for text in texts:
        seen_pseudonyms |= set(PSEUDONYM_RE.findall(text))
        cpr |= {"".join(m.groups()) for m in _CPR.finditer(text)}
        if pseudonyms:
            words |= {w for w in _WORD.findall(text) if _looked_for(w, text)}
    # Each distinct candidate once: a report repeats its labels in many cells (one HMAC a word).
    raw = {w for w in words - seen_pseudonyms if pseudonym(w, key) in pseudonyms}
    counts = {"pseudonym": len(seen_pseudonyms), "person key": len(raw), "CPR-like number": len(cpr)}
    return {k: v for k, v in counts.items() if v}


def report_leaks(
    *,
    html: str,
    workbook_values: Iterable[object],
    kpis: object,
    pseudonyms: AbstractSet[str],
    embedded: Iterable[str] = (),
    secret_key: bytes | None = None,
) -> list[Leak]:
    """The identifiers a report would show, by kind and part (empty: the report may be written).

    Parameters
    ----------
    html
        The exported HTML page.
    workbook_values
        Every cell value of the report's workbook.
    kpis
        The report's JSON content (KPIs and artefacts), as a Python value.
    pseudonyms
        The pseudonyms of the persons in the unit's data (and the units below it).
    embedded
        Library texts inlined in the HTML (the plotly.js bundle, the locale script).
    """
    parts = {
        "HTML": html_texts(html, embedded),
        "workbook": cell_texts(workbook_values),
        "JSON": json_texts(kpis),
    }
    leaks: list[Leak] = []
    for part, texts in parts.items():
        for kind, count in find_leaks(texts, pseudonyms, secret_key).items():
            leaks.append(Leak(kind, part, count))
    return leaks


#: What a CPR-like number in a free text becomes when a table is read: the reader sees that
#: something was removed (a free text is masked, not refused: the unit wrote it, not the report).
CPR_NOTE = "[CPR-nr. fjernet]"


def mask_cpr(text: str) -> tuple[str, int]:
    """``text`` with every CPR-like number replaced by :data:`CPR_NOTE`, and how many there were."""
    return _CPR.subn(CPR_NOTE, text)


def free_text_columns(model: type[TableModel]) -> list[str]:
    """The free-text columns of a table model (field metadata ``free_text``: written by people)."""
    schema = model.to_schema()
    return [name for name, col in schema.columns.items() if (col.metadata or {}).get("free_text")]


#: What a person key (or a pseudonym) in a free text becomes when a table is read.
KEY_NOTE = "[personnøgle fjernet]"


def mask_keys(text: str, keys: Collection[str]) -> tuple[str, int]:
    """``text`` with every whole word that is one of the raw person ``keys``, and every pseudonym,
    replaced by :data:`KEY_NOTE`, and how many there were."""
    text, found = PSEUDONYM_RE.subn(KEY_NOTE, text)
    words = sorted((k for k in keys if len(k) >= 2), key=len, reverse=True)
    if not words:
        return text, found
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])")
    text, more = pattern.subn(KEY_NOTE, text)
    return text, found + more


def mask_free_texts(
    frame: pd.DataFrame, model: type[TableModel], person_keys: Collection[str] = ()
) -> pd.DataFrame:
    """``frame`` with the CPR-like numbers and the person keys in ``model``'s free-text columns masked.

    Called by :func:`toolkit.data.pseudonyms.pseudonymise` as a table is read, so no CPR number
    (:func:`mask_cpr`) and no person key of any unit (``person_keys``: the raw keys of the HR
    table, :func:`mask_keys`) in an explanation reaches a notebook: the reader sees a note where
    it stood. The runner's guard still refuses a report that shows one another way.
    """
    columns = [c for c in free_text_columns(model) if c in frame]
    if not columns:
        return frame
    out = frame.copy()

    def clean(value: object) -> object:
        if not isinstance(value, str):
            return value
        return mask_keys(mask_cpr(value)[0], person_keys)[0]

    for column in columns:
        out[column] = out[column].map(clean)
    return out


#: What :func:`mask_identifiers` puts in place of a person key, a pseudonym or a CPR-like number.
MASKED_KEY = "<person key>"
MASKED_CPR = "<cpr>"


def mask_identifiers(text: str, pseudonyms: Collection[str] = (), secret_key: bytes | None = None) -> str:
    """``text`` (a message) with every pseudonym, raw person key and CPR-like number masked.

    A message is no report: a word is masked when its pseudonym is one of ``pseudonyms``
    (the staged persons of every unit), a numeric word of six digits or more also inside a
    sentence (``found 'E1001'`` and ``found '482913'`` become ``found '<person key>'``).
    """
    text = PSEUDONYM_RE.sub(MASKED_KEY, text)
    text = _CPR.sub(MASKED_CPR, text)
    if not pseudonyms:
        return text
    key = secret_key if secret_key is not None else secret()

    def mask(match: re.Match[str]) -> str:
        word = match.group(0)
        short = len(word) < (MIN_NUMERIC_KEY if word.isdigit() else MIN_KEY)
        return word if short or pseudonym(word, key) not in pseudonyms else MASKED_KEY

    return _WORD.sub(mask, text)


def leak_message(leaks: Iterable[Leak]) -> str:
    """The runner's refusal: what was found where, never the identifiers themselves."""
    shown = "; ".join(str(leak) for leak in leaks)
    return f"privacy check failed: the report shows person-level identifiers ({shown}); nothing was written"


__all__ = [
    "CPR_NOTE",
    "MASKED_CPR",
    "MASKED_KEY",
    "Leak",
    "cell_texts",
    "find_leaks",
    "free_text_columns",
    "html_texts",
    "json_texts",
    "leak_message",
    "mask_cpr",
    "mask_free_texts",
    "mask_identifiers",
    "report_leaks",
]
