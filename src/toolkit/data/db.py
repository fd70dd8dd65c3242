"""The tables in a database: ``--data postgresql://user@host/db`` (any database SQLAlchemy speaks).

:class:`DatabaseSource` reads the same tables as a data folder (``units``, ``hours``, ...: one
database table per data-model table, with the model's columns) and validates them with the
same rules and messages; a message names the database table, the column and the row's key
(``period=2026-10, unit_id=FS-LUN, activity_id=A01``) where a file's message names its row.
Person-key columns are never part of a key shown. A read for some units and months becomes
one ``SELECT … WHERE unit_id IN (…) AND period BETWEEN …`` with bound parameters, so a unit's
report never reads the whole table.

A database holds no files: the filled-in forms come from a forms folder given beside the URL
(``--forms DIR``, :mod:`toolkit.data.forms_folder`); without one the reports that read forms say
that they are missing.

Credentials never come from a parameter file: a URL without a password lets the driver find
it (PostgreSQL: ``PGPASSWORD`` or the ``~/.pgpass`` file, ``PGPASSFILE``). A URL is shown
everywhere with its password masked (:func:`shown_url`).

:func:`load_folder` (``toolkit load-db``) writes a data folder into a database: each table as
the folder source reads it *before* validation's type conversion is stored with the model's
column types (codes already translated by the mapping tables, person keys as delivered: the
database source pseudonymises on read, as the folder does). A folder with any problem is
refused, so the database starts clean.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from toolkit.core.errors import DataStructureError, DataValidationError, ParameterError
from toolkit.data.datasource import common_periods, end_of_month
from toolkit.data.mappings import mapped_columns, missing_mappings
from toolkit.data.pseudonyms import person_key_columns
from toolkit.data.readers import DECIMAL_COMMA_COL, FILE_COL, KEY_COL, ROW_COL
from toolkit.data.schemas import TABLES, get_table, table_meta
from toolkit.data.tablesource import CORE_MONTHLY, TableSource
from toolkit.data.validation import Problem, check_structure, text_series

#: The table ``toolkit load-db`` writes the folder's ``metadata.yaml`` into (``as_of``, ``source``).
METADATA_TABLE = "toolkit_metadata"
#: A month written as YYYY-MM (anything else is kept by a filtered read, so it is reported).
_MONTH_LIKE = "____-__"


#: Passwords given in a URL on the command line, by the masked URL that stands for it from then on.
_PASSWORDS: dict[str, str] = {}


def hide_password(text: str) -> str:
    """``text`` (a database URL) masked; its password is kept in this process only, by the mask.

    The command line calls this on ``--data URL`` at once, so that every later log line,
    manifest and message carries the masked URL; :func:`database_url` puts the password back
    when it connects.
    """
    url = database_url(text)
    shown = shown_url(url)
    if url.password is not None:
        _PASSWORDS[shown] = str(url.password)
    return shown


def database_url(text: str) -> URL:
    """``text`` as an SQLAlchemy URL; ``postgresql://`` means the psycopg (v3) driver.

    A URL masked by :func:`hide_password` gets its password back.

    Raises
    ------
    ParameterError
        If ``text`` is not a database URL.
    """
    try:
        url = make_url(text)
    except sa.exc.ArgumentError:
        raise ParameterError(
            f"'{_mask_text(text)}' is not a database URL (postgresql://user@host/db)"
        ) from None
    if text in _PASSWORDS:
        url = url.set(password=_PASSWORDS[text])
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def shown_url(url: str | URL) -> str:
    """A database URL as logs, manifests and messages show it: ``postgresql://user:***@host/db``."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except sa.exc.ArgumentError:
        return _mask_text(str(url))
    shown = parsed.render_as_string(hide_password=True)
    return shown.replace("postgresql+psycopg://", "postgresql://", 1)


def mask_argv(argv: list[str]) -> list[str]:
    """A command line as a manifest records it: every URL's password masked (``--data=URL`` too)."""
    out = []
    for arg in argv:
        head, eq, tail = arg.partition("=") if arg.startswith("--") else ("", "", arg)
        out.append(head + eq + shown_url(tail) if "://" in tail else arg)
    return out


def _mask_text(text: str) -> str:
    """Hide a ``user:password@`` part of something that is not a parseable URL."""
    head, sep, tail = text.partition("://")
    if sep and "@" in tail:
        cred, _, rest = tail.rpartition("@")
        user = cred.split(":", 1)[0]
        return f"{head}://{user}:***@{rest}" if ":" in cred else text
    return text


