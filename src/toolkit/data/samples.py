"""A seeded generator of realistic, fictional data for a Danish hospital.

``toolkit sample-data --out DIR --seed N --scale K`` writes every table of the data model
for *Fjordby Sygehus*: 3 centres, 11 departments, 8 staff groups, 24 months, with
seasonality (holidays in July, sickness in winter) and a few departments with visible
problems, so that the reports have something to say:

* Lungemedicinsk Afdeling (``FS-LUN``): rising sick leave;
* Ortopædkirurgisk Afdeling (``FS-ORT``): budget overrun (implant prices, overtime);
* Akutafdelingen (``FS-AKU``): falling productivity (more staff, flat volume).

``--scale K`` generates K hospitals (K × the rows), for benchmarks. Tables are written as
the sample folder shows every input format: CSV as a Danish Excel saves it (semicolons,
decimal commas, UTF-8 with BOM), XLSX (goals) and Parquet (hours).

Analysis modules add their own tables with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_END = "2026-10"
DEFAULT_MONTHS = 24

STAFF_RATES = {  # salary cost per paid hour, kr.
    "Læger": 560.0,
    "Sygeplejersker": 330.0,
    "SOSU-assistenter": 270.0,
    "Lægesekretærer": 285.0,
    "Terapeuter": 320.0,
    "Radiografer": 335.0,
    "Bioanalytikere": 315.0,
    "Serviceassistenter": 245.0,
}

ACTIVITIES = [
    # id, name, kind, volume unit, cases per hour of staff time, direct cost per case (kr.)
    ("AMB", "Ambulante besøg", "core", "besøg", 0.55, 0.0),
    ("SENG", "Sengedage", "core", "sengedage", 0.085, 0.0),
    ("OP", "Operationer", "core", "operationer", 0.045, 9_000.0),
    ("AKUT", "Akutte kontakter", "core", "kontakter", 0.36, 0.0),
    ("SCAN", "Billeddiagnostiske undersøgelser", "core", "undersøgelser", 0.9, 240.0),
    ("LAB", "Laboratorieanalyser", "core", "analyser", 12.0, 16.0),
    ("ANAE", "Anæstesiforløb", "core", "forløb", 0.12, 0.0),
    ("TLF", "Telefon- og videokonsultationer", "core", "konsultationer", 1.5, 0.0),
    ("ADM", "Administration og ledelse", "internal", None, 0.0, 0.0),
    ("UDD", "Uddannelse og undervisning", "internal", None, 0.0, 0.0),
    ("KVA", "Kvalitet og udvikling", "internal", None, 0.0, 0.0),
]
ACT = {a[0]: a for a in ACTIVITIES}


@dataclass(frozen=True)
class DepartmentSpec:
    """A department of the fictional hospital."""

    code: str
    name: str
    centre: str
    size: int
    activities: tuple[str, ...]
    groups: dict[str, int]  # staff group → head count
    problem: str | None = None


CENTRES = {
    "MC": "Medicinsk Center",
    "KC": "Kirurgisk Center",
    "AC": "Akut- og Diagnostisk Center",
}
DEPARTMENTS = [
    DepartmentSpec(
        "KAR",
        "Kardiologisk Afdeling",
        "MC",
        0,
        ("AMB", "SENG", "TLF"),
        {"Læger": 12, "Sygeplejersker": 26, "SOSU-assistenter": 8, "Lægesekretærer": 6, "Terapeuter": 3},
    ),
    DepartmentSpec(
        "LUN",
        "Lungemedicinsk Afdeling",
        "MC",
        0,
        ("AMB", "SENG", "TLF"),
        {"Læger": 9, "Sygeplejersker": 22, "SOSU-assistenter": 7, "Lægesekretærer": 5, "Terapeuter": 5},
        problem="sick_leave",
    ),
    DepartmentSpec(
        "END",
        "Endokrinologisk Afdeling",
        "MC",
        0,
        ("AMB", "TLF"),
        {"Læger": 7, "Sygeplejersker": 14, "Lægesekretærer": 6, "Terapeuter": 4},
    ),
    DepartmentSpec(
        "GER",
        "Geriatrisk Afdeling",
        "MC",
        0,
        ("SENG", "AMB"),
        {"Læger": 6, "Sygeplejersker": 18, "SOSU-assistenter": 10, "Lægesekretærer": 3, "Terapeuter": 6},
    ),
    DepartmentSpec(
        "ORT",
        "Ortopædkirurgisk Afdeling",
        "KC",
        0,
        ("OP", "AMB", "SENG"),
        {"Læger": 14, "Sygeplejersker": 28, "SOSU-assistenter": 8, "Lægesekretærer": 7, "Terapeuter": 6},
        problem="budget",
    ),
    DepartmentSpec(
        "MAV",
        "Mave- og Tarmkirurgisk Afdeling",
        "KC",
        0,
        ("OP", "SENG", "AMB"),
        {"Læger": 11, "Sygeplejersker": 24, "SOSU-assistenter": 7, "Lægesekretærer": 6},
    ),
    DepartmentSpec(
        "URO",
        "Urologisk Afdeling",
        "KC",
        0,
        ("OP", "AMB"),
        {"Læger": 8, "Sygeplejersker": 16, "Lægesekretærer": 5, "Serviceassistenter": 4},
    ),
    DepartmentSpec(
        "ANE",
        "Anæstesiologisk Afdeling",
        "KC",
        0,
        ("ANAE", "SENG"),
        {"Læger": 18, "Sygeplejersker": 38, "Lægesekretærer": 4, "Serviceassistenter": 6},
    ),
    DepartmentSpec(
        "AKU",
        "Akutafdelingen",
        "AC",
        0,
        ("AKUT", "SENG"),
        {
            "Læger": 16,
            "Sygeplejersker": 36,
            "SOSU-assistenter": 9,
            "Lægesekretærer": 6,
            "Serviceassistenter": 5,
        },
        problem="productivity",
    ),
    DepartmentSpec(
        "RAD",
        "Radiologisk Afdeling",
        "AC",
        0,
        ("SCAN",),
        {"Læger": 10, "Radiografer": 24, "Lægesekretærer": 7, "Serviceassistenter": 3},
    ),
    DepartmentSpec(
        "KBA",
        "Klinisk Biokemisk Afdeling",
        "AC",
        0,
        ("LAB",),
        {"Læger": 4, "Bioanalytikere": 34, "Lægesekretærer": 4, "Serviceassistenter": 5},
    ),
]

HOLIDAY_PROFILE = np.array([0.03, 0.06, 0.03, 0.06, 0.05, 0.08, 0.36, 0.12, 0.04, 0.07, 0.03, 0.08])
VOLUME_SEASON = np.array([1.02, 1.05, 1.04, 0.98, 1.0, 0.97, 0.72, 0.88, 1.04, 1.05, 1.06, 0.9])


@dataclass
class SampleContext:
    """What the generators share: the random generator, the months and the organisation."""

    rng: np.random.Generator
    months: list[str]
    end: str
    units: pd.DataFrame
    departments: pd.DataFrame  # unit_id, name, centre_id, code, hospital, problem
    employees: pd.DataFrame = field(default_factory=pd.DataFrame)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    seed: int = 42

    def rng_for(self, name: str) -> np.random.Generator:
        """An independent random generator for generator ``name`` (core data stay unchanged)."""
        digest = int.from_bytes(name.encode("utf-8"), "little") % (2**32)
        return np.random.default_rng([self.seed, digest])


#: A generator of extra tables: gets the context (with the core tables in ``ctx.tables`` and the
#: employees in ``ctx.employees``) and returns ``{table: frame}``. Use ``ctx.rng_for(name)``.
Generator = Callable[[SampleContext], dict[str, pd.DataFrame]]
GENERATORS: dict[str, Generator] = {}
#: File format of each table in the sample folder (default: Danish CSV).
FORMATS: dict[str, str] = {"hours": "parquet", "goals": "xlsx"}


#: Writers of sample inputs that are not tables (e.g. filled-in Excel forms), called by
#: :func:`write_sample` after the tables with the context and the output folder.
FileWriter = Callable[[SampleContext, Path], list[Path]]
FILE_WRITERS: dict[str, FileWriter] = {}


def register_files(name: str) -> Callable[[FileWriter], FileWriter]:
    """Register a writer of non-table sample files (decorator)."""

    def deco(func: FileWriter) -> FileWriter:
        FILE_WRITERS[name] = func
        return func

    return deco


def register(name: str, formats: dict[str, str] | None = None) -> Callable[[Generator], Generator]:
    """Register a generator of extra tables (run after the core tables, in registration order)."""

    def deco(func: Generator) -> Generator:
        GENERATORS[name] = func
        FORMATS.update(formats or {})
        return func

    return deco
