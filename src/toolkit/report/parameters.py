"""The parameters a report used, as a manager reads them and as the workbook keeps them.

Each parameter field carries its Danish and English label (and, for a choice, the name of each
value) in its metadata, written with :func:`toolkit.data.params.label` next to the field. From
it, :func:`parameter_rows` walks a parameter model and gives one :class:`ParameterRow` per
value: the dotted name (``kpi.materiality_kr``), the label (``Væsentlighedsgrænse, beløb``),
the value in the report's language and number format (``100.000 kr.``) and the raw value.

The appendix shows the label and the formatted value of the parameters the report reads
(:func:`report_parameter_names`); the workbook gets every row of every section.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import to_jsonable_python

from toolkit.core.formatting import Language, fmt_kr, fmt_number, fmt_pct
from toolkit.core.i18n import TEXTS, t
from toolkit.data.params import SECTION_READS, SECTIONS, Params, params_model

#: The unit read from a field name's ending when its metadata names none.
NAME_UNITS = {
    "_pct": "pct",
    "_kr": "kr",
    "_mb": "mb",
    "hours": "hours",
    "days": "days",
    "months": "months",
}

#: Unit words after a number: unit → language → (one, many).
UNIT_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "hours": {"da": ("time", "timer"), "en": ("hour", "hours")},
    "days": {"da": ("dag", "dage"), "en": ("day", "days")},
    "months": {"da": ("måned", "måneder"), "en": ("month", "months")},
    "persons": {"da": ("person", "personer"), "en": ("person", "persons")},
    "contacts": {"da": ("kontakt", "kontakter"), "en": ("contact", "contacts")},
    "points": {"da": ("point", "point"), "en": ("point", "points")},
    "mb": {"da": ("MB", "MB"), "en": ("MB", "MB")},
}

NONE_WORD = {"da": "ingen", "en": "none"}
#: The section column of the shared parameters (language, history, privacy).
SHARED = {"da": "Fælles", "en": "Shared"}
YES_NO = {"da": ("ja", "nej"), "en": ("yes", "no")}


@dataclass(frozen=True)
class ParameterRow:
    """One parameter value: its dotted name, its label and its value, formatted and raw."""

    name: str
    label: str
    text: str
    value: Any
    #: The field that holds the value (and its name), and the section whose texts name its choices.
    field: FieldInfo
    key: str
    section: str | None
    #: The section's parameters, where another of its mappings names the value (``refs``).
    root: BaseModel | None = None

    def raw(self) -> object:
        """The value as the parameter files write it: a number, a text or a JSON list/mapping."""
        return to_jsonable_python(self.value)


def field_label(field: FieldInfo, lang: Language) -> str:
    """The field's label in ``lang`` (``KeyError`` if the field has none: a missing label)."""
    extra = field.json_schema_extra
    if not isinstance(extra, Mapping) or f"label_{lang}" not in extra:
        raise KeyError(f"the parameter field {field!r} has no {lang!r} label (see toolkit.data.params.label)")
    return str(extra[f"label_{lang}"])


def _extra(field: FieldInfo) -> Mapping[str, Any]:
    extra = field.json_schema_extra
    return extra if isinstance(extra, Mapping) else {}


def field_unit(field: FieldInfo, name: str) -> str | None:
    """What the field's number counts: from its metadata, else from its name's ending."""
    unit = _extra(field).get("unit")
    if unit is not None:
        return str(unit)
    return next((u for ending, u in NAME_UNITS.items() if name.endswith(ending)), None)


def value_name(value: object, field: FieldInfo, section: str | None, lang: Language) -> str | None:
    """The name of a choice (or of a mapping's key) from the field's metadata, if it names it."""
    names = _extra(field).get("values")
    if isinstance(names, Mapping):
        pair = names.get(str(value))
        return None if pair is None else str(pair[0 if lang == "da" else 1])
    if isinstance(names, str) and section is not None:
        key = f"{section}.{names}.{value}"
        return t(key, lang) if key in TEXTS else None
    return None


def ref_name(
    value: object, field: FieldInfo, root: BaseModel | None, section: str | None, lang: Language
) -> str | None:
    """The name of the item ``value`` keys in another mapping of the section (the field's ``refs``).

    A rule's tools are keys of the section's ``tools``; the appendix shows the tools' names.
    """
    if root is None:
        return None
    for ref in _extra(field).get("refs", ()):
        mapping = getattr(root, ref, None)
        if isinstance(mapping, Mapping) and str(value) in mapping:
            ref_field = type(root).model_fields[ref]
            return _item_name(str(value), mapping[str(value)], ref_field, section, lang)
    return None


def _is_empty(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, list | tuple | Mapping) and not value)


def _decimals(value: float) -> int:
    for decimals in range(4):
        if math.isclose(round(value, decimals), value, rel_tol=0, abs_tol=1e-9):
            return decimals
    return 4


