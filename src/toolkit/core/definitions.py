"""KPI definitions: one text per KPI, shared by the docstring and the report appendix.

Decorate a KPI function with :func:`define`; the definition is registered in
:data:`DEFINITIONS` and appended to the function's docstring, so the code documentation and
the report appendix cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from toolkit.core.formatting import Language

F = TypeVar("F", bound=Callable[..., object])


@dataclass(frozen=True)
class Definition:
    """A KPI's name and definition in Danish and English."""

    key: str
    name_da: str
    name_en: str
    text_da: str
    text_en: str

    def name(self, lang: Language) -> str:
        """The KPI's name in ``lang``."""
        return self.name_da if lang == "da" else self.name_en

    def text(self, lang: Language) -> str:
        """The definition in ``lang``."""
        return self.text_da if lang == "da" else self.text_en


DEFINITIONS: dict[str, Definition] = {}


def add(defn: Definition) -> Definition:
    """Register a definition that belongs to no single function."""
    if defn.key in DEFINITIONS and DEFINITIONS[defn.key] != defn:
        raise ValueError(f"definition {defn.key!r} is registered twice")
    DEFINITIONS[defn.key] = defn
    return defn


def define(*definitions: Definition) -> Callable[[F], F]:
    """Register ``definitions`` and append them to the decorated function's docstring."""

    def decorate(func: F) -> F:
        lines = ["", "", "    Definitions", "    -----------"]
        for d in definitions:
            add(d)
            lines.append(f"    {d.name_en} ({d.key})")
            lines.append(f"        {d.text_en}")
            lines.append(f"        da: {d.name_da} — {d.text_da}")
        func.__doc__ = (func.__doc__ or "").rstrip() + "\n".join(lines) + "\n"
        func.__toolkit_definitions__ = tuple(d.key for d in definitions)  # type: ignore[attr-defined]
        return func

    return decorate


def lookup(keys: Iterable[str]) -> list[Definition]:
    """The definitions of ``keys`` in the given order."""
    return [DEFINITIONS[k] for k in keys]
