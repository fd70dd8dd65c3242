"""The privacy guard as the runner uses it: every unit's persons, the report's own content, masked messages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from toolkit.data.privacy import MASKED_CPR, MASKED_KEY, mask_identifiers
from toolkit.data.pseudonyms import KEY_ENV, pseudonym
from toolkit.run import release

SECRET = b"g" * 40
#: The staged persons of two units: short, numeric and payroll-style keys.
OWN = ("C1", "1001", "482913")
OTHER = ("E7002", "551177")


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Staged person_keys files of two units (pseudonyms only, as staging writes them)."""
    monkeypatch.setenv(KEY_ENV, SECRET.decode())
    folder = tmp_path / "person_keys"
    folder.mkdir()
    (folder / "FS-KAR.txt").write_text("\n".join(pseudonym(k, SECRET) for k in OWN), encoding="utf-8")
    (folder / "FS-LUN.txt").write_text("\n".join(pseudonym(k, SECRET) for k in OTHER), encoding="utf-8")
    return [str(folder / "FS-KAR.txt"), str(folder / "FS-LUN.txt"), str(folder / "FS-NONE.txt")]


def _workbook(path: Path, cells: list[object]) -> Path:
    wb = Workbook()
    wb.active.append(cells)
    wb.save(path)
    return path


def _page(text: str) -> str:
    """A report page with the real inlined plotly.js and locale (whose words are not the report's)."""
    from toolkit.report import assets

    return (
        f"<html><head><script>{assets.plotly_js()}</script><script>{assets.plotly_locale_js()}</script>"
        f"</head><body><p>{text}</p></body></html>"
    )


def test_pseudonyms_are_read_from_every_staged_unit(keys: list[str]) -> None:
    known = release.pseudonyms(keys)
    assert known == {pseudonym(k, SECRET) for k in OWN + OTHER}  # the missing file holds none


def test_pseudonyms_are_read_once_and_again_when_a_file_changes(keys: list[str]) -> None:
    """One set for a run's every report (read once per process), never a stale one."""
    first = release.pseudonyms(keys)
    assert release.pseudonyms(list(reversed(keys))) is first  # the same files in another order
    lun = Path(keys[1])
    lun.write_text(pseudonym("E7003", SECRET), encoding="utf-8")
    os.utime(lun, ns=(lun.stat().st_atime_ns, lun.stat().st_mtime_ns + 1_000_000_000))
    assert release.pseudonyms(keys) == {pseudonym(k, SECRET) for k in (*OWN, "E7003")}
    Path(keys[0]).unlink()
    assert release.pseudonyms(keys) == {pseudonym("E7003", SECRET)}
    Path(keys[2]).mkdir()  # a folder is no list of keys
    assert release.pseudonyms(keys) == {pseudonym("E7003", SECRET)}


def test_no_false_alarm_for_short_numeric_and_payroll_keys(keys: list[str], tmp_path: Path) -> None:
    xlsx = _workbook(tmp_path / "r.xlsx", ["Afsnit C1", 1001, 482913, "I alt"])
    html = _page("1001 vagter i C1, 482913 kr. i alt")
    release.check_report(
        html, xlsx, {"kpis": [{"value": 482913, "label": "1001 vagter"}]}, release.pseudonyms(keys)
    )


@pytest.mark.parametrize(
    ("html_text", "cells", "found"),
    [
        ("ok", ["E7002"], "1 person key in the workbook"),  # a raw key of ANOTHER unit (a free text)
        ("ok", ["551177"], "1 person key in the workbook"),  # another unit's payroll number as a value
        (pseudonym("E7002", SECRET), [], "1 pseudonym in the HTML"),
        ("Forklaring: ring til 010203-1234", [], "1 CPR-like number in the HTML"),
    ],
)
def test_a_report_that_shows_an_identifier_of_any_unit_is_refused(
    keys: list[str], tmp_path: Path, html_text: str, cells: list[object], found: str
) -> None:
    xlsx = _workbook(tmp_path / "r.xlsx", cells or ["ok"])
    with pytest.raises(release.PrivacyRefusalError) as refused:
        release.check_report(_page(html_text), xlsx, {}, release.pseudonyms(keys))
    message = str(refused.value)
    assert found in message and "nothing was written" in message
    for secret_value in ("E7002", "551177", "P-", "010203"):
        assert secret_value not in message


def test_write_report_writes_nothing_when_refused(keys: list[str], tmp_path: Path) -> None:
    from toolkit.run.jobs import ReportFiles

    files = ReportFiles.of(tmp_path / "out" / "2026-10" / "FS-KAR", "kpi")
    private = tmp_path / "private"
    private.mkdir()
    artifacts = {"title": "t", "tables": {"T": {"columns": ["who"], "rows": [["E7002"]]}}, "kpis": []}
    with pytest.raises(release.PrivacyRefusalError):
        release.write_report(_page("ok"), artifacts, files, private, release.pseudonyms(keys))
    assert not (tmp_path / "out").exists()
    artifacts["tables"]["T"]["rows"] = [["Sygeplejersker"]]
    release.write_report(_page("ok"), artifacts, files, private, release.pseudonyms(keys))
    assert sorted(p.name for p in files.html.parent.iterdir()) == ["kpi.html", "kpi.json", "kpi.xlsx"]
    assert list(private.iterdir()) == []  # moved, not copied


