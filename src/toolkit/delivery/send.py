"""``toolkit send``: one mail per recipient with the reports they may receive, logged once.

For each person in the recipients table (:mod:`toolkit.delivery.recipients`) the reports they
are entitled to are looked up in the run's manifest: an ``ok`` report goes into the mail (as
an attachment, or as a link under ``delivery.intranet_url``), a missing or failed one is named
in the mail and in the command's output. Nothing else ever goes in: the privacy rule is asked
again for every file attached.

The send log ``delivery.json`` beside the manifest records every attempt (recipient, unit,
reports, message id, status, error); a rerun sends each person only the reports not yet sent
to them (``resend`` sends everything again). One refused message does not stop the others.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from toolkit.core.errors import ParameterError
from toolkit.core.files import write_text
from toolkit.core.periods import TIMEZONE
from toolkit.data.delivery_params import DeliveryParams
from toolkit.delivery.catalogue import report_kinds
from toolkit.delivery.mail import (
    MailGap,
    MailItem,
    MessageRefusedError,
    Outbox,
    SmtpSettings,
    SmtpTransport,
    Transport,
    build_message,
)
from toolkit.delivery.publish import unit_path
from toolkit.delivery.recipients import PrivacyError, Recipient, load_recipients, may_receive, wanted
from toolkit.delivery.reports import ReportFile, headlines, period_folder, read_manifest

LOG = "delivery.json"


@dataclass
class SendRequest:
    """What ``toolkit send`` was asked to do."""

    period: str
    reports_dir: Path
    data_dir: Path
    settings: DeliveryParams
    units: Sequence[str] = ()
    dry_run: bool = False
    outbox: Path | None = None
    resend: bool = False


@dataclass
class Outcome:
    """One recipient's result (an entry of ``delivery.json``)."""

    recipient: str
    unit: str
    reports: list[str]
    message_id: str | None
    status: str  # sent, failed, dry-run, nothing, skipped
    error: str | None = None
    missing: list[str] = field(default_factory=list)

    def as_log(self) -> dict[str, Any]:
        """The log entry."""
        return {
            "recipient": self.recipient,
            "unit": self.unit,
            "reports": self.reports,
            "message_id": self.message_id,
            "status": self.status,
            "error": self.error,
            "missing": self.missing,
            "at": datetime.now(TIMEZONE).isoformat(timespec="seconds"),
        }


@dataclass
class SendSummary:
    """Every recipient's outcome; :attr:`exit_code` 0 when all went, 1 otherwise."""

    outcomes: list[Outcome]

    @property
    def exit_code(self) -> int:
        """0 if every mail went and no wanted report was missing, else 1."""
        bad = any(o.status in ("failed", "nothing") or o.missing for o in self.outcomes)
        return 1 if bad else 0


def read_log(folder: Path) -> list[dict[str, Any]]:
    """The entries of ``folder/delivery.json`` (empty if none)."""
    path = folder / LOG
    if not path.is_file():
        return []
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ParameterError(
            f"{path} is not valid JSON ({exc}); move it away to start the log anew"
        ) from None
    return list(doc.get("deliveries", []))


def already_sent(entries: Sequence[Mapping[str, Any]]) -> dict[str, set[str]]:
    """Per address (lower case), the reports a logged ``sent`` entry delivered."""
    sent: dict[str, set[str]] = {}
    for e in entries:
        if e.get("status") == "sent":
            sent.setdefault(str(e["recipient"]).lower(), set()).update(e.get("reports", []))
    return sent


