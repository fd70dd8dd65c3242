"""Keys: unit, activity and other ids, which also name folders and files."""

from __future__ import annotations

#: The longest key: a unit id names folders and files, so it must stay well inside path limits.
MAX_KEY_LENGTH = 64
#: A unit, activity or other key: letters, digits, "-" and "_" (it is used in file paths).
ID_PATTERN = rf"^[A-Za-z0-9_-]{{1,{MAX_KEY_LENGTH}}}$"
