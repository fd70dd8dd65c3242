"""The ``toolkit`` command.

``toolkit run``          make reports (see :mod:`toolkit.run.runner`)
``toolkit validate``     check a data folder (or Parquet store, or database); exit 1 on any problem
``toolkit load-db``      load a data folder into a database (PostgreSQL, or any SQLAlchemy speaks)
``toolkit sample-data``  write the fictional sample hospital
``toolkit template``     write a fillable Excel form (workshop or self-assessment) for a unit
``toolkit list``         the report notebooks and the units in the data (folder, store or database)
``toolkit schema-doc``   print the data-model reference (docs/data-model.md is made from it)

Exit status: 0 ok, 1 a report or the data failed, 2 a usage or configuration error. A user's
mistake is reported as one message, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.core import config
from toolkit.core.errors import DataValidationError, ParameterError, ToolkitError
from toolkit.delivery import cli as delivery_cli
from toolkit.run import EXIT_FAILED, EXIT_OK, EXIT_USAGE


def _echo(text: str) -> None:
    print(text)  # noqa: T201


def _err(text: str) -> None:
    print(text, file=sys.stderr)  # noqa: T201


def _key_value(text: str) -> tuple[str, Any]:
    """A ``-p KEY=VALUE`` parameter: the value is plain YAML data (no tags, no aliases).

    Raises
    ------
    ParameterError
        For a parameter without ``=`` or a value that is not plain YAML (one line, exit 2).
    """
    import yaml

    from toolkit.core import safe_yaml
    from toolkit.data.validation import shown_value

    if "=" not in text:
        raise ParameterError(f"parameters are given as KEY=VALUE; got '{shown_value(text)}'")
    key, value = text.split("=", 1)
    try:
        return key.strip(), safe_yaml.load(value)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "not valid YAML"
        if isinstance(exc, yaml.constructor.ConstructorError):
            problem = "YAML tags (!!...) are not allowed"
        raise ParameterError(
            f"parameter {key.strip()!r}: the value '{shown_value(value)}' is not plain data ({problem})"
        ) from None


def _data(text: str) -> Path | str:
    """``--data``: a folder, or a database URL (its password masked at once, kept in memory)."""
    if "://" not in text:
        return Path(text)
    from toolkit.data.db import hide_password

    return hide_password(text)


FORMS_HELP = (
    "the folder of filled-in forms (need-assessment/<unit>/, shift-assessment/<unit>/); "
    "default: the data folder's forms/ (a database has none unless given)"
)
DATA_HELP = "data folder, Parquet store or database URL (postgresql://user@host/db)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``toolkit`` command."""
    parser = argparse.ArgumentParser(
        prog="toolkit", description="Management information for Danish hospitals."
    )
    parser.add_argument("--version", action="version", version=f"toolkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="make reports with papermill, in parallel")
    run.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="report notebooks (default: all)")
    who = run.add_mutually_exclusive_group()
    who.add_argument("--unit", action="append", default=[], metavar="ID", help="a unit (repeatable)")
    who.add_argument("--all-units", action="store_true", help="every unit each notebook is made for")
    run.add_argument("--period", metavar="YYYY-MM", help="the month (default: the latest in the data)")
    run.add_argument(
        "--data",
        type=_data,
        default=config.DATA_SAMPLES_DIR,
        metavar="DIR|URL",
        help=DATA_HELP,
    )
    run.add_argument("--forms", type=Path, metavar="DIR", help=FORMS_HELP)
    run.add_argument("--out", type=Path, default=config.REPORTS_DIR, metavar="DIR", help="reports folder")
    run.add_argument("--params", type=Path, default=config.PARAMS_DIR, metavar="DIR", help="parameter folder")
    run.add_argument(
        "--jobs", type=int, metavar="N", help="worker processes (default and maximum: the cores)"
    )
    run.add_argument(
        "--language", choices=["da", "en"], help="report language (default: from the parameters)"
    )
    run.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a notebook parameter (checked against the notebook's parameters cell)",
    )
    run.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="a toolkit parameter for this run (checked like the parameter files), e.g. unit_cost.method=step_down",
    )
    run.add_argument("--timeout", type=int, default=600, metavar="S", help="seconds a notebook cell may take")
    run.add_argument(
        "--scheduler",
        metavar="tcp://HOST:8786",
        help="make the reports on a Dask cluster (its workers must see the same paths); default: here",
    )
    run.add_argument(
        "--wait",
        action="store_true",
        help="wait for another run on the same --out and month (default: stop at once, exit 2)",
    )
    run.add_argument(
        "--changed-only",
        action="store_true",
        help="remake only the reports whose inputs or parameters changed since the last run of the month",
    )
    bar = run.add_mutually_exclusive_group()
    bar.add_argument(
        "--progress", dest="progress", action="store_true", default=None, help="show a progress bar"
    )
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="plain log lines")

    val = sub.add_parser("validate", help="validate a data folder, Parquet store or database")
    val.add_argument("--data", type=_data, default=config.DATA_SAMPLES_DIR, metavar="DIR|URL")
    val.add_argument("--forms", type=Path, metavar="DIR", help=FORMS_HELP)

    load = sub.add_parser(
        "load-db",
        help="load a data folder into a database or a Parquet store (credentials: PGPASSWORD/.pgpass)",
    )
    load.add_argument("--data", type=Path, default=config.DATA_SAMPLES_DIR, metavar="DIR")
    load.add_argument(
        "--to",
        required=True,
        type=_data,
        metavar="URL|DIR",
        help="postgresql://user@host/db, or a new folder",
    )
    load.add_argument("--replace", action="store_true", help="overwrite tables the database holds already")

    sample = sub.add_parser("sample-data", help="write the fictional sample hospital")
    sample.add_argument("--out", type=Path, required=True, metavar="DIR")
    sample.add_argument("--seed", type=int, default=42)
    sample.add_argument("--scale", type=int, default=1, help="number of hospitals (for benchmarks)")
    sample.add_argument("--end", default="2026-10", metavar="YYYY-MM", help="the last month")

    form = sub.add_parser("template", help="write a fillable Excel form for a unit")
    form.add_argument(
        "form", metavar="FORM", help="the form (one an analysis registers; an unknown name lists them)"
    )
    form.add_argument("--unit", required=True, metavar="ID")
    form.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx")
    form.add_argument(
        "--data", type=_data, default=config.DATA_SAMPLES_DIR, metavar="DIR|URL", help=DATA_HELP
    )
    form.add_argument("--params", type=Path, default=config.PARAMS_DIR, metavar="DIR")

    lst = sub.add_parser("list", help="list report notebooks and units")
    lst.add_argument("--data", type=_data, default=config.DATA_SAMPLES_DIR, metavar="DIR|URL", help=DATA_HELP)

    doc = sub.add_parser("schema-doc", help="print the data-model reference as Markdown")
    doc.add_argument(
        "--write", type=Path, metavar="FILE", help="update the generated section of FILE instead"
    )
    delivery_cli.add_commands(sub)  # toolkit send, toolkit publish
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``toolkit`` command; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return COMMANDS[args.command](args, args_list)
    except ParameterError as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    except DataValidationError as exc:
        _err(f"error: {exc}")
        return EXIT_FAILED
    except ToolkitError as exc:
        _err(f"error: {exc}")
        return EXIT_FAILED


