"""Staging follows the unit, and the staged-data cache: unchanged tables are not validated again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from toolkit.core import config
from toolkit.data.hierarchy import ancestors, siblings
from toolkit.data.params import load_params
from toolkit.data.sources import FolderSource
from toolkit.run import staging

UNIT = "FS-LUN"


def _stage(data: Path, out: Path, monkeypatch, cache: Path | None) -> staging.StageResult:
    if cache is None:
        monkeypatch.setenv("TOOLKIT_STAGE_CACHE", "off")
    else:
        monkeypatch.setenv("TOOLKIT_STAGE_CACHE", str(cache))
    folder = FolderSource(data)
    units = folder.units()
    return staging.stage(
        folder,
        out,
        period="2026-10",
        aggregate_units=siblings(units, UNIT),
        params_for=lambda u: load_params(config.PARAMS_DIR, u, ancestors=ancestors(units, u)),
        notebooks=["kpi"],
    )


def _two_hospitals(data: Path) -> list[str]:
    """A second hospital (a centre and two departments) in the units catalogue; the first's units."""
    path = data / "units.csv"
    first = pd.read_csv(path, sep=";", encoding="utf-8-sig")["unit_id"].tolist()
    with path.open("a", encoding="utf-8") as fh:
        fh.write("NS;Nordby Sygehus;hospital;\nNS-MC;Medicinsk Center;centre;NS\n")
        fh.write("NS-LUN;Lungemedicin;department;NS-MC\nNS-KAR;Kardiologi;department;NS-MC\n")
    return sorted(first)


def test_a_units_run_stages_only_its_hospital(tmp_path, data_copy, monkeypatch):
    fjordby = _two_hospitals(data_copy)
    folder = FolderSource(data_copy)
    # Every unit of the unit's hospital (a figure never depends on which units share the run) ...
    assert staging.staged_units(folder, siblings(folder.units(), UNIT)) == fjordby
    assert staging.staged_units(folder, ["NS-LUN"]) == ["NS", "NS-KAR", "NS-LUN", "NS-MC"]
    # ... and none of another hospital's; both hospitals are every unit.
    assert staging.staged_units(folder, ["NS-LUN", UNIT]) is None
    result = _stage(data_copy, tmp_path / "staged", monkeypatch, cache=None)
    assert result.cache == {}
    assert set(result.fingerprints) == FolderSource(data_copy).tables()
    staged = {p.stem for p in (tmp_path / "staged" / "tables" / "hours").glob("*.parquet")}
    assert UNIT in staged and not staged & {"NS", "NS-MC", "NS-LUN", "NS-KAR"}


def _staged_frames(root: Path) -> dict[str, pd.DataFrame]:
    return {
        f"{p.parent.name}/{p.name}": pd.read_parquet(p).sort_values(
            list(pd.read_parquet(p).columns)[:3], ignore_index=True
        )
        for p in sorted((root / "tables").rglob("*.parquet"))
    }


def test_cache_unchanged_run_validates_nothing_and_a_changed_table_only_it(tmp_path, data_copy, monkeypatch):
    cache = tmp_path / "cache"
    first = _stage(data_copy, tmp_path / "s1", monkeypatch, cache)
    tables = FolderSource(data_copy).tables() - {
        t for t in FolderSource(data_copy).tables() if t in ("units",)
    }
    assert set(first.cache.values()) == {"miss"}
    second = _stage(data_copy, tmp_path / "s2", monkeypatch, cache)
    assert set(second.cache.values()) == {"hit"}, second.cache
    assert second.fingerprints == first.fingerprints
    a, b = _staged_frames(tmp_path / "s1"), _staged_frames(tmp_path / "s2")
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=False, obj=name)
    # One department's volume changes: only that table (and the checks across tables) are validated again.
    path = data_copy / "volume.csv"
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text.replace("2026-10;FS-LUN;AMB;", "2026-10;FS-LUN;AMB;1", 1), encoding="utf-8-sig")
    third = _stage(data_copy, tmp_path / "s3", monkeypatch, cache)
    changed = {t for t, outcome in third.cache.items() if outcome != "hit"}
    assert changed == {
        "volume",
        "_staged.volume",
        "_months.volume",
        "_checks",
        "_aggregate.unit_key_ratios",
    }, third.cache
    assert {t for t in tables if third.fingerprints.get(t) != first.fingerprints.get(t)} == {"volume"}
    # A corrupt entry (same size, other bytes) is detected by its hash, removed and rebuilt.
    rows = next((cache / "hours").glob("*/rows.parquet"))
    rows.write_bytes(rows.read_bytes()[:-100] + b"x" * 100)
    fourth = _stage(data_copy, tmp_path / "s4", monkeypatch, cache)
    assert fourth.cache["hours"] == "rebuilt" and fourth.cache["hr"] == "hit"
    assert fourth.failed == first.failed == {}
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "s1" / "tables" / "hours" / f"{UNIT}.parquet"),
        pd.read_parquet(tmp_path / "s4" / "tables" / "hours" / f"{UNIT}.parquet"),
    )
    assert next((cache / "hours").glob("*/entry.json")).is_file()  # the rebuilt entry is stored again