def test_a_message_never_quotes_an_identifier(keys: list[str]) -> None:
    known = release.pseudonyms(keys)
    text = (
        "hours.csv, column 'hours', row 4: must be a number (found 'E7002'); "
        f"KeyError: '{pseudonym('C1', SECRET)}'; row 1001 of 482913 kr.; CPR 0102031234; unit FS-KAR"
    )
    masked = mask_identifiers(text, known, SECRET)
    assert masked == (
        f"hours.csv, column 'hours', row 4: must be a number (found '{MASKED_KEY}'); "
        f"KeyError: '{MASKED_KEY}'; row 1001 of {MASKED_KEY} kr.; CPR {MASKED_CPR}; unit FS-KAR"
    )
    # Without the staged persons, pseudonyms and CPR-like numbers are still masked.
    assert mask_identifiers(f"x {pseudonym('C1', SECRET)} 010203-1234") == f"x {MASKED_KEY} {MASKED_CPR}"


def test_a_cpr_number_in_a_free_text_is_masked_where_the_text_is_read(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandas as pd

    from toolkit.data.privacy import CPR_NOTE, mask_cpr
    from toolkit.data.sources import FolderSource

    monkeypatch.setenv(KEY_ENV, SECRET.decode())
    assert mask_cpr("ring 010203-1234 eller 0102031234; konto 12345678, 1148,5 timer") == (
        f"ring {CPR_NOTE} eller {CPR_NOTE}; konto 12345678, 1148,5 timer",
        2,
    )
    path = data_copy / "budget_explanations.csv"
    df = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    df.loc[0, "explanation"] = "Overarbejde; spørg 010203-1234 (sygemeldt)."
    df.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    source = FolderSource(data_copy)
    source.validate_all()
    texts = source.validated("budget_explanations")["explanation"]
    assert texts.iloc[0] == f"Overarbejde; spørg {CPR_NOTE} (sygemeldt)."
    assert not texts.str.contains("010203").any()


def test_a_person_key_of_any_unit_in_a_free_text_is_masked_where_the_text_is_read(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandas as pd

    from toolkit.data.privacy import KEY_NOTE, mask_keys
    from toolkit.data.sources import FolderSource

    monkeypatch.setenv(KEY_ENV, SECRET.decode())
    # Whole words only: a key inside a longer word or number is left alone.
    assert mask_keys("E1001 og E10012, C1-vagt, C1.", {"E1001", "C1"}) == (
        f"{KEY_NOTE} og E10012, C1-vagt, {KEY_NOTE}.",
        2,
    )
    assert mask_keys(f"se {pseudonym('C1', SECRET)}", set()) == (f"se {KEY_NOTE}", 1)
    hr = pd.read_csv(data_copy / "hr.csv", sep=";", dtype=str, encoding="utf-8-sig")
    other = hr.loc[hr["unit_id"] == "FS-KAR", "employee_id"].iloc[0]  # another unit's employee
    path = data_copy / "budget_explanations.csv"
    df = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    assert (df["unit_id"] != "FS-KAR").any()
    row = df.index[df["unit_id"] != "FS-KAR"][0]
    df.loc[row, "explanation"] = f"Vikar for {other} (langtidssygemeldt)."
    df.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    source = FolderSource(data_copy)
    source.validate_all()
    texts = source.validated("budget_explanations")["explanation"]
    assert texts.loc[row] == f"Vikar for {KEY_NOTE} (langtidssygemeldt)."
    assert not texts.str.contains(other).any()


def test_the_guard_counts_each_identifier_once_however_often_it_stands() -> None:
    """A raw key in many cells is one person key; a pseudonym and a CPR-like number are counted
    once each; a label that is no one's key is not a leak."""
    from toolkit.data.privacy import find_leaks

    secret_key = b"k" * 32
    known = {pseudonym("EMP04711", secret_key), pseudonym("EMP04712", secret_key)}
    shown = pseudonym("EMP09999", secret_key)
    texts = [
        "EMP04711 Sygeplejersker",
        "Sygeplejersker",
        "EMP04711",
        f"{shown} 010190-1234",
        shown,
        "EMP04713",
    ] * 50
    assert find_leaks(texts, known, secret_key) == {"pseudonym": 1, "person key": 1, "CPR-like number": 1}
    assert find_leaks(["Sygeplejersker", "12,5"], known, secret_key) == {}
