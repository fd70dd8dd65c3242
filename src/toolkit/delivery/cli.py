"""The ``toolkit send`` and ``toolkit publish`` commands.

:func:`add_commands` adds both to the ``toolkit`` parser (``toolkit.run.cli`` calls it);
:data:`COMMANDS` holds their handlers by name, each ``handler(args, argv) -> exit status``.
:func:`main` runs them alone (``python -m toolkit.delivery.cli send ...``).

Exit status: 0 every mail went, 1 a mail failed or a wanted report was missing or failed,
2 a usage or configuration error (the recipients table, the parameters, SMTP settings or a
refused login: one line, no traceback, never the password).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from toolkit.core import config
from toolkit.core.errors import ToolkitError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _echo(text: str) -> None:
    print(text)  # noqa: T201


def _err(text: str) -> None:
    print(text, file=sys.stderr)  # noqa: T201


def add_commands(subparsers: Any) -> None:
    """Add ``send`` and ``publish`` to ``subparsers`` (from ``parser.add_subparsers()``)."""
    send = subparsers.add_parser(
        "send", help="mail each recipient the reports of their units (recipients table)"
    )
    send.add_argument("--period", required=True, metavar="YYYY-MM", help="the month of the run")
    send.add_argument(
        "--reports", type=Path, default=config.REPORTS_DIR, metavar="DIR", help="reports folder"
    )
    send.add_argument("--data", type=Path, default=config.DATA_SAMPLES_DIR, metavar="DIR", help="data folder")
    send.add_argument(
        "--params", type=Path, default=config.PARAMS_DIR, metavar="DIR", help="parameter folder"
    )
    send.add_argument(
        "--unit", action="append", default=[], metavar="ID", help="only the reports of this unit (repeatable)"
    )
    send.add_argument("--dry-run", action="store_true", help="write the mails as .eml files, send nothing")
    send.add_argument("--outbox", type=Path, metavar="DIR", help="folder of the .eml files (with --dry-run)")
    send.add_argument("--resend", action="store_true", help="send again what delivery.json says was sent")
    send.add_argument(
        "--intranet-url", metavar="URL", help="link the reports under URL (overrides delivery.intranet_url)"
    )
    pub = subparsers.add_parser("publish", help="copy the ok reports into an intranet folder per unit")
    pub.add_argument("--period", required=True, metavar="YYYY-MM", help="the month of the run")
    pub.add_argument("--reports", type=Path, default=config.REPORTS_DIR, metavar="DIR", help="reports folder")
    pub.add_argument("--data", type=Path, default=config.DATA_SAMPLES_DIR, metavar="DIR", help="data folder")
    pub.add_argument("--params", type=Path, default=config.PARAMS_DIR, metavar="DIR", help="parameter folder")
    pub.add_argument("--to", type=Path, required=True, metavar="DIR", help="the intranet folder")


def _guard(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace, list[str]], int]:
    def handler(args: argparse.Namespace, argv: list[str]) -> int:
        try:
            return func(args)
        except ToolkitError as exc:
            _err(f"error: {exc}")
            return EXIT_USAGE

    handler.__doc__ = func.__doc__
    return handler


def _send(args: argparse.Namespace) -> int:
    """``toolkit send``."""
    from toolkit.core.errors import ParameterError
    from toolkit.delivery.params import load_settings
    from toolkit.delivery.send import SendRequest, send

    if args.outbox is not None and not args.dry_run:
        raise ParameterError("--outbox is for --dry-run (a real send goes to the SMTP server)")
    settings = load_settings(args.params, intranet_url=args.intranet_url)
    request = SendRequest(
        period=args.period,
        reports_dir=args.reports,
        data_dir=args.data,
        settings=settings,
        units=args.unit,
        dry_run=args.dry_run,
        outbox=args.outbox,
        resend=args.resend,
    )
    summary = send(request, echo=_echo)
    counts: dict[str, int] = {}
    for o in summary.outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    _echo(", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no recipient has reports")
    return summary.exit_code


def _publish(args: argparse.Namespace) -> int:
    """``toolkit publish``."""
    from toolkit.data.sources import FolderSource
    from toolkit.delivery.params import load_language
    from toolkit.delivery.publish import publish

    units = FolderSource(args.data).units()
    lang = load_language(args.params)
    result = publish(args.period, args.reports, units, args.to, lang=lang)
    for line in result.skipped:
        _echo(f"not published: {line}")
    _echo(f"published {result.reports} report(s) to {result.folder}")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, list[str]], int]] = {
    "send": _guard(_send),
    "publish": _guard(_publish),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``send`` or ``publish`` alone; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="toolkit")
    add_commands(parser.add_subparsers(dest="command", required=True))
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0)
    return COMMANDS[args.command](args, args_list)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