def _write_log(folder: Path, period: str, entries: list[dict[str, Any]]) -> None:
    doc = {"period": period, "deliveries": entries}
    write_text(folder / LOG, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def _verify(recipient: Recipient, report: ReportFile, folder: Path, units: pd.DataFrame) -> None:
    """The last guard before a file goes out: entitled, and the file really is that unit's."""
    if not may_receive(recipient, report.unit, report.notebook, units):
        raise PrivacyError(f"{recipient.email} may not receive {report.unit}/{report.notebook}")
    assert report.html is not None
    if report.html.parent.name != report.unit or report.html.parent.parent != folder.resolve():
        raise PrivacyError(f"{report.html} is not in the folder of unit {report.unit}")
    if report.json is not None and report.json.is_file():
        doc = json.loads(report.json.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and doc.get("unit") not in (None, report.unit):
            raise PrivacyError(f"{report.json} is the report of {doc.get('unit')}, not of {report.unit}")


def send(
    request: SendRequest,
    *,
    transport: Transport | None = None,
    env: Mapping[str, str] | None = None,
    echo: Callable[[str], None] = lambda s: None,
) -> SendSummary:
    """Send (or, in a dry run, write) every recipient's mail for ``request.period``.

    Parameters
    ----------
    request
        Period, folders, unit filter (only reports of these units), dry run, resend.
    transport
        Where messages go (default: SMTP from ``env``, or the outbox in a dry run).
    env
        The environment with the ``TOOLKIT_SMTP_*`` variables (default: ``os.environ``).
    echo
        Receives one line per recipient (who gets what, what is missing, what failed).

    Raises
    ------
    DeliveryConfigError
        SMTP not configured, unreachable, or the login refused (nothing is sent).
    DataValidationError, DataStructureError
        The recipients table is missing or has bad rows.
    ParameterError
        The period has no run, or an option is wrong.
    """
    if request.dry_run and request.outbox is None:
        raise ParameterError("--dry-run needs --outbox DIR (the folder the .eml files go to)")
    folder = period_folder(request.reports_dir, request.period)
    period = folder.name
    recipients, units = load_recipients(request.data_dir)
    unknown = sorted(set(request.units) - set(units["unit_id"]))
    if unknown:
        raise ParameterError(f"unknown unit(s) {', '.join(unknown)} (not in the units table)")
    manifest = read_manifest(folder)
    kinds = report_kinds()
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    settings = request.settings
    log = [] if request.dry_run else read_log(folder)
    sent_before = {} if request.resend else already_sent(log)
    plans: list[tuple[Recipient, list[ReportFile], list[MailGap], list[str]]] = []
    outcomes: list[Outcome] = []
    for recipient in recipients:
        items: list[ReportFile] = []
        gaps: list[MailGap] = []
        missing: list[str] = []
        done = 0
        for unit, notebook in wanted(recipient, units, kinds):
            if request.units and unit not in request.units:
                continue
            report = manifest.get((unit, notebook))
            title = kinds[notebook].title_in(recipient.language)
            if report is not None and report.ok:
                if report.relative_html in sent_before.get(recipient.email.lower(), set()):
                    done += 1
                else:
                    items.append(report)
                continue
            reason: Literal["missing", "failed"] = (
                "failed" if report is not None and report.status == "failed" else "missing"
            )
            gaps.append(MailGap(unit, names.get(unit, unit), title, reason))
            why = f": {report.error}" if report is not None and report.error else ""
            missing.append(f"{unit}/{notebook} ({reason}{why})")
        own = ", ".join(recipient.units)
        if not items:
            if missing:
                outcomes.append(
                    Outcome(recipient.email, own, [], None, "nothing", "no report to send", missing)
                )
                echo(f"NOT SENT {recipient.email} ({own}): no report to send; missing: {'; '.join(missing)}")
            elif done:
                outcomes.append(Outcome(recipient.email, own, [], None, "skipped"))
                echo(f"already sent {recipient.email} ({own}): nothing new")
            continue
        plans.append((recipient, items, gaps, missing))
    if plans and transport is None:
        if request.dry_run:
            assert request.outbox is not None
            transport = Outbox(request.outbox)
        else:
            transport = SmtpTransport(SmtpSettings.from_env(os.environ if env is None else env))
    smtp_sender = (env if env is not None else os.environ).get(
        "TOOLKIT_SMTP_FROM", ""
    ).strip() or "ledelsesinfo@example.org"
    try:
        if isinstance(transport, SmtpTransport):
            transport.open()  # a wrong password stops here, before any mail
        for recipient, reports, gaps, missing in plans:
            outcome = _send_one(
                recipient,
                reports,
                gaps,
                missing,
                folder,
                units,
                names,
                kinds,
                settings,
                smtp_sender,
                transport,
                request.dry_run,
            )
            outcomes.append(outcome)
            if not request.dry_run:
                log.append(outcome.as_log())
                _write_log(folder, period, log)
            verb = {"sent": "sent", "dry-run": "would send", "failed": "FAILED"}[outcome.status]
            line = f"{verb} {recipient.email} ({outcome.unit}): {len(outcome.reports)} report(s): {', '.join(outcome.reports)}"
            if missing:
                line += f"; missing: {'; '.join(missing)}"
            if outcome.error:
                line += f" — {outcome.error}"
            echo(line)
    finally:
        if transport is not None:
            transport.close()
    for o in outcomes:
        if o.status == "nothing" and not request.dry_run:
            log.append(o.as_log())
    if not request.dry_run and any(o.status == "nothing" for o in outcomes):
        _write_log(folder, period, log)
    return SendSummary(outcomes)


def _send_one(
    recipient: Recipient,
    reports: list[ReportFile],
    gaps: list[MailGap],
    missing: list[str],
    folder: Path,
    units: pd.DataFrame,
    names: Mapping[str, str],
    kinds: Mapping[str, Any],
    settings: DeliveryParams,
    sender: str,
    transport: Transport | None,
    dry_run: bool,
) -> Outcome:
    own = ", ".join(recipient.units)
    rel = [r.relative_html for r in reports]
    try:
        for report in reports:
            _verify(recipient, report, folder, units)
        base = settings.intranet_url
        size = sum(r.html.stat().st_size for r in reports if r.html is not None)
        links = settings.mode == "links"
        too_large = not links and size > settings.max_message_mb * 1_000_000
        if too_large and not base:
            raise MessageRefusedError(
                f"the reports ({size / 1e6:.0f} MB) exceed delivery.max_message_mb "
                f"({settings.max_message_mb:g} MB): set delivery.intranet_url (and publish there) to send links"
            )
        if links and not base:
            raise ParameterError("delivery.mode is links but delivery.intranet_url is empty")
        items = [
            MailItem(
                unit=r.unit,
                unit_name=names.get(r.unit, r.unit),
                notebook=r.notebook,
                title=kinds[r.notebook].title_in(recipient.language),
                headline=tuple(headlines(r)),
                path=r.html,  # type: ignore[arg-type]
                url=f"{base}/{folder.name}/{unit_path(units, r.unit)}/{r.notebook}.html" if base else None,
            )
            for r in reports
        ]
        msg = build_message(
            to_name=recipient.name,
            to_email=recipient.email,
            lang=recipient.language,
            period=folder.name,
            items=items,
            gaps=gaps,
            settings=settings,
            sender=sender,
            links=links or too_large,
            too_large=too_large,
        )
        assert transport is not None
        transport.send(msg)
    except (MessageRefusedError, PrivacyError, ParameterError) as exc:
        return Outcome(recipient.email, own, rel, None, "failed", str(exc), missing)
    return Outcome(
        recipient.email, own, rel, str(msg["Message-ID"]), "dry-run" if dry_run else "sent", None, missing
    )
