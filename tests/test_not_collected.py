"""``metadata.yaml: not_collected``: an extract that does not hold a required table says so; the
table is then given with its header only and is no data, not an error (and not zeros)."""

from __future__ import annotations

from pathlib import Path

from toolkit.data.sources import FolderSource


def _header_only(path: Path) -> None:
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    path.write_text(header + "\n", encoding="utf-8-sig")


def _problems(data: Path) -> list[str]:
    source = FolderSource(data)
    structure = source.check_structure()
    if structure:
        return [str(p) for p in structure]
    return [str(p) for p in source.validate_all().problems]


def _metadata(data: Path, extra: str) -> None:
    path = data / "metadata.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_a_header_only_required_table_is_an_error_that_names_the_way_out(data_copy: Path) -> None:
    _header_only(data_copy / "finance.csv")
    problems = [p for p in _problems(data_copy) if "finance" in p]
    assert len(problems) == 1
    assert "has a header but no rows" in problems[0] and "not_collected: [finance]" in problems[0]


def test_a_declared_table_with_its_header_only_is_no_data(data_copy: Path) -> None:
    _header_only(data_copy / "finance.csv")
    _metadata(data_copy, "not_collected: [finance]\n")
    assert _problems(data_copy) == []
    source = FolderSource(data_copy)
    assert source.not_collected() == {"finance"}
    assert source.read("finance", units=["FS-LUN"]).empty
    assert source.latest_period() == "2026-10"  # the other core tables still give the month


def test_a_declared_table_that_has_rows_is_an_error(data_copy: Path) -> None:
    _metadata(data_copy, "not_collected: [finance]\n")
    problems = _problems(data_copy)
    assert len(problems) == 1
    assert "metadata.yaml declares it not collected" in problems[0] and "finance" in problems[0]


def test_only_required_tables_can_be_declared(data_copy: Path) -> None:
    _metadata(data_copy, "not_collected: [finance, shifts, nonsense]\n")
    problems = _problems(data_copy)
    assert len(problems) == 1
    assert "'not_collected' names only required tables" in problems[0]
    assert "'shifts', 'nonsense'" in problems[0]
