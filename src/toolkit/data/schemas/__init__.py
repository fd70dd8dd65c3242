"""The data model: one pandera schema class per input table.

Every table is a :class:`TableModel`. Its class docstring and field descriptions are the
documentation (``docs/data-model.md`` is generated from them by ``toolkit schema-doc``);
its ``Config.metadata`` says how the table joins the rest of the model:

``unit_column`` / ``period_column``
    the columns the data layer filters on (at the source, when the back-end allows);
``required``
    whether a data folder must have the table;
``catalogue``
    whether it is a catalogue (units, activities, ...) that other tables refer to.

A field's ``metadata={"references": "<table>"}`` is a foreign key into that catalogue, and
``metadata={"default": "<text>"}`` makes the column optional in a file: a file without it is read
as if every row held that text (``""`` for empty), e.g. a roster export without actual times.

Analysis modules add their tables by defining models in their own ``schemas`` submodule
and decorating them with :func:`register`.
"""

from __future__ import annotations

from typing import Any

import pandera.pandas as pa

from toolkit.core.keys import ID_PATTERN, MAX_KEY_LENGTH

#: A month, "YYYY-MM".
PERIOD_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


class TableModel(pa.DataFrameModel):
    """Base of every input table."""

    class Config:
        strict = False  # structure (missing/extra columns) is checked before, with better messages
        coerce = False  # values are parsed before, so that a text in a number column names its row
        metadata: dict[str, Any] = {}


TABLES: dict[str, type[TableModel]] = {}


def register(model: type[TableModel]) -> type[TableModel]:
    """Class decorator: add ``model`` to :data:`TABLES` under its ``Config.metadata["table"]``."""
    name = table_meta(model)["table"]
    if name in TABLES and TABLES[name] is not model:
        raise ValueError(f"table {name!r} is registered twice")
    TABLES[name] = model
    return model


def table_meta(model: type[TableModel]) -> dict[str, Any]:
    """The table-level metadata of ``model`` with defaults filled in."""
    meta = dict(getattr(model.Config, "metadata", None) or {})
    meta.setdefault("unit_column", "unit_id")
    meta.setdefault("period_column", "period")
    meta.setdefault("required", False)
    meta.setdefault("catalogue", False)
    meta.setdefault("group", "core")
    # False for a table no report reads (e.g. recipients): its problems never stop a report.
    meta.setdefault("reports", True)
    return meta


def column_defaults(model: type[TableModel]) -> dict[str, str]:
    """The optional columns of ``model`` and the text a file without them is read as."""
    return {
        name: str(col.metadata["default"])
        for name, col in model.to_schema().columns.items()
        if col.metadata and "default" in col.metadata
    }


def get_table(name: str) -> type[TableModel]:
    """The model of table ``name``; raises KeyError naming the known tables."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; known tables: {', '.join(sorted(TABLES))}") from None


# Register the tables of the data model (import order = documentation order).
from toolkit.data.schemas import core, mappings, recipients  # noqa: E402, F401

__all__ = [
    "ID_PATTERN",
    "MAX_KEY_LENGTH",
    "PERIOD_PATTERN",
    "TABLES",
    "TableModel",
    "get_table",
    "register",
    "table_meta",
]