def _connect_error(url: URL, exc: Exception) -> ParameterError:
    """One line: which database could not be reached and why (never the password)."""
    first = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["unknown error"])[0]
    if url.password:
        first = first.replace(str(url.password), "***")
    return ParameterError(f"cannot connect to the database {shown_url(url)}: {first}")


def connect(text: str | URL) -> Engine:
    """An engine for the database at ``text``, checked by connecting once.

    Raises
    ------
    ParameterError
        If the database cannot be reached or refuses the login (one line, no password).
    """
    url = database_url(text) if isinstance(text, str) else text
    engine = sa.create_engine(url, pool_pre_ping=True)
    try:
        with engine.connect():
            pass
    except (sa.exc.DBAPIError, sa.exc.NoSuchModuleError, OSError) as exc:
        engine.dispose()
        raise _connect_error(url, exc) from None
    return engine


def key_columns(table: str) -> list[str]:
    """The columns that name a row of ``table`` in a message: its unique key, without person keys."""
    model = get_table(table)
    schema = model.to_schema()
    unique = schema.unique
    key = [unique] if isinstance(unique, str) else list(unique or [])
    if not key:
        key = [n for n, c in schema.columns.items() if c.unique][:1]
    persons = set(person_key_columns(model))
    return [c for c in key if c not in persons]


class DatabaseSource(TableSource):
    """The data-model tables in a database, validated on read; filters pushed down as ``WHERE``."""

    def __init__(self, url: str | URL, *, forms: Path | None = None) -> None:
        super().__init__()
        self.url = database_url(url) if isinstance(url, str) else url
        self.engine = connect(self.url)
        #: Filled forms are files: a forms folder may be given (``--forms DIR``); else there are none.
        self._forms = forms
        self.root = self.original_folder
        inspector = sa.inspect(self.engine)
        names = set(inspector.get_table_names())
        self._columns: dict[str, list[str]] = {
            name: [c["name"] for c in inspector.get_columns(name)] for name in sorted(names & set(TABLES))
        }
        self._has_metadata = METADATA_TABLE in names
        missing = [n for n, m in TABLES.items() if table_meta(m)["required"] and n not in self._columns]
        if missing:
            raise DataStructureError(
                [f"required table '{m}' is missing from the database {self.description}" for m in missing]
            )

    @property
    def description(self) -> str:
        return shown_url(self.url)

    def tables(self) -> set[str]:
        return set(self._columns)

    def shown_name(self, table: str) -> str:
        return f"database table '{table}'"

    def check_structure(self) -> list[Problem]:
        problems: list[Problem] = []
        for name, columns in self._columns.items():
            model = get_table(name)
            shown = self.shown_name(name)
            problems += missing_mappings(name, model, columns, self._columns, shown)
            problems += check_structure(name, model, mapped_columns(name, model, columns), shown)
        return problems

    def _select(self, table: str) -> sa.Select[Any]:
        cols = self._columns[table]
        t = sa.table(table, *[sa.column(c) for c in cols])
        order = [t.c[c] for c in key_columns(table) if c in cols] or [t.c[cols[0]]]
        return sa.select(t).order_by(*order)

    def _fetch(self, table: str, stmt: sa.Select[Any]) -> pd.DataFrame:
        with self.engine.connect() as conn:
            frame = pd.read_sql(stmt, conn)
        frame.columns = [str(c) for c in frame.columns]
        frame[FILE_COL] = self.shown_name(table)
        frame[ROW_COL] = range(1, len(frame) + 1)
        frame[DECIMAL_COMMA_COL] = False
        key = [c for c in key_columns(table) if c in frame]
        if key:
            text = pd.Series("", index=frame.index, dtype="string")
            for i, c in enumerate(key):
                text = text + ("" if i == 0 else ", ") + f"{c}=" + text_series(frame[c]).fillna("")
            frame[KEY_COL] = text.astype(object)
        return frame

    def read_whole(self, table: str) -> pd.DataFrame:
        return self._fetch(table, self._select(table))

    def read_rows(
        self, table: str, units: Sequence[str] | None, start: str | None, end: str | None
    ) -> pd.DataFrame | None:
        meta = table_meta(get_table(table))
        stmt = self._select(table)
        t = stmt.selected_columns
        unit_col, period_col = meta["unit_column"], meta["period_column"]
        if units is not None and unit_col in self._columns[table]:
            stmt = stmt.where(t[unit_col].in_(list(units)))
        if period_col in self._columns[table] and (start or end):
            inside = sa.and_(
                *([t[period_col] >= start] if start else []), *([t[period_col] <= end] if end else [])
            )
            stmt = stmt.where(sa.or_(inside, t[period_col].is_(None), t[period_col].not_like(_MONTH_LIKE)))
        return self._fetch(table, stmt)

    def periods(self) -> list[str]:
        months = []
        for name in CORE_MONTHLY:
            if name in self._columns:
                t = sa.table(name, sa.column("period"))
                with self.engine.connect() as conn:
                    found = conn.execute(sa.select(t.c.period).distinct()).scalars().all()
                months.append({str(p) for p in found if p is not None})
        return common_periods(months)

    def _metadata(self) -> dict[str, Any]:
        if not self._has_metadata:
            return {}
        t = sa.table(METADATA_TABLE, sa.column("as_of"), sa.column("source"))
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.c.as_of, t.c.source).limit(1)).first()
        return {"as_of": row[0], "source": row[1]} if row is not None else {}

    def as_of(self) -> date:
        value = self._metadata().get("as_of")
        if value:
            return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        return end_of_month(self.latest_period())

    def table_fingerprint(self, table: str) -> str:
        """A hash of one table's rows; PostgreSQL computes it in the server (no rows are sent), once per source."""
        if self.engine.dialect.name != "postgresql":
            return super().table_fingerprint(table)

        def compute() -> str:
            quoted = self.engine.dialect.identifier_preparer.quote(table)
            query = sa.text(
                f"SELECT count(*), md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) FROM {quoted} t"
            )
            with self.engine.connect() as conn:
                count, digest = conn.execute(query).one()
            columns = ",".join(self._columns[table])
            return hashlib.sha256(f"{columns}|{count}|{digest}".encode()).hexdigest()

        return self._once(("table", table), compute)  # a run scans each table once

    def fingerprint(self) -> str:
        """A hash of every table's rows and of the filled-in forms of the forms folder given."""
        from toolkit.data.sources import with_forms

        digest = hashlib.sha256()
        for name in sorted(self._columns):
            digest.update(f"{name}:{self.table_fingerprint(name)}".encode())
        return with_forms(digest.hexdigest(), self._forms)


