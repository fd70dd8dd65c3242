"""The sample hospital, generated and written: the core tables and every analysis's own.

:mod:`toolkit.data.samples` holds the generator of the core tables and the registry; this
module runs it together with the generators every analysis registered
(``toolkit sample-data``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

import toolkit.analyses  # noqa: F401  (every analysis registers its tables and generators)
from toolkit.core.files import atomic_write
from toolkit.data.sample_hospital import core_tables, organisation
from toolkit.data.samples import (
    ACTIVITIES,
    DEFAULT_END,
    DEFAULT_MONTHS,
    FILE_WRITERS,
    FORMATS,
    GENERATORS,
    SampleContext,
)
from toolkit.data.schemas import TABLES


def generate(
    seed: int = 42, scale: int = 1, end: str = DEFAULT_END, months: int = DEFAULT_MONTHS
) -> dict[str, pd.DataFrame]:
    """Generate every table (core tables and registered extras) as data frames."""
    return generate_context(seed, scale, end, months).tables


def generate_context(
    seed: int = 42, scale: int = 1, end: str = DEFAULT_END, months: int = DEFAULT_MONTHS
) -> SampleContext:
    """Generate every table and return the whole context (tables, employees, organisation)."""
    if scale < 1:
        raise ValueError(f"scale must be at least 1; got {scale}")
    rng = np.random.default_rng(seed)
    end_p = pd.Period(end, freq="M")
    month_list = [str(p) for p in pd.period_range(end=end_p, periods=months, freq="M")]
    units, depts = organisation(scale)
    ctx = SampleContext(rng=rng, months=month_list, end=end, units=units, departments=depts, seed=seed)
    ctx.tables["units"] = units
    ctx.tables["activities"] = pd.DataFrame(
        [(a[0], a[1], a[2], a[3]) for a in ACTIVITIES], columns=["activity_id", "name", "kind", "volume_unit"]
    )
    core_tables(ctx)
    for func in GENERATORS.values():
        ctx.tables.update(func(ctx))
    return ctx


# --------------------------------------------------------------------------- writing


def _same_values(old: pd.DataFrame, new: pd.DataFrame) -> bool:
    if list(old.columns) != list(new.columns) or len(old) != len(new):
        return False
    for col in new.columns:
        a, b = old[col].reset_index(drop=True), new[col].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            if not np.allclose(a.astype(float), b.astype(float), equal_nan=True, rtol=0, atol=1e-9):
                return False
        elif not a.astype("string").fillna("").equals(b.astype("string").fillna("")):
            return False
    return True


def _unchanged(frame: pd.DataFrame, path: Path, fmt: str) -> bool:
    """True if ``path`` already holds the values of ``frame`` (a rerun leaves the file alone)."""
    if not path.is_file():
        return False
    try:
        if fmt == "parquet":
            old = pd.read_parquet(path)
        elif fmt == "xlsx":
            old = pd.read_excel(path, sheet_name=0)
        else:
            old = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    except Exception:  # an unreadable old file is simply replaced
        return False
    return _same_values(old, frame)


def write_table(frame: pd.DataFrame, out: Path, name: str, fmt: str) -> Path:
    """Write one table as Danish CSV (``csv``), ``xlsx`` or ``parquet`` (unless unchanged)."""
    target = out / f"{name}.{fmt}"
    if _unchanged(frame, target, fmt):
        return target
    if fmt == "parquet":
        path = out / f"{name}.parquet"
        atomic_write(path, lambda p: frame.to_parquet(p, index=False))
    elif fmt == "xlsx":
        path = out / f"{name}.xlsx"
        atomic_write(path, lambda p: frame.to_excel(p, index=False, sheet_name=name, engine="openpyxl"))
    else:
        path = out / f"{name}.csv"
        atomic_write(
            path,
            lambda p: frame.to_csv(
                p, sep=";", decimal=",", index=False, encoding="utf-8-sig", lineterminator="\r\n"
            ),
        )
    return path


def write_sample(out: str | Path, seed: int = 42, scale: int = 1, end: str = DEFAULT_END) -> list[Path]:
    """Generate the sample data and write it to folder ``out`` (created if missing)."""
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    ctx = generate_context(seed=seed, scale=scale, end=end)
    tables = ctx.tables
    written = []
    for name, frame in tables.items():
        if name not in TABLES:
            raise ValueError(f"generator produced unknown table {name!r}")
        for suffix in (".csv", ".xlsx", ".parquet"):
            stale = root / f"{name}{suffix}"
            if stale.exists() and suffix.lstrip(".") != FORMATS.get(name, "csv"):
                stale.unlink()
        written.append(write_table(frame, root, name, FORMATS.get(name, "csv")))
    last = pd.Period(end, freq="M").end_time.date()
    meta = {
        "as_of": (last + timedelta(days=5)).isoformat(),
        "source": f"Fiktive eksempeldata: toolkit sample-data --seed {seed} --scale {scale} --end {end}",
    }
    meta_path = root / "metadata.yaml"
    atomic_write(
        meta_path,
        lambda p: p.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8"),
    )
    written.append(meta_path)
    for func in FILE_WRITERS.values():
        written += func(ctx, root)
    return written