def format_number(value: float, unit: str | None, lang: Language) -> str:
    """A parameter's number with its unit, as few decimals as it has: ``2.0`` pct → ``2 %``."""
    if unit == "kr":
        return fmt_kr(value, lang, compact=False)
    if unit in ("pct", "share"):
        pct = value * 100 if unit == "share" else value
        return fmt_pct(pct, _decimals(pct), lang)
    text = fmt_number(value, _decimals(value), lang)
    if unit in UNIT_WORDS:
        one, many = UNIT_WORDS[unit][lang]
        return f"{text} {one if value == 1 else many}"
    return text


def format_parameter(
    value: object,
    field: FieldInfo,
    name: str,
    lang: Language,
    *,
    section: str | None = None,
    root: BaseModel | None = None,
) -> str:
    """A parameter value as the report shows it.

    ``None`` reads ``ingen``/``none``; truth values ``ja``/``nej``; a choice its name (also the
    name of an item of another of the section's mappings, given the section's parameters as
    ``root``); numbers in the report's number format with their unit; a list its items joined
    with commas; an empty text or list ``ingen``/``none``.
    """
    if _is_empty(value):
        return NONE_WORD[lang]
    if isinstance(value, bool):
        return YES_NO[lang][0 if value else 1]
    if isinstance(value, list | tuple):
        return ", ".join(format_parameter(v, field, name, lang, section=section, root=root) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(
            f"{value_name(k, field, section, lang) or k}: "
            f"{format_parameter(v, field, name, lang, section=section, root=root)}"
            for k, v in value.items()
        )
    named = value_name(value, field, section, lang) or ref_name(value, field, root, section, lang)
    if named is not None:
        return named
    if isinstance(value, int | float):
        return format_number(float(value), field_unit(field, name), lang)
    return str(value)


def _join(parent: str, child: str) -> str:
    """``Kriterier`` + ``Vægt`` → ``Kriterier: vægt``; a second level is joined with a comma."""
    if not parent:
        return child
    if len(child) > 1 and child[0].isupper() and child[1].islower():
        child = child[0].lower() + child[1:]
    return f"{parent}{', ' if ': ' in parent else ': '}{child}"


def _item_name(key: str, item: object, field: FieldInfo, section: str | None, lang: Language) -> str:
    name = getattr(item, "name", None)
    if callable(name):
        return str(name(lang))
    return value_name(key, field, section, lang) or key


def parameter_rows(
    model: BaseModel,
    lang: Language,
    *,
    prefix: str = "",
    label_prefix: str = "",
    section: str | None = None,
    root: BaseModel | None = None,
) -> list[ParameterRow]:
    """Every value of ``model`` (nested sections, mappings and lists walked), in field order.

    ``root`` is the section's parameters (found as the walk enters a section), for values that
    name an item of another of its mappings.
    """
    rows: list[ParameterRow] = []
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        top_section = not prefix and name in SECTIONS
        sec = name if top_section else section
        if top_section and isinstance(value, BaseModel):
            root = value
        dotted, label = f"{prefix}{name}", _join(label_prefix, field_label(field, lang))
        if top_section and isinstance(value, BaseModel):
            # A section's rows carry its name; the title is not repeated in every label.
            rows += parameter_rows(value, lang, prefix=f"{dotted}.", section=sec, root=value)
        elif isinstance(value, BaseModel):
            rows += parameter_rows(
                value, lang, prefix=f"{dotted}.", label_prefix=label, section=sec, root=root
            )
        elif isinstance(value, Mapping) and value:
            for key, item in value.items():
                item_label = _join(label, _item_name(str(key), item, field, sec, lang))
                if isinstance(item, BaseModel):
                    rows += parameter_rows(
                        item, lang, prefix=f"{dotted}.{key}.", label_prefix=item_label, section=sec, root=root
                    )
                else:
                    text = format_parameter(item, field, name, lang, section=sec, root=root)
                    rows.append(
                        ParameterRow(f"{dotted}.{key}", item_label, text, item, field, name, sec, root)
                    )
        elif isinstance(value, list | tuple) and value and isinstance(value[0], BaseModel):
            for i, item in enumerate(value):
                item_label = f"{label} {i + 1}"
                rows += parameter_rows(
                    item, lang, prefix=f"{dotted}.{i}.", label_prefix=item_label, section=sec, root=root
                )
        else:
            text = format_parameter(value, field, name, lang, section=sec, root=root)
            rows.append(ParameterRow(dotted, label, text, value, field, name, sec, root))
    return rows


def section_title(section: str, lang: Language) -> str:
    """A registered section's title in ``lang`` (e.g. ``Ledelsesinformation`` for ``kpi``)."""
    return field_label(params_model().model_fields[section], lang)


def _literal_values(annotation: object) -> list[object]:
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    return [v for arg in get_args(annotation) for v in _literal_values(arg)]


def _models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models(arg)]


