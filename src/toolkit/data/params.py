"""Typed report parameters: YAML defaults plus per-unit overrides, validated on load.

Files in a parameter folder (``params/``):

``defaults.yaml``
    every parameter with its default;
``units/<unit_id>.yaml``
    overrides for a unit. Overrides are inherited down the hierarchy: a centre's file applies
    to its departments, and a department's own file wins.

An unknown key or a wrong type is an error that names the file and the key (papermill only
warns on an unknown notebook parameter, so the runner relies on this check).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic.config import JsonDict
from pydantic_core import to_jsonable_python

from toolkit.core import safe_yaml
from toolkit.core.errors import ParameterError
from toolkit.core.keys import ID_PATTERN, MAX_KEY_LENGTH

UNIT_ID_RE = re.compile(ID_PATTERN)
DEFAULTS_FILE = "defaults.yaml"
UNITS_DIR = "units"


def check_unit_id(unit_id: object) -> str:
    """Return ``unit_id`` if it is safe to use in a path (letters, digits, ``-``, ``_``).

    Raises
    ------
    ParameterError
        For anything else, e.g. ``"../x"``.
    """
    if not isinstance(unit_id, str) or not UNIT_ID_RE.match(unit_id):
        shown = (
            repr(unit_id)
            if len(str(unit_id)) <= MAX_KEY_LENGTH
            else f"{str(unit_id)[:20]!r}… ({len(str(unit_id))} characters)"
        )
        raise ParameterError(
            f"unit id must consist of letters, digits, '-' and '_', at most {MAX_KEY_LENGTH} characters; got {shown}"
        )
    return unit_id


#: What a parameter's number counts (shown after it): ``pct`` a percentage, ``share`` a fraction
#: shown as a percentage (0.8 → 80 %), ``kr`` an amount, and units of time and count.
ParamUnit = Literal["pct", "share", "kr", "mb", "hours", "days", "months", "persons", "contacts", "points"]


def label(
    da: str,
    en: str,
    *,
    unit: ParamUnit | None = None,
    values: Mapping[str, tuple[str, str]] | str | None = None,
    refs: Sequence[str] = (),
) -> JsonDict:
    """A parameter field's label in Danish and English, for ``Field(json_schema_extra=...)``.

    The report appendix and the workbook's parameter sheet show the label, not the dotted name.
    ``unit`` says what a number counts when the field's name does not (``_pct``, ``_kr``,
    ``_hours``, ``_days``, ``_months`` and ``_mb`` endings are read from the name). ``values``
    names each choice of a ``Literal`` field (or each key of a mapping) as ``{value: (danish,
    english)}``, or gives a text-key prefix in the section's own namespace (``"method"``: the
    name of ``run_rate`` is the text ``<section>.method.run_rate``) where the analysis's texts
    already name them. ``refs`` names mappings of the same section whose keys the value is (a
    rule's ``tools`` are keys of the section's ``tools``): the value is shown by that item's name.
    """
    extra: JsonDict = {"label_da": da, "label_en": en}
    if refs:
        extra["refs"] = list(refs)
    if unit is not None:
        extra["unit"] = unit
    if isinstance(values, str):
        extra["values"] = values
    elif values is not None:
        extra["values"] = {key: [name_da, name_en] for key, (name_da, name_en) in values.items()}
    return extra


class StrictModel(BaseModel):
    """A parameter model: unknown keys are errors, values are frozen once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PrivacyParams(StrictModel):
    """Disclosure control for person-based figures."""

    min_group_size: int = Field(
        5,
        ge=5,
        description="HR figures of groups with fewer persons are suppressed (at least 5).",
        json_schema_extra=label("Mindste gruppe, der vises", "Smallest group shown", unit="persons"),
    )


S = TypeVar("S", bound=BaseModel)

#: The parameter sections of the analyses (and of delivery); ``params/defaults.yaml`` lists them by name.
SECTIONS: dict[str, type[BaseModel]] = {}
#: Parameters outside its own section that a section's report reads (dotted names, e.g.
#: ``privacy`` or ``kpi.sick_leave_alert_pct``): its appendix shows them beside its own.
SECTION_READS: dict[str, tuple[str, ...]] = {}
#: Each section's title in Danish and English (the label of its parameters' group).
SECTION_TITLES: dict[str, tuple[str, str]] = {}


