"""The statement bank of the shift-planning self-assessment: six themes, their statements, the scale.

``params/shift_assessment/statements.yaml`` is the toolkit's own bank (the official statements
could not be obtained). An institution points ``shift_assessment.statements_file`` to its own
file; it must keep the six theme ids. :func:`load_bank` validates it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from toolkit.analyses.shift_assessment.params import ShiftAssessmentParams
from toolkit.core.errors import ParameterError
from toolkit.core.formatting import Language
from toolkit.data.params import Params

THEMES = (
    "competences",
    "organisation",
    "agreements",
    "system_support",
    "link_to_activity",
    "management_information",
)
SCALE = (1, 2, 3, 4, 5)

_ID_RE = re.compile(r"^[A-Za-z0-9_.-]+$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """A text in Danish and English."""

    da: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: Language) -> str:
        """The text in ``lang``."""
        return self.da if lang == "da" else self.en


class Statement(_Model):
    """One statement to rate."""

    id: str
    da: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id_ok(cls, value: str) -> str:
        if not _ID_RE.match(value):
            raise ValueError(f"statement id must be letters, digits, '.', '-' or '_'; got {value!r}")
        return value

    def text(self, lang: Language) -> str:
        """The statement in ``lang``."""
        return self.da if lang == "da" else self.en


class Theme(_Model):
    """A theme of the assessment with its statements and suggested next steps."""

    id: str
    name: Text
    statements: list[Statement] = Field(min_length=1)
    next_steps: list[Text] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in THEMES:
            raise ValueError(f"theme id must be one of {', '.join(THEMES)}; got {value!r}")
        return value


class Bank(_Model):
    """The statement bank: the six themes, their statements and the scale's labels."""

    version: str
    source: Text
    scale: dict[int, Text]
    themes: list[Theme]

    @model_validator(mode="after")
    def _complete(self) -> Bank:
        if sorted(self.scale) != list(SCALE):
            raise ValueError(f"scale must label exactly 1, 2, 3, 4 and 5; got {sorted(self.scale)}")
        ids = [t.id for t in self.themes]
        missing = [t for t in THEMES if t not in ids]
        if missing or len(ids) != len(THEMES):
            raise ValueError(f"themes must be the six {', '.join(THEMES)} once each; got {', '.join(ids)}")
        seen: set[str] = set()
        for theme in self.themes:
            for st in theme.statements:
                if st.id in seen:
                    raise ValueError(f"statement id {st.id!r} occurs twice")
                seen.add(st.id)
        return self

    def statements(self) -> pd.DataFrame:
        """Every statement in bank order: ``statement_id``, ``theme``, ``order``, ``text_da``, ``text_en``."""
        rows = [
            (st.id, th.id, i, st.da, st.en)
            for i, (th, st) in enumerate((th, st) for th in self.themes for st in th.statements)
        ]
        return pd.DataFrame(rows, columns=["statement_id", "theme", "order", "text_da", "text_en"])

    def theme(self, theme_id: str) -> Theme:
        """The theme ``theme_id``."""
        return next(t for t in self.themes if t.id == theme_id)

    def theme_names(self, lang: Language) -> dict[str, str]:
        """Theme id → name in ``lang``, in bank order."""
        return {t.id: t.name.get(lang) for t in self.themes}


def bank_path(params_dir: str | Path, params: Params) -> Path:
    """Where the unit's statement bank is (``shift_assessment.statements_file``)."""
    path = Path(params.section("shift_assessment", ShiftAssessmentParams).statements_file)
    return path if path.is_absolute() else Path(params_dir) / path


def load_bank(path: str | Path) -> Bank:
    """Read and validate a statement bank.

    Raises
    ------
    ParameterError
        If the file is missing, not YAML, or breaks the bank's rules (the message names the
        file and the key).
    """
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"statement bank {path} is missing (parameter shift_assessment.statements_file)")
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({exc})") from None
    try:
        return Bank.model_validate(content)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = ".".join(str(x) for x in err["loc"]) or "(top level)"
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"{path}: '{loc}' {msg}")
        raise ParameterError("\n".join(lines)) from None
