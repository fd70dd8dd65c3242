"""``toolkit run --changed-only``: remake only the reports whose inputs or parameters changed.

Every report of a run records in the manifest a fingerprint of what it read
(:func:`report_inputs`): the staged rows of its hospital (every unit of it: a department's
report reads its own rows, its comparison aggregates, the hospital's ledger for the full cost
per case and the hospital's HR for the suppression pattern), the catalogues, the comparison
aggregates, the filled-in forms, the notebook, the unit's parameters, the run's notebook
parameters and settings, and the toolkit version. A rerun with ``--changed-only`` compares
each planned report with the last run's record for the month (:func:`unchanged`): a report
that was ok, whose files are all still there and whose fingerprint is the same is kept as it is
and not made again; every other one is made. The rule is conservative by design: a change in
one department's rows remakes the reports of its hospital, never those of another hospital
(the comparison aggregates, which hold every hospital's rows, count only with the rows about
the hospital's units).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.core.files import fingerprint_files
from toolkit.data.params import Params
from toolkit.run.jobs import Job, JobResult

#: Notebook parameters that name where things are for this run only (not what the report shows).
RUN_LOCAL = frozenset({"data_dir", "params_dir"})


#: The column of a comparison aggregate that names the unit a row is about.
AGGREGATE_UNIT = "unit_id"


def aggregate_rows(staged_root: Path, units: Sequence[str]) -> str:
    """The fingerprint of the comparison aggregates' rows about ``units``.

    An aggregate holds a row per compared unit of the whole run (every hospital's), but a
    report reads only those of its siblings and the units below it — units of its own hospital.
    So only those rows count: a change in another hospital leaves this one's reports as they
    are. An aggregate without a unit column counts whole.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    digest = hashlib.sha256()
    wanted = sorted(set(units))
    for path in sorted((staged_root / "aggregates").glob("*.parquet")):
        table = pq.read_table(path)
        if AGGREGATE_UNIT in table.column_names:
            keep = pc.is_in(table[AGGREGATE_UNIT].cast(pa.string()), value_set=pa.array(wanted, pa.string()))
            table = table.filter(keep)
        digest.update(f"{path.name}\0{table.schema}\0".encode())
        digest.update(
            table.to_pandas().to_json(orient="split", date_format="iso", double_precision=15).encode()
        )
    return digest.hexdigest()


def staged_inputs(staged_root: Path, forms_root: Path | None, hospital: Sequence[str]) -> str:
    """The fingerprint of the staged data a report of ``hospital`` (its units) reads: their rows,
    the catalogues, the comparison aggregates' rows about them (:func:`aggregate_rows`), the
    as-of date and months, and the forms."""
    wanted = {f"{u}.parquet" for u in hospital} | {"all.parquet"}
    rows = [p for p in (staged_root / "tables").glob("*/*.parquet") if p.name in wanted]
    meta = json.loads((staged_root / "staged.json").read_text(encoding="utf-8"))
    parts = [
        fingerprint_files(rows, staged_root),
        aggregate_rows(staged_root, hospital),
        json.dumps([meta.get("as_of"), meta.get("periods")], default=str),
    ]
    if forms_root is not None and forms_root.is_dir():
        parts.append(fingerprint_files([p for p in forms_root.rglob("*") if p.is_file()], forms_root))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def report_inputs(job: Job, staged: str, params: Params) -> str:
    """The fingerprint (SHA-256) of everything the report ``job`` reads: ``staged`` (its hospital's
    :func:`staged_inputs`), the notebook, the unit's parameters, the run's notebook parameters
    and settings, and the toolkit version."""
    digest = hashlib.sha256()
    digest.update(f"toolkit {__version__}\0{staged}\0".encode())
    digest.update(Path(job.notebook_path).read_bytes())
    shown = {k: v for k, v in job.parameters.items() if k not in RUN_LOCAL}
    digest.update(json.dumps(shown, sort_keys=True, default=str).encode())
    digest.update(params.model_dump_json().encode())
    return digest.hexdigest()


def previous_runs(manifest: Path) -> dict[tuple[str, str], Mapping[str, Any]]:
    """The last run's record of each report in ``manifest`` (none if missing or unreadable)."""
    try:
        doc = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    runs = doc.get("runs") if isinstance(doc, dict) else None
    out: dict[tuple[str, str], Mapping[str, Any]] = {}
    for r in runs if isinstance(runs, list) else []:
        if isinstance(r, dict) and isinstance(r.get("notebook"), str) and isinstance(r.get("unit"), str):
            out[(r["notebook"], r["unit"])] = r
    return out


def unchanged(job: Job, inputs: str, previous: Mapping[str, Any] | None) -> JobResult | None:
    """The kept result of ``job`` if its last run was ok with the same inputs and its files are all
    there; None if it must be made."""
    if previous is None or previous.get("status") != "ok" or previous.get("inputs") != inputs:
        return None
    files = job.files
    if not (files.html.is_file() and files.xlsx.is_file() and files.json.is_file()):
        return None
    return JobResult(
        job.notebook,
        job.unit,
        "ok",
        0.0,
        files.html.name,
        files.xlsx.name,
        files.json.name,
        inputs=inputs,
        unchanged=True,
    )