def register_section(
    name: str, *, title: tuple[str, str] | None = None, reads: Sequence[str] = ()
) -> Callable[[type[S]], type[S]]:
    """Register an analysis's parameter section (class decorator), e.g. ``kpi`` or ``unit_cost``.

    The section becomes a key of the parameter files; its model validates it on load.
    ``title`` is the section's name (Danish, English) in the workbook's parameter sheet and
    in another report's appendix. ``reads`` names the parameters outside the section that the
    analysis's report reads (the shared ``language``, ``history_months``, ``privacy`` or another
    section's field).
    """

    def deco(model: type[S]) -> type[S]:
        SECTIONS[name] = model
        SECTION_READS[name] = tuple(reads)
        if title is not None:
            SECTION_TITLES[name] = title
        _model.cache_clear()
        return model

    return deco


class Params(StrictModel):
    """All parameters of a unit's reports: the shared ones here, one section per analysis.

    Read a section with :meth:`section` (typed), e.g. ``params.section("kpi", KPIParams)``.
    """

    language: Literal["da", "en"] = Field(
        "da",
        description="Report language.",
        json_schema_extra=label(
            "Rapportens sprog",
            "Report language",
            values={"da": ("dansk", "Danish"), "en": ("engelsk", "English")},
        ),
    )
    history_months: int = Field(
        25,
        ge=13,
        le=60,
        description="Months of history loaded (at least 13, for last year).",
        json_schema_extra=label("Historik, der indlæses", "History loaded"),
    )
    privacy: PrivacyParams = Field(
        PrivacyParams(), json_schema_extra=label("Diskretion", "Disclosure control")
    )

    def section(self, name: str, model: type[S]) -> S:
        """The analysis section ``name``, checked to be of ``model``."""
        value = getattr(self, name)
        if not isinstance(value, model):  # pragma: no cover - a registration mistake
            raise TypeError(f"parameter section {name!r} is {type(value).__name__}, not {model.__name__}")
        return value


def _title(name: str) -> JsonDict | None:
    return label(*SECTION_TITLES[name]) if name in SECTION_TITLES else None


@cache
def _model(names: tuple[str, ...] = ()) -> type[Params]:
    # Sections in name order: the parameter files read the same whatever the import order.
    fields: dict[str, Any] = {
        name: (SECTIONS[name], Field(SECTIONS[name](), json_schema_extra=_title(name)))
        for name in sorted(SECTIONS)
    }
    return create_model("Params", __base__=Params, __doc__=Params.__doc__, **fields)


def params_model() -> type[Params]:
    """The full parameter model: :class:`Params` with every registered analysis section."""
    return _model(tuple(SECTIONS))


def _deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


#: A parameter file is a few pages of YAML at most; anything larger is refused unread.
MAX_YAML_BYTES = 256 * 1024


