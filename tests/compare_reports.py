"""Compare two report trees: every report's JSON and every workbook's cell values.

Used to check that a change which should not change behaviour (a restructuring) does not::

    python tests/compare_reports.py BEFORE/2026-10 AFTER/2026-10
    python tests/compare_reports.py BEFORE/2026-10 AFTER/2026-10 --present-only   # AFTER made fewer reports

Run times, timestamps and the parameter folder's path differ between two runs by nature and are
ignored; everything else must be equal. Exit status 0 when the trees agree, 1 otherwise.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

# Keys whose values differ between two runs of the same code on the same data.
VOLATILE = frozenset({"generated_at", "started", "finished", "seconds", "command", "params_dir", "dir"})


def _clean(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _clean(v) for k, v in node.items() if k not in VOLATILE}
    if isinstance(node, list):
        return [_clean(v) for v in node]
    return node


def _cells(path: Path) -> Iterator[tuple[str, str, Any]]:
    wb = load_workbook(path, read_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and hasattr(cell, "coordinate"):
                    yield ws.title, cell.coordinate, cell.value


def _volatile_cell(value: Any) -> bool:
    # The "about this report" sheet states when the report was made.
    return isinstance(value, str) and value[:4].isdigit() and "T" in value and ":" in value


def compare(before: Path, after: Path, *, present_only: bool = False) -> list[str]:
    """The differences between two report trees, one line each (empty when they agree).

    ``present_only`` compares only the reports that ``after`` holds (a run of some notebooks or
    units); the run manifests then differ by nature and are not compared.
    """
    problems: list[str] = []
    names_before = {p.relative_to(before) for p in before.rglob("*") if p.suffix in {".json", ".xlsx"}}
    names_after = {p.relative_to(after) for p in after.rglob("*") if p.suffix in {".json", ".xlsx"}}
    if present_only:
        names_after.discard(Path("manifest.json"))
        names_before &= names_after
    for missing in sorted(names_before - names_after):
        problems.append(f"{missing}: missing after")
    for extra in sorted(names_after - names_before):
        problems.append(f"{extra}: new after")
    for name in sorted(names_before & names_after):
        a, b = before / name, after / name
        if name.suffix == ".json":
            if _clean(json.loads(a.read_text())) != _clean(json.loads(b.read_text())):
                problems.append(f"{name}: JSON differs")
            continue
        cells_a = {(s, c): v for s, c, v in _cells(a) if not _volatile_cell(v)}
        cells_b = {(s, c): v for s, c, v in _cells(b) if not _volatile_cell(v)}
        if cells_a != cells_b:
            diff = sorted(k for k in cells_a.keys() | cells_b.keys() if cells_a.get(k) != cells_b.get(k))
            shown = ", ".join(
                f"{s}!{c}: {cells_a.get((s, c))!r} → {cells_b.get((s, c))!r}" for s, c in diff[:3]
            )
            problems.append(f"{name}: {len(diff)} cell(s) differ ({shown})")
    return problems


def main(argv: list[str]) -> int:
    present_only = "--present-only" in argv
    before, after = (Path(a) for a in argv if not a.startswith("--"))
    problems = compare(before, after, present_only=present_only)
    for line in problems:
        print(line)
    count = len({p.relative_to(after) for p in after.rglob("*") if p.suffix in {".json", ".xlsx"}})
    print(f"{count} files compared, {len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