@pytest.fixture(autouse=True)
def _no_leftovers(tmp_path):
    yield
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_cache_entries_keep_rows_and_problems_and_old_ones_are_evicted(tmp_path):
    from toolkit.data.cache import KEEP, StageCache
    from toolkit.data.validation import Problem

    cache = StageCache(tmp_path / "c")
    frame = pd.DataFrame({"unit_id": ["A", "B"], "hours": [1.5, 2.0]})
    problem = Problem("hours", "hours.csv", "hours", "must be ≥ 0", (3,), 1, ("-1",), frozenset({"B"}))
    cache.put("hours", "k0", frame, [problem])
    rows, problems = cache.get("hours", "k0")
    pd.testing.assert_frame_equal(rows, frame)
    assert problems == [problem] and str(problems[0]) == str(problem)
    assert cache.get("hours", "other") is None and cache.outcome["hours"] == "miss"
    (tmp_path / "c" / "hours" / "k0" / "problems.json").write_text(
        "[]", encoding="utf-8"
    )  # edited: hash differs
    assert cache.get("hours", "k0") is None and cache.outcome["hours"] == "rebuilt"
    assert not (tmp_path / "c" / "hours" / "k0").exists()
    for i in range(KEEP + 2):
        cache.put("hours", f"k{i + 1}", frame, [])
    assert len(list((tmp_path / "c" / "hours").iterdir())) == KEEP


def test_a_changed_form_is_checked_again_not_answered_from_the_cache(tmp_path, data_copy, monkeypatch):
    """The checks across tables read the filled-in forms: their cache entry follows the forms."""
    from openpyxl import load_workbook

    cache = tmp_path / "cache"
    first = _stage(data_copy, tmp_path / "s1", monkeypatch, cache)
    assert first.failed == {}
    form = sorted((data_copy / "forms" / "need-assessment" / "FS-ORT").glob("*.xlsx"))[1]
    wb = load_workbook(form)
    wb["Vurdering"]["E9"] = 7
    wb.save(form)
    second = _stage(data_copy, tmp_path / "s2", monkeypatch, cache)
    missed = {name for name, outcome in second.cache.items() if outcome != "hit"}
    assert missed and all(name not in FolderSource(data_copy).tables() for name in missed), missed
    assert "FS-ORT" in second.failed  # every table from the cache, but the broken form is found
    assert any("must be a whole number 1–5; found 7" in p for p in second.failed["FS-ORT"])


PROBE = """
from toolkit.data.params import Params
import pandas as pd

CALLS = []


def probe(source, period, units, params_for):
    CALLS.append(period)
    rows = [{"unit_id": u, "period": period, "language": params_for(u).language} for u in units]
    return pd.DataFrame(rows, columns=["unit_id", "period", "language"])
"""


