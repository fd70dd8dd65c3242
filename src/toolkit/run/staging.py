"""Staging: validate the data once and partition them by unit for the report runs.

The runner calls :func:`stage` before any report runs. It validates the rows the run needs
(structure problems and problems that concern every unit stop the run), writes each table as
Parquet, one file per unit, and computes the agreed aggregates for comparison. The notebooks
then read the staged dataset through :class:`~toolkit.data.StagedSource`, so each run reads
only its own unit's rows and never validates again.

The rows a run needs are those of the hospitals of the units in the run (every unit of each
such hospital: a department's full cost per case allocates the hospital's shared cost centres,
and the suppression pattern is one for the hospital's tree, so a figure never depends on which
other units happen to be in the run); the catalogues and the tables without units are
validated whole. A run for one department so costs in proportion to its hospital, not to the
region (read from a database or a Parquet store, the other hospitals' rows are not even read).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from toolkit.core.errors import DataValidationError
from toolkit.data.aggregates import AGGREGATE_NOTEBOOKS, AGGREGATES, Aggregate
from toolkit.data.cache import StageCache, aggregate_code_fingerprint, aggregate_key
from toolkit.data.hierarchy import hospital_units
from toolkit.data.params import Params
from toolkit.data.pseudonyms import secret
from toolkit.data.readers import BOOKKEEPING
from toolkit.data.schemas import TABLES, table_meta
from toolkit.data.sources import STAGED_MARKER, StagedSource, TableSource, ValidationReport

#: The cache folder of a table's staged files is this prefix and the table's name.
STAGED_PREFIX = "_staged."


def _read_by_reports(table: str) -> bool:
    return table not in TABLES or bool(table_meta(TABLES[table])["reports"])


@dataclass
class StageResult:
    """A staged dataset and the units whose own rows failed validation."""

    root: Path
    source: StagedSource
    failed: dict[str, list[str]] = field(default_factory=dict)
    #: Each input table's fingerprint (content hash): what a report read, for ``--changed-only``.
    fingerprints: dict[str, str] = field(default_factory=dict)
    #: The staged-data cache per table: "hit", "miss" or "rebuilt" (empty without the cache).
    cache: dict[str, str] = field(default_factory=dict)


def person_columns(table: str) -> list[str]:
    """Columns of ``table`` that hold person-level identifiers (metadata ``person_key``)."""
    schema = TABLES[table].to_schema()
    return [name for name, col in schema.columns.items() if (col.metadata or {}).get("person_key")]


def staged_units(folder: TableSource, aggregate_units: Iterable[str]) -> list[str] | None:
    """The units whose rows a run stages: every unit of the hospitals of ``aggregate_units``.

    A hospital is a unit's top ancestor (or the unit itself). The whole hospital, not only the
    units compared: the unit-cost engine allocates the hospital's shared cost centres to every
    department, and the suppression pattern covers the hospital's tree, so the figures of a
    unit's report are the same whichever units share its run. None (every unit) when that is
    all of them anyway.
    """
    catalogue = folder.units()
    wanted = {w for u in aggregate_units for w in hospital_units(catalogue, u)}
    if wanted >= set(catalogue["unit_id"]):
        return None
    return sorted(wanted)


def stage(
    folder: TableSource,
    out: Path,
    *,
    period: str,
    aggregate_units: Iterable[str],
    params_for: Callable[[str], Params],
    notebooks: Sequence[str] | None = None,
    cache: bool = True,
) -> StageResult:
    """Validate the rows the run needs (:func:`staged_units`) and write the staged dataset to ``out``.

    With ``cache`` (and unless ``TOOLKIT_STAGE_CACHE=off``) each table's validation is kept
    in the staged-data cache (:mod:`toolkit.data.cache`, the source's
    :attr:`~toolkit.data.tablesource.TableSource.stage_cache`, which keeps the catalogues'
    validation whenever the cache is on): a table unchanged since an earlier run is not
    validated again, and its staged files are copied from the cache (each checked against its
    hash) instead of written again (their key: the table's validation key, the units that
    failed and this module's code). So is each comparison aggregate (:func:`write_aggregate`):
    one whose inputs, units, period, parameters and code are unchanged is not computed again.

    Raises
    ------
    DataStructureError
        If a table is missing or has missing/extra columns.
    DataValidationError
        If a problem concerns every unit (a catalogue, an unknown unit, ...).
    """
    from toolkit import analyses

    analyses.load_all()  # every analysis's aggregates and checks are registered
    aggregate_units = list(aggregate_units)
    store = folder.stage_cache if cache else None
    scope = staged_units(folder, aggregate_units)
    found = folder.validate_all(scope, cache=store)
    # A table no report reads (recipients) is checked by `toolkit validate` and `toolkit send`;
    # its problems stop no report.
    report = ValidationReport([p for p in found.problems if _read_by_reports(p.table)])
    if report.global_problems:
        raise DataValidationError(report.global_problems)
    failed = {u: [str(p) for p in report.unit_problems(u)] for u in sorted(report.failed_units)}
    fingerprints = {name: folder.table_fingerprint(name) for name in sorted(folder.tables())}
    out.mkdir(parents=True, exist_ok=True)
    tables_dir = out / "tables"
    person_keys: dict[str, set[str]] = {}
    staging_code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    for name in sorted(folder.tables()):
        folder_t = tables_dir / name
        validation_key = folder.cache_key(name) if store is not None else None
        key = ""
        if store is not None and validation_key is not None:
            doc = {"validation": validation_key, "failed": sorted(failed), "code": staging_code}
            key = hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()
            cached = _unit_keys(store.copy_files(STAGED_PREFIX + name, key, folder_t))
            if cached is not None:  # the same rows staged the same way before: their files
                for unit, listed in cached.items():
                    person_keys.setdefault(unit, set()).update(listed)
                continue
            shutil.rmtree(folder_t, ignore_errors=True)  # what a corrupt entry left
        found_keys = stage_table(folder, name, folder_t, set(failed))
        for unit, keys in found_keys.items():
            person_keys.setdefault(unit, set()).update(keys)
        if key and store is not None:
            store.put_files(
                STAGED_PREFIX + name, key, folder_t, {u: sorted(k) for u, k in found_keys.items()}
            )
    keys_dir = out / "person_keys"
    keys_dir.mkdir(exist_ok=True)
    for unit, keys in person_keys.items():
        (keys_dir / f"{unit}.txt").write_text("\n".join(sorted(keys)), encoding="utf-8")
    meta_doc = {
        "staged": True,
        "source": folder.description,  # a database URL without its password
        "source_dir": str(folder.original_folder.resolve()),  # for inputs read as delivered (forms)
        "as_of": folder.as_of().isoformat(),
        "fingerprint": folder.fingerprint(),
        "periods": folder.periods(),
        "tables": sorted(folder.tables()),
        "failed_units": failed,
        "table_fingerprints": fingerprints,
    }
    (out / STAGED_MARKER).write_text(json.dumps(meta_doc, ensure_ascii=False, indent=2), encoding="utf-8")
    source = StagedSource(out)
    ok_units = [u for u in aggregate_units if u not in failed]
    agg_dir = out / "aggregates"
    agg_dir.mkdir(exist_ok=True)
    staged_input = {
        **{k: v for k, v in meta_doc.items() if k not in ("source", "source_dir")},
        "scope": scope,
        "secret": hashlib.sha256(secret()).hexdigest() if store is not None else "",
    }
    hashes = _ParamsHashes(params_for)
    for name, func in AGGREGATES.items():
        readers = AGGREGATE_NOTEBOOKS.get(name)
        if notebooks is not None and readers is not None and not set(readers) & set(notebooks):
            continue  # no report in this run reads it
        write_aggregate(
            name, func, source, period, ok_units, hashes, agg_dir / f"{name}.parquet", store, staged_input
        )
    outcome = dict(store.outcome) if store is not None else {}
    return StageResult(root=out, source=source, failed=failed, fingerprints=fingerprints, cache=outcome)


def _unit_keys(extra: Mapping[str, object] | None) -> dict[str, list[str]] | None:
    """The person keys per unit that a staged-files entry records; None if it records none that read."""
    if extra is None:
        return None
    out: dict[str, list[str]] = {}
    for unit, keys in extra.items():
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            return None
        out[unit] = keys
    return out


def stage_table(folder: TableSource, name: str, folder_t: Path, failed: set[str]) -> dict[str, set[str]]:
    """Write table ``name``'s validated rows to folder ``folder_t``: a file per unit (but the rows
    of ``failed`` units), or ``all.parquet`` for a catalogue or a table without units. Returns
    the person keys in each unit's rows."""
    meta = table_meta(TABLES[name])
    frame = folder.validated(name)
    frame = frame.drop(columns=[c for c in BOOKKEEPING if c in frame])
    folder_t.mkdir(parents=True, exist_ok=True)
    unit_col = meta["unit_column"]
    if meta["catalogue"] or not unit_col:
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), folder_t / "all.parquet")
        return {}
    frame = frame[~frame[unit_col].isin(list(failed))]
    # One conversion to Arrow, sorted by unit (and period within it), then a slice per unit.
    order = [unit_col, *([meta["period_column"]] if meta["period_column"] else [])]
    frame = frame.sort_values(order, kind="stable")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    counts = frame[unit_col].value_counts(sort=False).sort_index()
    del frame  # the Arrow table holds the rows now
    pcols = person_columns(name)
    found: dict[str, set[str]] = {}
    start = 0
    for unit, rows in counts.items():
        part = table.slice(start, int(rows))
        start += int(rows)
        pq.write_table(part, folder_t / f"{unit}.parquet")
        for c in pcols:
            keys = pc.unique(part.column(c).drop_null().cast(pa.string())).to_pylist()
            found.setdefault(str(unit), set()).update(keys)
    return found