def label_problems(model: type[BaseModel], *, section: str | None = None, prefix: str = "") -> list[str]:
    """Every field of ``model`` (nested models included) without a Danish or English label, and
    every choice of a ``Literal`` (value or key) without a name; empty when all is labelled."""
    problems: list[str] = []
    for name, field in model.model_fields.items():
        dotted = f"{prefix}{name}"
        sec = name if not prefix and name in SECTIONS else section
        for lang in ("da", "en"):
            extra = _extra(field)
            if not str(extra.get(f"label_{lang}", "")).strip():
                problems.append(f"{dotted}: no {lang!r} label")
            problems += [
                f"{dotted}: no {lang!r} name of the value {value!r}"
                for value in _literal_values(field.annotation)
                if value_name(value, field, sec, lang) is None
            ]
        for sub in _models(field.annotation):
            problems += label_problems(sub, section=sec, prefix=f"{dotted}.")
    return problems


def own_section(notebook: str) -> str | None:
    """The parameter section a notebook's report belongs to: ``need-assessment-centre`` → ``need_assessment``."""
    name = notebook.replace("-", "_")
    owners = [s for s in SECTIONS if name == s or name.startswith(f"{s}_")]
    return max(owners, key=len) if owners else None


def report_parameter_names(notebook: str) -> tuple[str, ...]:
    """The parameters a notebook's report reads: what its section declares it reads, and the section."""
    own = own_section(notebook)
    if own is None:
        return ("language",)
    return (*SECTION_READS.get(own, ()), own)


def select_rows(rows: Sequence[ParameterRow], names: Sequence[str]) -> list[ParameterRow]:
    """The rows of ``names``: a dotted name, or a section or group (every row under it), in order given.

    Raises
    ------
    KeyError
        For a name that matches no parameter (a report's mistake).
    """
    out: list[ParameterRow] = []
    for name in names:
        found = [r for r in rows if r.name == name or r.name.startswith(f"{name}.")]
        if not found:
            raise KeyError(f"no parameter {name!r}")
        out += [r for r in found if r not in out]
    return out


def _shown_label(row: ParameterRow, own: str | None, lang: Language) -> str:
    if row.section is None or row.section == own:
        return row.label
    return _join(section_title(row.section, lang), row.label)


def appendix_rows(
    params: Params,
    lang: Language,
    parameters: Mapping[str, object] | Sequence[str],
    *,
    own: str | None = None,
) -> list[tuple[str, str]]:
    """The (label, value) pairs an appendix shows.

    ``parameters`` are dotted names (a section or group name stands for every value under it),
    or a mapping of dotted names to the values the report used, each formatted by the
    parameter's field. A text given for a parameter that is not a text stands in only where the
    parameter is empty (e.g. the step-down order a rule chose when none is set); elsewhere the
    parameter's own value is shown. A parameter of another section than ``own`` (the report's)
    is labelled with that section's title.

    Raises
    ------
    KeyError
        For a name that matches no parameter.
    """
    rows = parameter_rows(params, lang)
    if not isinstance(parameters, Mapping):
        return [(_shown_label(r, own, lang), r.text) for r in select_rows(rows, list(parameters))]
    by_name = {r.name: r for r in rows}
    out = []
    for name, value in parameters.items():
        row = by_name.get(name)
        if row is None:
            raise KeyError(f"no parameter {name!r}")
        stands_in = isinstance(value, str) and not isinstance(row.value, str)
        if value == row.value or (stands_in and not _is_empty(row.value)):
            text = row.text
        elif stands_in:
            text = str(value)
        else:
            text = format_parameter(value, row.field, row.key, lang, section=row.section, root=row.root)
        out.append((_shown_label(row, own, lang), text))
    return out


#: The columns of the workbook's parameter sheet.
WORKBOOK_COLUMNS = {
    "da": ["Parameter", "Afsnit", "Betegnelse", "Værdi", "Værdi i parameterfilen"],
    "en": ["Parameter", "Section", "Label", "Value", "Value in the parameter file"],
}


def workbook_rows(params: Params, lang: Language) -> list[list[object]]:
    """Every parameter for the workbook: dotted name, section, label, value as shown, raw value.

    The raw value is the number, text or truth value the parameter files hold, or its JSON
    (a list, a mapping, ``null``).
    """
    out: list[list[object]] = []
    for row in parameter_rows(params, lang):
        raw = row.raw()
        if raw is None or not isinstance(raw, int | float | str | bool):
            raw = json.dumps(raw, ensure_ascii=False)
        section = section_title(row.section, lang) if row.section is not None else SHARED[lang]
        out.append([row.name, section, row.label, row.text, raw])
    return out
