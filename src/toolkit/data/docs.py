"""The data-model reference, generated from the schema classes (``toolkit schema-doc``)."""

from __future__ import annotations

import inspect

from toolkit.data.schemas import TABLES, table_meta
from toolkit.data.validation import column_kind


def data_model_reference() -> str:
    """Markdown tables describing every registered input table and its columns."""
    lines = []
    for name, model in TABLES.items():
        meta = table_meta(model)
        schema = model.to_schema()
        doc = inspect.cleandoc(model.__doc__ or "")
        flags = []
        flags.append("required" if meta["required"] else "optional")
        if meta["catalogue"]:
            flags.append("catalogue")
        first = next(iter(schema.columns))
        key = ", ".join(schema.unique or []) or (first if schema.columns[first].unique else "")
        key_line = f"Key: `{key}`." if key else "No key: several rows may hold the same values."
        lines += [f"### `{name}` ({', '.join(flags)})", "", doc, "", key_line, ""]
        lines += ["| column | type | empty allowed | rule | meaning |", "|---|---|---|---|---|"]
        for col_name, col in schema.columns.items():
            rules = []
            for check in col.checks:
                stats = check.statistics or {}
                if check.name == "isin":
                    rules.append("one of " + ", ".join(f"`{v}`" for v in stats.get("allowed_values", [])))
                elif check.name == "greater_than_or_equal_to":
                    rules.append(f"≥ {stats.get('min_value')}")
                elif check.name == "less_than_or_equal_to":
                    rules.append(f"≤ {stats.get('max_value')}")
                elif check.name == "str_matches":
                    rules.append("key" if "A-Za-z0-9" in str(stats.get("pattern")) else "YYYY-MM")
            if col.unique:
                rules.append("unique")
            ref = (col.metadata or {}).get("references")
            if ref:
                rules.append(f"in `{ref}`")
            if (col.metadata or {}).get("person_key"):
                rules.append("person key, never reported")
            kind = column_kind(col.dtype)
            lines.append(
                f"| `{col_name}` | {kind} | {'yes' if col.nullable else 'no'} | {'; '.join(rules)} | {col.description or ''} |"
            )
        table_checks = [str(c.name) for c in schema.checks]
        if table_checks:
            lines += ["", "Row rules: " + "; ".join(table_checks) + "."]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


BEGIN = "<!-- BEGIN GENERATED: toolkit schema-doc -->"
END = "<!-- END GENERATED -->"


def update_document(text: str) -> str:
    """``text`` with the part between the generated-section markers replaced by the reference."""
    if BEGIN not in text or END not in text:
        raise ValueError(f"the document has no {BEGIN} … {END} section")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n\n{data_model_reference()}\n{END}{tail}"
