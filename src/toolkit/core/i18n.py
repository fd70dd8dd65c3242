"""Report texts in Danish and English.

Every text a report shows comes from here (or from the data), so that ``language: en``
switches the whole report. Texts are ``str.format`` templates.

Each analysis keeps its texts in its own namespace (a :class:`Texts`, e.g. ``Texts("kpi")``
in ``analyses/kpi/texts.py``), so that two analyses can never claim the same key: the key
``title`` of the KPI analysis is ``kpi.title`` everywhere. The report layer's shared texts
(``report.*``, ``status.*``, ``fig.*``, ``w.*``) are registered here and in the report modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit.core.formatting import Language

#: key → {"da": ..., "en": ...}
TEXTS: dict[str, dict[str, str]] = {}


def register(texts: Mapping[str, tuple[str, str]]) -> None:
    """Add texts given as ``{key: (danish, english)}``; a key may be registered once."""
    for key, (da, en) in texts.items():
        if key in TEXTS and TEXTS[key] != {"da": da, "en": en}:
            raise ValueError(f"text {key!r} is registered twice with different wording")
        TEXTS[key] = {"da": da, "en": en}


def t(key: str, lang: Language = "da", /, **values: Any) -> str:
    """The text ``key`` in ``lang``, formatted with ``values``."""
    try:
        template = TEXTS[key][lang]
    except KeyError:
        raise KeyError(f"no {lang!r} text for {key!r}") from None
    return template.format(**values) if values else template


class Texts:
    """The texts of one namespace (an analysis): register and look up keys without the prefix.

    ``Texts("kpi").register({"title": (da, en)})`` registers ``kpi.title``;
    ``texts("title", lang)`` returns it. A key registered twice with different wording is an
    error, as for :func:`register`.
    """

    def __init__(self, namespace: str) -> None:
        if not namespace or "." in namespace:
            raise ValueError(f"a text namespace is one word; got {namespace!r}")
        self.namespace = namespace

    def key(self, key: str) -> str:
        """The full key of ``key`` in this namespace."""
        return f"{self.namespace}.{key}"

    def register(self, texts: Mapping[str, tuple[str, str]]) -> None:
        """Add ``{key: (danish, english)}`` to this namespace."""
        register({self.key(k): v for k, v in texts.items()})

    def __call__(self, key: str, lang: Language = "da", /, **values: Any) -> str:
        """The text ``key`` of this namespace in ``lang``, formatted with ``values``."""
        return t(self.key(key), lang, **values)


register(
    {
        # report frame
        "report.unit": ("Enhed", "Unit"),
        "report.period": ("Periode", "Period"),
        "report.as_of": ("Data opgjort", "Data as of"),
        "report.generated": ("Dannet", "Generated"),
        "report.source": ("Datakilde", "Data source"),
        "report.headline": ("Hovedbudskaber", "Key messages"),
        "report.appendix": ("Bilag: definitioner", "Appendix: definitions"),
        "report.parameters": ("Parametre for rapporten", "Report parameters"),
        "report.suppressed_note": (
            "Tal for grupper med færre end {n} personer er skjult (markeret {mark}).",
            "Figures for groups of fewer than {n} persons are suppressed (marked {mark}).",
        ),
        "report.no_data": ("Ingen data for perioden.", "No data for the period."),
        "report.toc": ("Indhold", "Contents"),
        "report.version": ("Version", "Version"),
        "report.data_hash": ("Datafingeraftryk", "Data fingerprint"),
        "report.total": ("I alt", "Total"),
        "report.unallocated": ("Ikke fordelt", "Not allocated"),
        "report.centre_median": ("Centrets median", "Centre median"),
        "report.this_unit": ("(denne enhed)", "(this unit)"),
        # status words
        "status.green": ("Grøn", "Green"),
        "status.amber": ("Gul", "Amber"),
        "status.red": ("Rød", "Red"),
        "status.missing": ("Ikke målt", "Not measured"),
        "status.yes": ("Ja", "Yes"),
        "status.no": ("Nej", "No"),
    }
)
