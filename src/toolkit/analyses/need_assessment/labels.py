"""Display names and small text helpers shared by the tables, charts and headlines of both reports."""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.analyses.need_assessment.params import INDICATORS, NeedAssessmentParams
from toolkit.analyses.need_assessment.texts import TEXTS
from toolkit.core.formatting import Language


def key_label(key: str, params: NeedAssessmentParams, lang: Language) -> str:
    """The display name of a criterion or indicator key."""
    if key in params.criteria:
        return params.criteria[key].name(lang)
    if key in INDICATORS:
        return TEXTS(f"ind.{key}", lang)
    return key


def tool_names(keys: list[str] | tuple[str, ...], params: NeedAssessmentParams, lang: Language) -> list[str]:
    """Display names of tool keys (a key the parameters do not know is shown as is)."""
    return [params.tools[k].name(lang) if k in params.tools else k for k in keys]


def source_names(keys: list[str] | tuple[str, ...], lang: Language) -> list[str]:
    """Display names of data sources."""
    return [TEXTS(f"src.{k}", lang) for k in keys]


def level_label(level: str, lang: Language) -> str:
    """The display name of a need level (``high``, ``medium``, ``low``)."""
    return TEXTS(f"level.{level}", lang)


def row_items(frame: pd.DataFrame) -> pd.Series:
    """Each row's True columns as a tuple of column names."""
    cols = np.array(frame.columns)
    return pd.Series([tuple(cols[row]) for row in frame.to_numpy(dtype=bool)], index=frame.index)


def decap(name: str) -> str:
    """A name inside a sentence: first letter lower case, unless the word is an acronym (KPI)."""
    first = name.split(" ", 1)[0]
    return name if len(first) > 1 and first[1].isupper() else name[:1].lower() + name[1:]


def cell_list(items: tuple[str, ...] | list[str]) -> str | None:
    """A list for a table cell: comma-separated, or None (shown as –) when empty."""
    return ", ".join(items) if items else None


def split_items(text: object) -> list[str]:
    """The keys of a ``;``-separated aggregate cell (``gap``, ``recommended``); none when empty."""
    return [x for x in str(text).split(";") if x] if isinstance(text, str) else []