def test_comparison_aggregates_are_cached_by_inputs_units_period_params_and_code(
    tmp_path, data_copy, monkeypatch
):
    """An aggregate is computed again only when something it depends on changed; a corrupt entry is rebuilt."""
    import functools
    import hashlib
    import importlib

    from toolkit.analyses.kpi.results import key_ratio_aggregate
    from toolkit.data import aggregates

    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "aggprobe.py").write_text(PROBE, encoding="utf-8")
    probe_module = importlib.import_module("aggprobe")
    ratio_calls: list[str] = []

    @functools.wraps(key_ratio_aggregate)  # keeps the module: the code fingerprint is the KPI analysis's
    def counted(source, period, units, params_for):
        ratio_calls.append(period)
        return key_ratio_aggregate(source, period, units, params_for)

    monkeypatch.setattr(aggregates, "AGGREGATES", {"unit_key_ratios": counted, "probe": probe_module.probe})
    monkeypatch.setattr(staging, "AGGREGATES", aggregates.AGGREGATES)
    monkeypatch.setattr(aggregates, "AGGREGATE_NOTEBOOKS", {"unit_key_ratios": ("kpi",), "probe": None})
    monkeypatch.setattr(staging, "AGGREGATE_NOTEBOOKS", aggregates.AGGREGATE_NOTEBOOKS)
    monkeypatch.setenv("TOOLKIT_STAGE_CACHE", str(tmp_path / "cache"))
    # The key's code part from the aggregate's own file only: the rest of the tree may be edited
    # while the test runs (test_aggregate_code_fingerprint... covers the whole fingerprint).
    monkeypatch.setattr(
        staging,
        "aggregate_code_fingerprint",
        lambda module: hashlib.sha256(
            Path(importlib.import_module(module).__file__).read_bytes()
        ).hexdigest(),
    )
    folder = FolderSource(data_copy)
    units = folder.units()
    english: set[str] = set()

    def params_for(u: str):
        overrides = {"language": "en"} if u in english else None
        return load_params(config.PARAMS_DIR, u, ancestors=ancestors(units, u), overrides=overrides)

    def run(name: str, period: str = "2026-10") -> staging.StageResult:
        return staging.stage(
            FolderSource(data_copy),
            tmp_path / name,
            period=period,
            aggregate_units=siblings(units, UNIT),
            params_for=params_for,
            notebooks=["kpi"],
        )

    def outcomes(result: staging.StageResult) -> dict[str, str]:
        return {k: v for k, v in result.cache.items() if k.startswith("_aggregate.")}

    def staged(name: str, aggregate: str) -> bytes:
        return (tmp_path / name / "aggregates" / f"{aggregate}.parquet").read_bytes()

    first = run("s1")
    assert outcomes(first) == {"_aggregate.unit_key_ratios": "miss", "_aggregate.probe": "miss"}
    assert len(ratio_calls) == 1 and len(probe_module.CALLS) == 1
    # Unchanged: neither is computed, and the staged files are the same bytes.
    second = run("s2")
    assert outcomes(second) == {"_aggregate.unit_key_ratios": "hit", "_aggregate.probe": "hit"}
    assert len(ratio_calls) == 1 and len(probe_module.CALLS) == 1
    assert staged("s2", "unit_key_ratios") == staged("s1", "unit_key_ratios")
    ratios = pd.read_parquet(tmp_path / "s2" / "aggregates" / "unit_key_ratios.parquet")
    assert sorted(ratios["unit_id"]) == siblings(units, UNIT)
    # Another month: computed again (and the first month's entry is still there).
    assert outcomes(run("s3", period="2026-09"))["_aggregate.probe"] == "miss"
    assert probe_module.CALLS[-1] == "2026-09" and ratio_calls[-1] == "2026-09"
    assert outcomes(run("s3b"))["_aggregate.probe"] == "hit"
    # One unit's parameters change: computed again, with them.
    english.add(UNIT)
    calls = len(ratio_calls)
    assert outcomes(run("s4")) == {"_aggregate.unit_key_ratios": "miss", "_aggregate.probe": "miss"}
    assert len(ratio_calls) == calls + 1
    rows = pd.read_parquet(tmp_path / "s4" / "aggregates" / "probe.parquet").set_index("unit_id")
    assert rows.loc[UNIT, "language"] == "en" and (rows.drop(index=UNIT)["language"] == "da").all()
    english.clear()
    assert outcomes(run("s4b")) == {"_aggregate.unit_key_ratios": "hit", "_aggregate.probe": "hit"}
    # The aggregate's code changes: computed again.
    (tmp_path / "aggprobe.py").write_text(PROBE + "\n# a new rule\n", encoding="utf-8")
    calls = len(probe_module.CALLS)
    assert outcomes(run("s5"))["_aggregate.probe"] == "miss"
    assert len(probe_module.CALLS) == calls + 1
    # A corrupt entry (same size, other bytes) is detected, removed and rebuilt, never used.
    for entry in (tmp_path / "cache" / "_aggregate.unit_key_ratios").glob("*/rows.parquet"):
        entry.write_bytes(entry.read_bytes()[:-64] + b"x" * 64)
    calls = len(ratio_calls)
    rebuilt = run("s6")
    assert outcomes(rebuilt)["_aggregate.unit_key_ratios"] == "rebuilt"
    assert len(ratio_calls) == calls + 1
    assert staged("s6", "unit_key_ratios") == staged("s1", "unit_key_ratios")
    assert outcomes(run("s6b"))["_aggregate.unit_key_ratios"] == "hit"
    # A changed table: computed again.
    path = data_copy / "volume.csv"
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text.replace("2026-10;FS-LUN;AMB;", "2026-10;FS-LUN;AMB;1", 1), encoding="utf-8-sig")
    calls = len(ratio_calls)
    assert outcomes(run("s7")) == {"_aggregate.unit_key_ratios": "miss", "_aggregate.probe": "miss"}
    assert len(ratio_calls) == calls + 1
    # Without the cache, computed every time.
    monkeypatch.setenv("TOOLKIT_STAGE_CACHE", "off")
    calls = len(ratio_calls)
    assert run("s8").cache == {}
    assert len(ratio_calls) == calls + 1


