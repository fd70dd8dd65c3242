"""One exception hierarchy for every mistake a user can make.

Messages say what is wrong and how to fix it; callers (the CLI, the runner, a notebook)
show the message without a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence


class ToolkitError(Exception):
    """Base of every error the toolkit raises on purpose."""


class ParameterError(ToolkitError, ValueError):
    """A parameter (YAML file, notebook parameter, CLI option) is missing or wrong."""


class DataValidationError(ToolkitError, ValueError):
    """Input data break the data model.

    Parameters
    ----------
    problems
        One :class:`~toolkit.data.validation.Problem` (or plain string) per broken rule.
    """

    def __init__(self, problems: Sequence[object]) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        head = "Input data failed validation" if len(lines) > 1 else "Input data failed validation:"
        if len(lines) == 1:
            super().__init__(f"{head} {lines[0]}")
        else:
            super().__init__(head + f" ({len(lines)} problems):\n" + "\n".join(f"- {x}" for x in lines))


class DataStructureError(DataValidationError):
    """A table cannot be read at all: missing file, unreadable, or missing/extra columns.

    Structure errors stop a whole run before anything is written.
    """


class ReportError(ToolkitError, RuntimeError):
    """A report could not be produced (execution or export failed)."""