def load_folder(folder: Path, url: str, *, replace: bool = False) -> dict[str, int]:
    """Write the tables of data folder ``folder`` into the database at ``url`` (``toolkit load-db``).

    Returns the number of rows written per table.

    Raises
    ------
    DataValidationError
        If the folder has any problem (nothing is written).
    ParameterError
        If the database cannot be reached, or a table exists already and ``replace`` is False.
    """
    from toolkit.data.sources import FolderSource

    source = FolderSource(folder)
    report = source.validate_all()
    if not report.ok:
        raise DataValidationError(report.problems)
    engine = connect(url)
    existing = set(sa.inspect(engine).get_table_names()) & (set(source.tables()) | {METADATA_TABLE})
    if existing and not replace:
        raise ParameterError(
            f"the database {shown_url(engine.url)} already holds {', '.join(sorted(existing))}; "
            "give --replace to overwrite them"
        )
    written: dict[str, int] = {}
    with engine.begin() as conn:
        for name in sorted(source.tables()):
            typed = source.delivered(name)
            method = _copy_rows if conn.dialect.name == "postgresql" else "multi"
            typed.to_sql(name, conn, if_exists="replace", index=False, method=method, chunksize=10_000)
            written[name] = len(typed)
        meta = pd.DataFrame({"as_of": [source.as_of()], "source": [str(folder)]})
        meta.to_sql(METADATA_TABLE, conn, if_exists="replace", index=False)
    engine.dispose()
    return written


def _copy_rows(table: Any, conn: Any, keys: list[str], data_iter: Any) -> int:
    """pandas ``to_sql`` method for PostgreSQL: the rows through ``COPY … FROM STDIN`` (fast)."""
    name = ".".join(f'"{part}"' for part in (table.schema, table.name) if part)
    columns = ", ".join(f'"{k}"' for k in keys)
    count = 0
    with conn.connection.cursor() as cur, cur.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
        for row in data_iter:
            copy.write_row(row)
            count += 1
    return count


__all__ = [
    "METADATA_TABLE",
    "DatabaseSource",
    "connect",
    "hide_password",
    "key_columns",
    "load_folder",
    "mask_argv",
    "shown_url",
]
