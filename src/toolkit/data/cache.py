"""The staged-data cache: each table's validation, kept by the table's fingerprint.

Validating a table is the dear part of staging. :class:`StageCache` keeps, per table, the
validated rows and the problems found, under a key made of

* the table's fingerprint (its files' or rows' content hash),
* the fingerprints of the catalogue tables (references are checked against them),
* the toolkit version, the table's schema and the data layer's code (a new rule or message
  invalidates the entry),
* the pseudonym secret's hash (the rows hold pseudonyms), and
* the units validated (a one-unit run and a region run are different entries).

So a second run on unchanged data validates nothing, and a run after one table changed
validates only that table (and the checks across tables). An entry is a folder with the rows
(Parquet), the problems (JSON) and ``entry.json`` holding the SHA-256 of both: an entry whose
files do not match it (a corrupt, truncated or edited entry) is removed and rebuilt, never used.
A hit reads only the problems; the rows are read (and checked again) when they are needed
(:meth:`StageCache.load_rows`), so a run never holds every table's rows at once.

Under the same kind of key the cache also keeps

* each catalogue's validation, and a source's validated reads of some units' rows
  (:meth:`~toolkit.data.tablesource.TableSource.read`, e.g. for the default month), under
  ``_read.<table>``;
* the months of each core table (``_months.<table>``, small JSON records with their hash);
* each table's staged files, a Parquet file per unit, with the person keys per unit
  (``_staged.<table>``: :meth:`StageCache.copy_files`), by the table's validation key and the
  units that failed: an unchanged table is staged by copying its files, each checked against
  its hash;
* the comparison aggregates that staging computes from the staged rows
  (:meth:`StageCache.get_aggregate`), keyed by the staged input (every table's fingerprint, the
  units staged and failed), the period, the units, the toolkit version and the code the
  aggregate runs (:func:`aggregate_code_fingerprint`); each entry also records the hash of every
  unit's parameters the aggregate read, and is used only while those hashes are unchanged;
* the column names of each workbook a structure check reads (:func:`workbook_columns`), by the
  SHA-256 of the workbook's bytes and the readers' code: a workbook is parsed whole to find
  them, and an unchanged one need not be parsed again.

The cache lives in ``$TOOLKIT_STAGE_CACHE`` (``off`` switches it off), else in
``$XDG_CACHE_HOME/toolkit/staged`` (``~/.cache/toolkit/staged``), readable by its owner only;
it keeps the :data:`KEEP` latest entries per table. The rows it holds are validated rows: person
keys are pseudonyms, never the raw keys.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit.data.readers import read_columns
from toolkit.data.schemas import get_table
from toolkit.data.validation import Problem

CACHE_ENV = "TOOLKIT_STAGE_CACHE"
ENTRY = "entry.json"
#: The entry of the checks across tables (a name no table has).
CHECKS_ENTRY = "_checks"
#: Entries kept per table (one per recent scope or version of the table); older ones are removed.
KEEP = 6
#: The cache folder of a comparison aggregate is this prefix and the aggregate's name.
AGGREGATE_PREFIX = "_aggregate."
#: The folder of the workbooks' column names (:func:`workbook_columns`).
COLUMNS_DIR = "_columns"
#: The layers below the analyses: an aggregate's result may depend on any of their code.
_LOWER_LAYERS = ("core", "data", "measures", "report")


def default_cache_dir() -> Path | None:
    """Where the cache lives (None when ``TOOLKIT_STAGE_CACHE=off``)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "toolkit" / "staged"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def workbook_columns(path: Path) -> list[str]:
    """The column names of a file, as :func:`toolkit.data.readers.read_columns` reads them, kept for workbooks.

    Reading a workbook's header means parsing the whole workbook (and checking its header row
    and its formulas); the names found are kept in the cache (:func:`default_cache_dir`) under
    the SHA-256 of the file's bytes, the readers' code and the toolkit version, so an unchanged
    workbook is not parsed again for its header. A file whose header does not read (its problem
    raises) is never kept; a record that does not read or match is removed and read again.
    Other files (CSV, Parquet) are read directly: their header is cheap.

    Raises
    ------
    DataStructureError
        As :func:`~toolkit.data.readers.read_columns` does.
    """
    root = default_cache_dir()
    if root is None or path.suffix.lower() != ".xlsx":
        return read_columns(path)
    from toolkit import __version__
    from toolkit.data import readers

    data = path.read_bytes()
    digest = hashlib.sha256(data)
    digest.update(Path(readers.__file__).read_bytes())
    digest.update(__version__.encode())
    key = digest.hexdigest()
    record = root / COLUMNS_DIR / f"{key}.json"
    try:
        doc = json.loads(record.read_text(encoding="utf-8"))
        columns = doc["columns"]
        if (
            doc.get("key") != key
            or not isinstance(columns, list)
            or not all(isinstance(c, str) for c in columns)
        ):
            raise ValueError("the record does not match its key")
        return list(columns)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError):
        record.unlink(missing_ok=True)
    columns = read_columns(path)
    with contextlib.suppress(OSError):  # a read-only cache: the names are read again next time
        _write_json(record, {"key": key, "columns": columns})
    return columns