class _ParamsHashes:
    """``params_for`` with the hash of each unit's parameters, computed once per unit."""

    def __init__(self, params_for: Callable[[str], Params]) -> None:
        self.params_for = params_for
        self._hashes: dict[str, str] = {}

    def __call__(self, unit: str) -> str:
        """The SHA-256 of ``unit``'s parameters (every value, as JSON)."""
        if unit not in self._hashes:
            text = self.params_for(unit).model_dump_json()
            self._hashes[unit] = hashlib.sha256(text.encode()).hexdigest()
        return self._hashes[unit]


def write_aggregate(
    name: str,
    func: Aggregate,
    source: StagedSource,
    period: str,
    units: list[str],
    hashes: _ParamsHashes,
    path: Path,
    store: StageCache | None,
    staged_input: Mapping[str, object],
) -> None:
    """Write aggregate ``name`` of ``units`` for ``period`` to ``path`` (Parquet), from the cache if it holds it.

    The cache key (:func:`toolkit.data.cache.aggregate_key`) is made of ``staged_input`` (what
    the staged rows are made of: every table's fingerprint, the units staged and failed, the
    months, the as-of date, the pseudonym secret's hash), the period, the units, the toolkit
    version and the code of the aggregate's analysis and of the layers below
    (:func:`~toolkit.data.cache.aggregate_code_fingerprint`). The entry records the hash of the
    parameters of every unit the aggregate asked for, and is used only while each is unchanged.
    Without a ``store`` the aggregate is computed.
    """
    from toolkit import __version__

    if store is None:
        frame = func(source, period, units, hashes.params_for)
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
        return
    key = aggregate_key(
        name,
        {
            "staged": dict(staged_input),
            "period": period,
            "units": sorted(units),
            "version": __version__,
            "code": aggregate_code_fingerprint(func.__module__),
        },
    )
    cached = store.get_aggregate(name, key, hashes)
    if cached is not None:
        path.write_bytes(cached)
        return
    used: dict[str, str] = {}

    def recorded(unit: str) -> Params:
        params = hashes.params_for(unit)
        used[unit] = hashes(unit)
        return params

    frame = func(source, period, units, recorded)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    store.put_aggregate(name, key, path.read_bytes(), used)


def person_keys(staged_root: Path, unit: str) -> set[str]:
    """The person-level identifiers in a unit's staged rows (for the runner's privacy check)."""
    path = staged_root / "person_keys" / f"{unit}.txt"
    if not path.is_file():
        return set()
    return {line for line in path.read_text(encoding="utf-8").splitlines() if line}