def test_aggregate_code_fingerprint_follows_the_aggregates_module_and_the_layers_below(tmp_path, monkeypatch):
    import importlib

    from toolkit.data import cache as cache_module

    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "aggprobe2.py").write_text(PROBE, encoding="utf-8")
    importlib.import_module("aggprobe2")
    first = cache_module.aggregate_code_fingerprint("aggprobe2")
    assert cache_module.aggregate_code_fingerprint("aggprobe2") == first
    (tmp_path / "aggprobe2.py").write_text(PROBE + "\n# changed\n", encoding="utf-8")
    assert cache_module.aggregate_code_fingerprint("aggprobe2") != first
    # An analysis's aggregate: its own analysis's code, not another's.
    kpi = cache_module.aggregate_code_fingerprint("toolkit.analyses.kpi.results")
    assert kpi != cache_module.aggregate_code_fingerprint("toolkit.analyses.need_assessment.rollup")
    # A lower layer's file is part of it.
    real = Path.read_bytes
    measures = Path(cache_module.__file__).resolve().parents[1] / "measures"

    def edited(path: Path) -> bytes:
        data = real(path)
        return data + b"# edited" if path.resolve().is_relative_to(measures) else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert cache_module.aggregate_code_fingerprint("toolkit.analyses.kpi.results") != kpi


def test_aggregate_entries_follow_the_parameters_they_read(tmp_path):
    """An entry records the parameter hashes it read; another parameter set is a miss, a corrupt record is rebuilt."""
    from toolkit.data.cache import StageCache

    cache = StageCache(tmp_path / "c")
    current = {"A": "h1", "B": "h2"}
    cache.put_aggregate("agg", "k", b"rows-1", {"A": "h1"})
    assert cache.get_aggregate("agg", "k", current.__getitem__) == b"rows-1"
    assert cache.outcome["_aggregate.agg"] == "hit"
    assert cache.get_aggregate("agg", "other", current.__getitem__) is None
    assert cache.outcome["_aggregate.agg"] == "miss"
    current["A"] = "h9"
    assert cache.get_aggregate("agg", "k", current.__getitem__) is None
    assert cache.outcome["_aggregate.agg"] == "miss"
    cache.put_aggregate("agg", "k", b"rows-9", {"A": "h9"})  # kept beside the first
    assert cache.get_aggregate("agg", "k", current.__getitem__) == b"rows-9"
    current["A"] = "h1"
    assert cache.get_aggregate("agg", "k", current.__getitem__) == b"rows-1"
    for record in (tmp_path / "c" / "_aggregate.agg").glob("k-*/entry.json"):
        record.write_text("{not json", encoding="utf-8")
    assert cache.get_aggregate("agg", "k", current.__getitem__) is None
    assert cache.outcome["_aggregate.agg"] == "rebuilt"
    assert not list((tmp_path / "c" / "_aggregate.agg").iterdir())