def _cmd_run(args: argparse.Namespace, argv: list[str]) -> int:
    from toolkit.run.launch import RunRequest, launch
    from toolkit.run.signals import RunInterrupted

    if any("://" in a for a in argv):  # a database URL: its password never reaches the manifest
        from toolkit.data.db import mask_argv

        argv = mask_argv(argv)

    req = RunRequest(
        notebooks=args.notebooks,
        units=args.unit,
        all_units=args.all_units,
        period=args.period,
        data_dir=args.data,
        out_dir=args.out,
        params_dir=args.params,
        jobs=args.jobs,
        language=args.language,
        settings=args.settings,
        extra=dict(_key_value(p) for p in args.param),
        timeout=args.timeout,
        scheduler=args.scheduler,
        progress=args.progress,
        wait=args.wait,
        changed_only=args.changed_only,
        argv=["toolkit", *argv],
        forms=args.forms,
    )
    # The workers start first (launch imports neither the runner nor the data layer), so that
    # their kernels get ready while this process imports the rest and reads the data.
    try:
        with launch(req) as launched:
            from toolkit.run.runner import run

            return run(req, echo=_err, launched=launched).exit_code
    except RunInterrupted as exc:  # a signal before the runner took over, or after it finished
        _err(f"error: the run was stopped ({exc}): the temporary folder was removed")
        return exc.exit_code


def _load_rules() -> None:
    """Register every rule across tables: the analyses' and the recipients table's (a report run
    leaves the latter out: no report reads the recipients table)."""
    from toolkit import analyses
    from toolkit.delivery import recipients  # noqa: F401  (registers check_recipients)

    analyses.load_all()