def _write_json(path: Path, doc: object) -> None:
    """Write ``doc`` as JSON to ``path`` through a private temporary file (never half a record)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=".new-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def code_fingerprint(modules: Sequence[str] = ()) -> str:
    """A hash of the data layer's code and of ``modules`` (the checks): a changed rule or message changes it."""
    import importlib

    import toolkit.data

    paths = sorted(Path(toolkit.data.__file__).parent.rglob("*.py"))
    for name in sorted(set(modules)):
        file = getattr(importlib.import_module(name), "__file__", None)
        if file:
            paths.append(Path(file))
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def aggregate_code_fingerprint(module: str) -> str:
    """A hash of the code an aggregate defined in ``module`` runs: a changed line changes it.

    The layers an analysis may import (core, data, measures, report) and the aggregate's own
    analysis package (every file of ``toolkit/analyses/<name>/``; analyses never import each
    other), or the module's file alone when it lies outside the analyses.
    """
    import importlib

    package = Path(__file__).resolve().parents[1]  # src/toolkit
    paths = sorted(p for layer in _LOWER_LAYERS for p in (package / layer).rglob("*.py"))
    file = getattr(importlib.import_module(module), "__file__", None)
    if file:
        own = Path(file).resolve()
        analyses = package / "analyses"
        if own.is_relative_to(analyses) and len(own.relative_to(analyses).parts) > 1:
            paths += sorted((analyses / own.relative_to(analyses).parts[0]).rglob("*.py"))
        else:
            paths.append(own)
    digest = hashlib.sha256(module.encode())
    for path in paths:
        digest.update(str(path.relative_to(package) if path.is_relative_to(package) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def aggregate_key(name: str, inputs: Mapping[str, object]) -> str:
    """The cache key of aggregate ``name``: a hash of ``inputs`` (JSON-able; see :func:`toolkit.run.staging.stage`)."""
    doc = {"aggregate": name, **inputs}
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def schema_fingerprint(table: str) -> str:
    """A hash of ``table``'s schema (columns, types, checks, keys): a changed rule changes it."""
    return hashlib.sha256(repr(get_table(table).to_schema()).encode()).hexdigest()[:16]


def entry_key(
    table: str,
    fingerprint: str,
    catalogues: dict[str, str],
    units: Sequence[str] | None,
    *,
    version: str,
    secret_hash: str,
    code: str = "",
) -> str:
    """The cache key of one table's validation (see the module docstring)."""
    doc = {
        "table": table,
        "fingerprint": fingerprint,
        "catalogues": dict(sorted(catalogues.items())),
        "units": sorted(units) if units is not None else None,
        "version": version,
        "schema": schema_fingerprint(table),
        "secret": secret_hash,
        "code": code,
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def checks_cache_key(table_keys: dict[str, str], checks: Sequence[str]) -> str:
    """The cache key of the checks across tables: every table's key and the checks' names."""
    doc = {"tables": dict(sorted(table_keys.items())), "checks": list(checks)}
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


class StageCache:
    """Validated tables by key, in a private folder (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        #: What this process found: table -> "hit", "miss" or "rebuilt" (a corrupt entry).
        self.outcome: dict[str, str] = {}

    def _folder(self, table: str, key: str) -> Path:
        return self.root / table / key

    def get(self, table: str, key: str) -> tuple[pd.DataFrame, list[Problem]] | None:
        """The cached rows and problems, or None (a missing, stale or corrupt entry)."""
        found = self.get_problems(table, key)
        if found is None:
            return None
        frame = self.load_rows(table, key)
        if frame is None:
            return None
        return frame, found

    def get_problems(self, table: str, key: str) -> list[Problem] | None:
        """The cached problems of an entry whose files all match their hashes, or None.

        The rows are not read (:meth:`load_rows` reads them when they are needed), so a
        table whose rows a run does not need costs a hash of its file, not its parsing.
        """
        folder = self._folder(table, key)
        entry = folder / ENTRY
        if not entry.is_file():
            self.outcome[table] = "miss"
            return None
        try:
            meta = json.loads(entry.read_text(encoding="utf-8"))
            rows, problems = folder / "rows.parquet", folder / "problems.json"
            if (
                meta.get("key") != key
                or _sha256(rows) != meta["rows"]
                or _sha256(problems) != meta["problems"]
            ):
                raise ValueError("the entry's files do not match its hashes")
            found = [_problem(p) for p in json.loads(problems.read_text(encoding="utf-8"))]
        except (OSError, ValueError, KeyError, TypeError):
            shutil.rmtree(folder, ignore_errors=True)
            self.outcome[table] = "rebuilt"
            return None
        self.outcome[table] = "hit"
        os.utime(folder)  # recently used: kept by the eviction
        return found

    def load_rows(self, table: str, key: str) -> pd.DataFrame | None:
        """The cached rows of an entry, checked against its hash as they are read; None if they do not match.

        An entry that no longer matches (changed since :meth:`get_problems` checked it) is
        removed, and the outcome becomes "rebuilt": the caller validates the table again.
        """
        folder = self._folder(table, key)
        try:
            meta = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
            data = (folder / "rows.parquet").read_bytes()
            if meta.get("key") != key or hashlib.sha256(data).hexdigest() != meta["rows"]:
                raise ValueError("the entry's rows do not match their hash")
            return pq.read_table(pa.BufferReader(data)).to_pandas()
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
            shutil.rmtree(folder, ignore_errors=True)
            self.outcome[table] = "rebuilt"
            return None

    def get_record(self, label: str, key: str) -> object | None:
        """The JSON document stored as ``label``/``key`` (:meth:`put_record`), or None (missing or corrupt)."""
        path = self._folder(label, key).with_suffix(".json")
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
            text = json.dumps(meta["doc"], sort_keys=True)
            if meta.get("key") != key or hashlib.sha256(text.encode()).hexdigest() != meta["sha"]:
                raise ValueError("the record does not match its hash")
        except FileNotFoundError:
            self.outcome[label] = "miss"
            return None
        except (OSError, ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)
            self.outcome[label] = "rebuilt"
            return None
        self.outcome[label] = "hit"
        return meta["doc"]

    def put_record(self, label: str, key: str, doc: object) -> None:
        """Store JSON document ``doc`` as ``label``/``key`` (with its hash; the latest :data:`KEEP` per label)."""
        path = self._folder(label, key).with_suffix(".json")
        text = json.dumps(doc, sort_keys=True)
        _write_json(path, {"key": key, "doc": doc, "sha": hashlib.sha256(text.encode()).hexdigest()})
        records = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in records[KEEP:]:
            old.unlink(missing_ok=True)

    def copy_files(self, label: str, key: str, dest: Path) -> dict[str, object] | None:
        """Copy the files of entry ``label``/``key`` (:meth:`put_files`) into folder ``dest``; their record, or None.

        Each file is checked against its hash as it is copied; an entry that does not match is
        removed (outcome "rebuilt") and None returned: ``dest`` may then hold some of its files,
        which the caller writes again.
        """
        folder = self._folder(label, key)
        entry = folder / ENTRY
        if not entry.is_file():
            self.outcome[label] = "miss"
            return None
        try:
            meta = json.loads(entry.read_text(encoding="utf-8"))
            files = meta["files"]
            if meta.get("key") != key or not isinstance(files, dict):
                raise ValueError("the entry's record does not match its key")
            dest.mkdir(parents=True, exist_ok=True)
            for name, digest in sorted(files.items()):
                if Path(name).name != name:
                    raise ValueError(f"the entry names a file outside it: {name!r}")
                data = (folder / name).read_bytes()
                if hashlib.sha256(data).hexdigest() != digest:
                    raise ValueError(f"the entry's file {name} does not match its hash")
                (dest / name).write_bytes(data)
            extra = meta["extra"]
            if not isinstance(extra, dict):
                raise TypeError("the entry's record is not a mapping")
        except (OSError, ValueError, KeyError, TypeError):
            shutil.rmtree(folder, ignore_errors=True)
            self.outcome[label] = "rebuilt"
            return None
        self.outcome[label] = "hit"
        os.utime(folder)  # recently used: kept by the eviction
        return extra

    def put_files(self, label: str, key: str, source: Path, extra: Mapping[str, object]) -> None:
        """Store every file of folder ``source`` (not its subfolders) with ``extra`` (JSON) as entry ``label``/``key``."""

        def write(tmp: Path) -> dict[str, object]:
            files = {}
            for path in sorted(p for p in source.iterdir() if p.is_file()):
                shutil.copyfile(path, tmp / path.name)
                files[path.name] = _sha256(tmp / path.name)
            return {"key": key, "files": files, "extra": dict(extra)}

        self._store(self._folder(label, key), write)

    def put(self, table: str, key: str, frame: pd.DataFrame, problems: list[Problem]) -> None:
        """Store one table's validation (written aside, then moved in: never half an entry)."""

        def write(tmp: Path) -> dict[str, object]:
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp / "rows.parquet")
            (tmp / "problems.json").write_text(
                json.dumps([_doc(p) for p in problems], ensure_ascii=False), encoding="utf-8"
            )
            return {
                "key": key,
                "rows": _sha256(tmp / "rows.parquet"),
                "problems": _sha256(tmp / "problems.json"),
            }

        self._store(self._folder(table, key), write)

    def _store(self, folder: Path, write: Callable[[Path], Mapping[str, object]]) -> None:
        """Write an entry aside (``write`` fills a new folder and returns its record), then move it
        in place of ``folder``: a reader never sees half an entry. Old entries are evicted."""
        folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))
        try:
            meta = write(tmp)
            (tmp / ENTRY).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            shutil.rmtree(folder, ignore_errors=True)
            tmp.rename(folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self._evict(folder.parent)

    def _evict(self, table_dir: Path) -> None:
        """Keep the :data:`KEEP` most recently written entries of a table; remove older ones."""
        entries = [p for p in table_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
        entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            shutil.rmtree(old, ignore_errors=True)

    def get_checks(self, key: str) -> list[Problem] | None:
        """The problems the checks across tables found, or None."""
        hit = self.get(CHECKS_ENTRY, key)
        return hit[1] if hit is not None else None

    def put_checks(self, key: str, problems: list[Problem]) -> None:
        """Store the problems the checks across tables found."""
        self.put(CHECKS_ENTRY, key, pd.DataFrame(), problems)

    def get_aggregate(self, name: str, key: str, params_hash: Callable[[str], str]) -> bytes | None:
        """The stored Parquet file of aggregate ``name`` under ``key``, or None.

        An entry is used only when every unit's parameters that it records still hash as
        ``params_hash(unit)`` gives (entries of other parameters are kept beside it). A corrupt
        entry (its file does not match the hash recorded, or its record does not read) is
        removed, and the outcome is "rebuilt"; else "hit", or "miss" when no entry fits.
        """
        label = AGGREGATE_PREFIX + name
        outcome = "miss"
        for folder in sorted((self.root / label).glob(f"{key}-*")):
            try:
                meta = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
                data = (folder / "rows.parquet").read_bytes()
                if meta.get("key") != key or hashlib.sha256(data).hexdigest() != meta["rows"]:
                    raise ValueError("the entry's file does not match its hash")
                used = meta["params"]
                if not isinstance(used, dict):
                    raise TypeError("the entry's parameter record is not a mapping")
            except (OSError, ValueError, KeyError, TypeError):
                shutil.rmtree(folder, ignore_errors=True)
                outcome = "rebuilt"
                continue
            if all(params_hash(str(unit)) == digest for unit, digest in sorted(used.items())):
                self.outcome[label] = "hit"
                os.utime(folder)  # recently used: kept by the eviction
                return data
        self.outcome[label] = outcome
        return None

    def put_aggregate(self, name: str, key: str, data: bytes, params: Mapping[str, str]) -> None:
        """Store aggregate ``name``'s Parquet file ``data`` under ``key``, with the hash of each
        unit's parameters it read (written aside, then moved in: never half an entry)."""
        used = dict(sorted(params.items()))
        variant = hashlib.sha256(json.dumps(used).encode()).hexdigest()[:16]
        folder = self.root / (AGGREGATE_PREFIX + name) / f"{key}-{variant}"
        folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))
        try:
            (tmp / "rows.parquet").write_bytes(data)
            meta = {"key": key, "rows": hashlib.sha256(data).hexdigest(), "params": used}
            (tmp / ENTRY).write_text(json.dumps(meta), encoding="utf-8")
            shutil.rmtree(folder, ignore_errors=True)
            tmp.rename(folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self._evict(folder.parent)


def _doc(problem: Problem) -> dict[str, object]:
    doc = asdict(problem)
    doc["units"] = sorted(problem.units) if problem.units is not None else None
    return doc


def _problem(doc: dict[str, object]) -> Problem:
    units = doc.get("units")
    return Problem(
        table=str(doc["table"]),
        file=None if doc.get("file") is None else str(doc["file"]),
        column=None if doc.get("column") is None else str(doc["column"]),
        rule=str(doc["rule"]),
        rows=tuple(int(r) for r in doc.get("rows") or ()),  # type: ignore[attr-defined]
        n_rows=int(doc.get("n_rows") or 0),  # type: ignore[call-overload]
        values=tuple(str(v) for v in doc.get("values") or ()),  # type: ignore[attr-defined]
        units=frozenset(str(u) for u in units) if isinstance(units, list) else None,
        keys=tuple(str(k) for k in doc.get("keys") or ()),  # type: ignore[attr-defined]
    )


__all__ = [
    "AGGREGATE_PREFIX",
    "CACHE_ENV",
    "StageCache",
    "aggregate_code_fingerprint",
    "aggregate_key",
    "checks_cache_key",
    "default_cache_dir",
    "entry_key",
    "schema_fingerprint",
    "workbook_columns",
]