def test_a_workbooks_columns_are_kept_by_its_content_and_a_bad_header_is_never_kept(tmp_path, monkeypatch):
    """The structure check parses a workbook once for its header; a changed or broken one is read again."""
    from toolkit.core.errors import DataStructureError
    from toolkit.data import cache as cache_module

    monkeypatch.setenv("TOOLKIT_STAGE_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "goals.xlsx"
    pd.DataFrame({"period": ["2026-01"], "unit_id": ["D1"], "value": [1.0]}).to_excel(path, index=False)
    reads: list[Path] = []
    real = cache_module.read_columns

    def counted(p: Path) -> list[str]:
        reads.append(p)
        return real(p)

    monkeypatch.setattr(cache_module, "read_columns", counted)
    assert cache_module.workbook_columns(path) == ["period", "unit_id", "value"]
    assert cache_module.workbook_columns(path) == ["period", "unit_id", "value"]
    assert len(reads) == 1  # the second answer is the record's
    # Another content: read again.
    pd.DataFrame({"period": ["2026-01"], "unit": ["D1"]}).to_excel(path, index=False)
    assert cache_module.workbook_columns(path) == ["period", "unit"] and len(reads) == 2
    # A corrupt record is removed and the workbook read again.
    for record in (tmp_path / "cache" / cache_module.COLUMNS_DIR).glob("*.json"):
        record.write_text('{"key": "x", "columns": ["forged"]}', encoding="utf-8")
    assert cache_module.workbook_columns(path) == ["period", "unit"] and len(reads) == 3
    assert cache_module.workbook_columns(path) == ["period", "unit"] and len(reads) == 3
    # A workbook whose header does not read raises every time; nothing is kept for it.
    bad = tmp_path / "hours.xlsx"
    bad.write_bytes(b"not a workbook")
    for _ in range(2):
        with pytest.raises(DataStructureError, match="not a readable Excel workbook"):
            cache_module.workbook_columns(bad)
    assert len(reads) == 5
    # Without the cache, read every time.
    monkeypatch.setenv("TOOLKIT_STAGE_CACHE", "off")
    cache_module.workbook_columns(path)
    assert len(reads) == 6


def test_a_runs_fingerprints_are_hashed_once_and_again_after_a_change(tmp_path, data_copy, monkeypatch):
    from toolkit.data import sources

    hashed: list[int] = []
    real = sources.fingerprint_files

    def counted(paths, root):
        paths = list(paths)
        hashed.append(len(paths))
        return real(paths, root)

    monkeypatch.setattr(sources, "fingerprint_files", counted)
    folder = FolderSource(data_copy)
    first = folder.table_fingerprint("volume")
    assert folder.table_fingerprint("volume") == first and len(hashed) == 1
    whole = folder.fingerprint()
    assert folder.fingerprint() == whole and len(hashed) == 2
    path = data_copy / "volume.csv"
    path.write_text(path.read_text(encoding="utf-8-sig") + "\n", encoding="utf-8-sig")
    assert folder.table_fingerprint("volume") != first and folder.fingerprint() != whole
    assert len(hashed) == 4


def test_a_cold_validation_keeps_only_the_raw_rows_a_check_reads(tmp_path, data_copy, monkeypatch):
    """With the cache, validate_all() lets each table's rows go once stored; the checks still see what they read."""
    path = data_copy / "hr.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    gone = next(i for i, line in enumerate(lines) if line.startswith("2026-10;FS-LUN;"))
    path.write_text("".join(lines[:gone] + lines[gone + 1 :]), encoding="utf-8-sig")
    monkeypatch.setenv("TOOLKIT_STAGE_CACHE", str(tmp_path / "cache"))
    source = FolderSource(data_copy)
    kept: dict[str, set[str]] = {}
    real_release = source._release_raw

    def release(table: str) -> None:  # what is held when a table's rows are let go
        kept.setdefault(table, set(source._raw) | set(source._checked) | set(source._full))
        real_release(table)

    monkeypatch.setattr(source, "_release_raw", release)
    found = source.validate_all(cache=source.stage_cache)
    missing = [p for p in found.problems if "has hours but no hr row" in str(p)]
    assert missing and all(p.units == frozenset({UNIT}) for p in missing)
    large = {"contacts", "contact_activities", "shifts", "patient_flow", "volume", "finance", "ledger"}
    assert not large & (set(source._raw) | set(source._checked) | set(source._full))
    # While the tables are validated one by one, only the rows a check reads are kept beside the
    # one being validated (hours and hr, for the check across them).
    assert kept["shifts"] & large <= {"shifts"} and {"hours", "hr"} <= kept["shifts"]
    assert kept["toil_balances"] & large == set()
    # The rows come back from the cache as validated, the same as a validation without it.
    monkeypatch.setenv("TOOLKIT_STAGE_CACHE", "off")
    plain = FolderSource(data_copy)
    again = plain.validate_all()
    assert sorted(map(str, again.problems)) == sorted(map(str, found.problems))
    for table in sorted(large):
        pd.testing.assert_frame_equal(source.validated(table), plain.validated(table), obj=table)
