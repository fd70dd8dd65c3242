"""``metadata.yaml``: when a data folder's extract was made, and from where (validated).

The file is optional. When it is there it is validated like a table: not valid YAML, an
alias, something other than keys and values, or an ``as_of`` that is not a date is a structure
problem naming the file and the key, found by ``toolkit validate`` before any report runs.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from toolkit.core import safe_yaml
from toolkit.core.errors import DataStructureError
from toolkit.data.validation import Problem

METADATA_FILE = "metadata.yaml"
#: metadata.yaml holds a few lines; anything larger is not a metadata file.
MAX_METADATA_BYTES = 64 * 1024


class Metadata(BaseModel):
    """``metadata.yaml`` of a data folder: when the data were extracted, and from where."""

    model_config = ConfigDict(extra="allow", frozen=True)

    as_of: date | None = Field(None, description="The date the data were extracted (YYYY-MM-DD).")
    source: str | None = Field(None, description="Where the data come from (shown in the appendix).")
    not_collected: tuple[str, ...] = Field(
        (),
        description=(
            "Required tables this extract does not hold (e.g. finance where no ledger is shared): "
            "each is given as a file with its header only, and the reports say 'ingen data' for it."
        ),
    )


def metadata_problems(root: Path) -> tuple[Metadata | None, list[Problem]]:
    """Read and validate ``metadata.yaml`` (optional); the problems name the file and the key."""
    path = root / METADATA_FILE
    if not path.is_file():
        return None, []
    if path.stat().st_size > MAX_METADATA_BYTES:
        return None, [
            Problem(METADATA_FILE, METADATA_FILE, None, f"is larger than {MAX_METADATA_BYTES} bytes")
        ]
    try:
        content = safe_yaml.load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        what = (
            "holds a YAML alias (*name), which is not allowed"
            if isinstance(exc, safe_yaml.AliasError)
            else "is not valid YAML"
        )
        return None, [Problem(METADATA_FILE, METADATA_FILE, None, f"{what}{where}")]
    if content is None:
        return Metadata(), []
    if not isinstance(content, dict):
        return None, [
            Problem(METADATA_FILE, METADATA_FILE, None, "must hold keys and values (as_of: YYYY-MM-DD)")
        ]
    try:
        meta = Metadata.model_validate(content)
    except ValidationError as exc:
        problems = [
            Problem(
                METADATA_FILE,
                METADATA_FILE,
                None,
                f"'{'.'.join(str(x) for x in err['loc'])}' "
                + ("must be a date YYYY-MM-DD" if "date" in err["type"] else err["msg"].lower()),
                values=(str(err.get("input"))[:40],),
            )
            for err in exc.errors()
        ]
        return None, problems
    from toolkit.data.schemas import TABLES, table_meta

    wrong = [t for t in meta.not_collected if t not in TABLES or not table_meta(TABLES[t])["required"]]
    if wrong:
        required = sorted(t for t, m in TABLES.items() if table_meta(m)["required"])
        return None, [
            Problem(
                METADATA_FILE,
                METADATA_FILE,
                None,
                "'not_collected' names only required tables ("
                + ", ".join(required)
                + "); not "
                + ", ".join(repr(t) for t in wrong),
            )
        ]
    return meta, []


def as_of_from_metadata(root: Path) -> date | None:
    """The extraction date ``metadata.yaml`` states (``None`` without one); a bad file raises."""
    meta, problems = metadata_problems(root)
    if problems:
        raise DataStructureError(problems)
    return meta.as_of if meta is not None else None


def not_collected(root: Path) -> frozenset[str]:
    """The tables ``metadata.yaml`` declares not collected (none without a valid file)."""
    meta, problems = metadata_problems(root)
    if problems or meta is None:
        return frozenset()
    return frozenset(meta.not_collected)