def _read_yaml(path: Path) -> dict[str, Any]:
    """A parameter file's mapping: safe YAML (no tags), at most :data:`MAX_YAML_BYTES`, no aliases.

    Aliases (``*name``) are refused: a few lines of them can expand to gigabytes (an alias bomb),
    and a parameter file has no need of them.
    """
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise ParameterError(f"{path}: is {size} bytes; a parameter file may hold at most {MAX_YAML_BYTES}")
    try:
        content = safe_yaml.load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ParameterError(f"{path}: is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ParameterError(f"{path}{where}: not valid YAML ({problem})") from None
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise ParameterError(f"{path}: must hold a mapping of parameter names to values")
    return content


def _explain(exc: ValidationError, source: str) -> ParameterError:
    lines = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            lines.append(f"{source}: unknown parameter '{loc}'")
        else:
            got = err.get("input")
            lines.append(f"{source}: '{loc}' {err['msg'].lower()}; got {got!r}")
    return ParameterError("\n".join(lines))


#: A ``--set`` setting: a dotted parameter name, ``=``, a value (YAML: ``5``, ``true``, ``[a, b]``).
SETTING_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*=(.*)$", re.S)


def parse_settings(settings: Sequence[str]) -> dict[str, Any]:
    """Run-time settings ``SECTION.KEY=VALUE`` as a nested mapping for :func:`load_params`.

    The value is read as YAML (``5`` a number, ``true`` a truth value, ``[FS-ADM, FS-IT]`` a
    list, anything else a text); an empty value is an empty text. Whether the name exists and
    the value fits is checked by :func:`load_params`, as for the YAML files.

    Raises
    ------
    ParameterError
        For a setting that is not ``NAME=VALUE``, or a name given twice.
    """
    out: dict[str, Any] = {}
    for setting in settings:
        match = SETTING_RE.match(setting)
        if not match:
            raise ParameterError(
                f"--set {setting!r}: must be SECTION.KEY=VALUE, e.g. --set unit_cost.method=step_down"
            )
        name, text = match.group(1), match.group(2).strip()
        try:
            value = safe_yaml.load(text) if text else ""
        except yaml.YAMLError:
            value = text
        node = out
        *path, last = name.split(".")
        for part in path:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ParameterError(f"--set {setting!r}: '{part}' is given both as a value and as a section")
            node = child
        if last in node:
            raise ParameterError(f"--set {setting!r}: '{name}' is given more than once")
        node[last] = value
    return out


def check_settings(settings: Sequence[str], params_dir: str | Path) -> dict[str, Any]:
    """Parse and validate ``--set`` settings against the parameter model (before a run starts)."""
    overrides = parse_settings(settings)
    load_params(params_dir, overrides=overrides)
    return overrides


def load_params(
    params_dir: str | Path,
    unit_id: str | None = None,
    *,
    ancestors: Sequence[str] = (),
    overrides: Mapping[str, Any] | None = None,
) -> Params:
    """Load the parameters for ``unit_id``.

    Parameters
    ----------
    params_dir
        The parameter folder.
    unit_id
        The unit; its file (if any) is applied last.
    ancestors
        The unit's ancestors, top first (hospital, centre); their files are applied in order.
    overrides
        Values given at run time (e.g. ``{"language": "en"}``); ``None`` values are ignored.

    Raises
    ------
    ParameterError
        On an unknown key, a wrong type, an unsafe unit id or unreadable YAML.
    """
    root = Path(params_dir)
    defaults_path = root / DEFAULTS_FILE
    if not defaults_path.is_file():
        raise ParameterError(f"parameter file {defaults_path} is missing")
    merged = _read_yaml(defaults_path)
    _validate(merged, str(defaults_path))
    chain = [*ancestors, unit_id] if unit_id else list(ancestors)
    for uid in chain:
        path = root / UNITS_DIR / f"{check_unit_id(uid)}.yaml"
        if path.is_file():
            merged = _deep_merge(merged, _read_yaml(path))
            _validate(merged, str(path))
    if overrides:
        given = {k: v for k, v in overrides.items() if v is not None}
        merged = _deep_merge(merged, given)
        return _validate(merged, "run-time parameters (--set, -p)")
    return _validate(merged, str(defaults_path) if not chain else "parameters")


def _validate(values: Mapping[str, Any], source: str) -> Params:
    try:
        return params_model().model_validate(values)
    except ValidationError as exc:
        raise _explain(exc, source) from None


def defaults_yaml() -> str:
    """The default parameters as commented YAML (``params/defaults.yaml`` is written from it)."""

    def emit(model: type[BaseModel], indent: int) -> list[str]:
        lines = []
        for name, field in model.model_fields.items():
            pad = "  " * indent
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                if field.description or annotation.__doc__:
                    lines.append(f"{pad}# {(field.description or annotation.__doc__ or '').strip()}")
                lines.append(f"{pad}{name}:")
                lines += emit(annotation, indent + 1)
            else:
                if field.description:
                    lines.append(f"{pad}# {field.description}")
                value = to_jsonable_python(field.get_default(call_default_factory=True))
                if isinstance(value, dict | list) and value:
                    # A mapping or list (e.g. criteria, rules) as an indented YAML block.
                    block = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000)
                    lines.append(f"{pad}{name}:")
                    lines += [f"{pad}  {line}" for line in block.rstrip().splitlines()]
                else:
                    lines.append(f"{pad}{name}: {yaml.safe_dump(value).strip().removesuffix('...').strip()}")
        return lines

    return "\n".join(emit(params_model(), 0)) + "\n"