def _cmd_validate(args: argparse.Namespace, argv: list[str]) -> int:
    from toolkit.data.sources import open_tables

    _load_rules()  # the analyses' and the recipients table's rules across tables are checked too
    folder = open_tables(args.data, forms=args.forms)
    structure = folder.check_structure()
    if structure:
        raise DataValidationError(structure)
    report = folder.validate_all()
    if report.ok:
        units = folder.units()
        _echo(
            f"{args.data}: ok — {len(folder.tables())} tables, {len(units)} units, "
            f"months {folder.periods()[0]} … {folder.periods()[-1]}"
        )
        return EXIT_OK
    _err(f"{args.data}: {len(report.problems)} problem(s)")
    for p in report.problems:
        scope = "all units" if p.is_global else ", ".join(sorted(p.units or []))
        _err(f"- [{scope}] {p}")
    return EXIT_FAILED


def _cmd_load_db(args: argparse.Namespace, argv: list[str]) -> int:
    from toolkit.data.db import load_folder
    from toolkit.data.store import write_store

    _load_rules()  # what is loaded is validated as `toolkit validate` would
    if isinstance(args.to, Path):
        written = write_store(args.data, args.to)  # a month-partitioned Parquet store
    else:
        written = load_folder(args.data, args.to, replace=args.replace)
    _echo(f"loaded {len(written)} tables ({sum(written.values())} rows) from {args.data} into {args.to}")
    return EXIT_OK


def _cmd_sample(args: argparse.Namespace, argv: list[str]) -> int:
    from toolkit import analyses
    from toolkit.run.samples import write_sample

    analyses.load_all()
    paths = write_sample(args.out, seed=args.seed, scale=args.scale, end=args.end)
    _echo(f"wrote {len(paths)} files to {args.out}")
    return EXIT_OK


def _cmd_template(args: argparse.Namespace, argv: list[str]) -> int:
    from toolkit import analyses
    from toolkit.data.hierarchy import ancestors, unit_info
    from toolkit.data.params import check_unit_id, load_params
    from toolkit.data.sources import open_tables
    from toolkit.report import forms

    analyses.load_all()
    writer = forms.get(args.form)
    check_unit_id(args.unit)
    source = open_tables(args.data)
    units = source.units()
    unit_info(units, args.unit)
    params = load_params(args.params, args.unit, ancestors=ancestors(units, args.unit))
    path = writer(forms.FormRequest(args.unit, source, params, args.params, args.out))
    _echo(f"wrote {path}")
    return EXIT_OK


def _cmd_list(args: argparse.Namespace, argv: list[str]) -> int:
    from toolkit.data.sources import open_tables
    from toolkit.run.jobs import list_notebooks

    source = open_tables(args.data)  # first: a wrong --data is one message, before any output
    for nb in list_notebooks(config.NOTEBOOKS_DIR).values():
        _echo(f"notebook {nb.name}: {nb.title.get('da', nb.name)} (for {', '.join(nb.levels)} units)")
    units = source.units()
    for row in units.itertuples(index=False):
        _echo(f"unit {row.unit_id}: {row.name} ({row.level})")
    return EXIT_OK


def _cmd_schema_doc(args: argparse.Namespace, argv: list[str]) -> int:
    from toolkit import analyses
    from toolkit.core.files import write_text
    from toolkit.data.docs import data_model_reference, update_document

    analyses.load_all()
    if args.write:
        write_text(args.write, update_document(args.write.read_text(encoding="utf-8")))
        _echo(f"updated {args.write}")
    else:
        _echo(data_model_reference())
    return EXIT_OK


COMMANDS = {
    "run": _cmd_run,
    "validate": _cmd_validate,
    "load-db": _cmd_load_db,
    "sample-data": _cmd_sample,
    "template": _cmd_template,
    "list": _cmd_list,
    "schema-doc": _cmd_schema_doc,
    **delivery_cli.COMMANDS,
}


def console() -> None:
    """The ``toolkit`` command: :func:`main`, then end the process once its work is done.

    The exit handlers run (output flushed, multiprocessing's and logging's clean-up), but the
    interpreter does not take its imported libraries apart one by one (about half a second
    after a run; nothing of the toolkit's is left to save by then). :func:`main` itself
    returns, for callers in Python.
    """
    import atexit
    import os

    code = main()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    console()
