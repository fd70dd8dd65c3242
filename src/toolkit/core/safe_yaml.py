"""YAML from users, read safely: no tags (``safe_load``), and no aliases.

Parameter files and ``metadata.yaml`` are written by people, never need anchors, and a few
lines of nested aliases can expand to gigabytes (an alias bomb). :func:`load` refuses an
alias before anything is built, with the line it stands on.
"""

from __future__ import annotations

import yaml

#: libyaml's loader where PyYAML was built with it (about ten times faster), else the pure one.
#: Both are safe loaders: they build plain data only.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class AliasError(yaml.YAMLError):
    """A YAML alias (``*name``) where none is allowed."""

    def __init__(self, anchor: str | None, mark: object) -> None:
        super().__init__(f"YAML aliases (*{anchor}) are not allowed")
        self.problem = f"YAML aliases (*{anchor}) are not allowed"
        self.problem_mark = mark


def load(text: str) -> object:
    """The YAML document in ``text`` (plain data only).

    Raises
    ------
    yaml.YAMLError
        For YAML that is not valid, holds a tag, or holds an alias (:class:`AliasError`).
    """
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise AliasError(event.anchor, event.start_mark)
    return yaml.load(text, Loader=_LOADER)  # a safe loader: see _LOADER
