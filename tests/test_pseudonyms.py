"""Pseudonymous person keys at the boundary, and the privacy check of a report's own content."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pandas as pd
import pytest

from toolkit.core.errors import ParameterError
from toolkit.data import privacy, pseudonyms
from toolkit.data.pseudonyms import KEY_ENV, KEY_FILE_ENV, is_pseudonym, pseudonym
from toolkit.data.sources import FolderSource

SECRET = b"s" * 40


@pytest.fixture
def key_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, SECRET.decode())


# --------------------------------------------------------------------------- the pseudonym


def test_a_pseudonym_is_short_readable_stable_and_keyed() -> None:
    p = pseudonym("1001", SECRET)
    assert is_pseudonym(p) and len(p) == 12 and p.startswith("P-")
    assert pseudonym("1001", SECRET) == p  # the same in every table and run
    assert pseudonym("1001", b"t" * 40) != p  # another installation, another pseudonym
    assert pseudonym("1002", SECRET) != p
    # 6-digit payroll numbers: no collisions, and none looks like its key
    numbers = [f"{n:06d}" for n in range(100000, 120000)]
    made = {pseudonym(n, SECRET) for n in numbers}
    assert len(made) == len(numbers)
    assert not any(n in p for n, p in zip(numbers, made, strict=False))


def test_the_same_key_from_excel_csv_and_parquet_gets_one_pseudonym() -> None:
    values = pd.Series([1001.0, "1001", " 1001 ", None], dtype=object)
    out = pseudonyms.pseudonymise_series(values, SECRET)
    assert out.iloc[0] == out.iloc[1] == out.iloc[2] == pseudonym("1001", SECRET)
    assert out.isna().iloc[3]


def test_without_a_key_in_the_environment_a_private_key_file_is_made_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    path = tmp_path / "config" / "toolkit" / "pseudonym.key"
    monkeypatch.setenv(KEY_FILE_ENV, str(path))
    first = pseudonyms.secret()
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600
    pseudonyms._secret.cache_clear()
    assert pseudonyms.secret() == first  # read back, not made again
    path.chmod(0o644)
    pseudonyms._secret.cache_clear()
    with pytest.raises(ParameterError, match="may be read by others"):
        pseudonyms.secret()


def test_a_short_key_in_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "short")
    with pytest.raises(ParameterError, match="at least 32 characters"):
        pseudonyms.secret()


# --------------------------------------------------------------------------- at the boundary


def test_no_raw_person_key_leaves_the_data_layer(key_env: None, sample_dir: Path) -> None:
    source = FolderSource(sample_dir)
    raw_hours = pd.read_parquet(sample_dir / "hours.parquet")
    for table, column in [("hours", "employee_id"), ("hr", "employee_id"), ("shifts", "employee_id")]:
        frame = source.read(table, units=["FS-AKU"])
        assert frame[column].map(is_pseudonym).all(), table
    assert not set(source.raw("hours")["employee_id"]) & set(raw_hours["employee_id"])
    # the same person has the same pseudonym in every table: hours and hr still join
    hours = source.read("hours", units=["FS-AKU"])
    hr = source.read("hr", units=["FS-AKU"])
    assert set(hours["employee_id"]) <= set(hr["employee_id"])


def test_headcounts_are_the_same_on_pseudonyms(key_env: None, sample_dir: Path) -> None:
    raw = pd.read_csv(sample_dir / "hr.csv", sep=";", dtype=str)
    raw = raw[raw["unit_id"] == "FS-AKU"]
    hr = FolderSource(sample_dir).read("hr", units=["FS-AKU"])
    want = raw.groupby("period")["employee_id"].nunique()
    got = hr.groupby("period")["employee_id"].nunique()
    assert want.to_dict() == got.to_dict()


def test_a_message_never_quotes_a_person_key(key_env: None, data_copy: Path) -> None:
    hr = pd.read_csv(data_copy / "hr.csv", sep=";", dtype=str)
    hr.loc[0, "fte"] = "lots"
    hr.loc[1, "employee_id"] = hr.loc[0, "employee_id"]  # a duplicate key
    hr.to_csv(data_copy / "hr.csv", sep=";", index=False)
    report = FolderSource(data_copy).validate_all()
    text = "\n".join(str(p) for p in report.problems)
    assert hr.loc[0, "employee_id"] not in text and "P-" not in text


# --------------------------------------------------------------------------- the privacy check

PLOTLY_LIKE = "<script>/*! plotly.js v2 */ var C1=1001,E123456=1;function P(){}</script>"


def _page(body: str, chart: str = "") -> str:
    return (
        f"<html><head><style>.C1{{color:red}} #E1001{{}}</style>{PLOTLY_LIKE}</head>"
        f"<body>{body}<script>Plotly.newPlot('x', {chart or '[]'})</script></body></html>"
    )


def _leaks(
    html: str, cells: list[object] | None = None, kpis: object = None, keys: tuple[str, ...] = ()
) -> list:
    known = {pseudonym(k, SECRET) for k in keys}
    return privacy.report_leaks(
        html=html,
        workbook_values=cells or [],
        kpis=kpis or {},
        pseudonyms=known,
        embedded=[PLOTLY_LIKE],
        secret_key=SECRET,
    )


KEYS = ("C1", "1001", "482913", "100001", "E1001")


def test_no_false_alarm_for_short_or_numeric_keys() -> None:
    html = _page(
        "<h1>Vagtplan oktober 2026</h1><p>1001 vagter, 482913 kr., C1 i skemaet, 12.345 timer</p>",
        chart='[{"x": [1001, 482913, 100001], "y": [1, 2], "name": "Sygeplejersker"}]',
    )
    cells: list[object] = [1001, 482913.0, "Afsnit C1", "I alt", 100001]
    kpis = {"shifts": 1001, "cost": 482913, "units": ["FS-AKU"], "note": "1001 vagter"}
    assert _leaks(html, cells, kpis, KEYS) == []


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("<td>482913</td>", "person key"),  # a 6-digit payroll number shown as text
        ("<td>E1001</td>", "person key"),
        (f"<td>{pseudonym('1001', SECRET)}</td>", "pseudonym"),  # what a notebook holds: refused
        ("<td>010203-1234</td>", "CPR-like number"),
        ("<td>0102031234</td>", "CPR-like number"),
    ],
)
def test_a_report_that_shows_an_identifier_is_refused(body: str, kind: str) -> None:
    leaks = _leaks(_page(body), keys=KEYS)
    assert [(leak.kind, leak.part) for leak in leaks] == [(kind, "HTML")]
    message = privacy.leak_message(leaks)
    assert "482913" not in message and "P-" not in message and "0102031234" not in message


def test_an_identifier_in_a_chart_label_the_workbook_or_the_json_is_found() -> None:
    p = pseudonym("C1", SECRET)
    chart = json.dumps([{"x": [1, 2], "y": [3, 4], "text": ["482913", "ok"]}])
    leaks = _leaks(_page("<p>ok</p>", chart), cells=[p, 3.5], kpis={"hover": [{"who": "E1001"}]}, keys=KEYS)
    assert {(leak.kind, leak.part) for leak in leaks} == {
        ("person key", "HTML"),
        ("pseudonym", "workbook"),
        ("person key", "JSON"),
    }


@pytest.mark.slow
def test_no_raw_key_and_no_pseudonym_is_in_any_sample_report(sample_run, sample_dir: Path) -> None:
    """Every HTML, XLSX and JSON of the sample run (``make reports``), read independently of the
    guard: no employee or contact key of the sample data, no pseudonym, in the report's own
    content (the embedded plotly.js and locale script left out)."""
    import re
    import zipfile

    from toolkit.report import assets

    summary, out = sample_run
    raw: set[str] = set()
    for table, column in (("hr", "employee_id"), ("hours", "employee_id"), ("shifts", "employee_id")):
        raw |= set(FolderSource(sample_dir).read_whole(table)[column].dropna().astype(str))
    assert len(raw) > 100
    key = re.compile(r"\b(" + "|".join(sorted(map(re.escape, raw), key=len, reverse=True)) + r")\b")
    pseudo = re.compile(r"\bP-[0-9A-HJKMNP-TV-Z]{10}\b")
    embedded = [assets.plotly_js(), assets.plotly_locale_js()]
    files = sorted(p for p in (out / summary.period).rglob("*") if p.suffix in (".html", ".xlsx", ".json"))
    assert len(files) >= 3 * len([r for r in summary.results if r.status == "ok"])
    for path in files:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                text = " ".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
        else:
            text = path.read_text(encoding="utf-8")
            for lib in embedded:
                text = text.replace(lib, "")
        assert not pseudo.search(text), (path, pseudo.search(text))
        assert not key.search(text), (path, key.search(text))
