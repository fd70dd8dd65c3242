"""The rules of the data model in words: what a broken pandera check means to the person who fixes the file."""

from __future__ import annotations

import pandera.pandas as pa

from toolkit.data.schemas import ID_PATTERN, MAX_KEY_LENGTH, PERIOD_PATTERN


def describe_check(check_name: str, column: pa.Column | None) -> str:
    stats: dict[str, object] = {}
    if column is not None:
        for check in column.checks:
            if check.name == check_name:
                stats = dict(check.statistics or {})
    if check_name == "greater_than_or_equal_to":
        return f"must be ≥ {stats.get('min_value', 0)}"
    if check_name == "less_than_or_equal_to":
        return f"must be ≤ {stats.get('max_value')}"
    if check_name == "isin":
        allowed = stats.get("allowed_values") or ()
        assert isinstance(allowed, list | tuple | set | frozenset)
        return "must be one of: " + ", ".join(str(a) for a in allowed)
    if check_name == "str_matches":
        pattern = str(stats.get("pattern", ""))
        if pattern == PERIOD_PATTERN:
            return "must be a month written YYYY-MM"
        if pattern == ID_PATTERN:
            return f"must be a key of letters, digits, '-' and '_', at most {MAX_KEY_LENGTH} characters"
        return f"must match {pattern}"
    if check_name in ("not_nullable",):
        return "must not be empty"
    if check_name in ("field_uniqueness",):
        return "must be unique (duplicate value)"
    return check_name.replace("_", " ")
