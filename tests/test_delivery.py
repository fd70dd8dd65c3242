"""Delivery of the reports: recipients table, the privacy rule, toolkit send over real SMTP, publish.

The SMTP server is aiosmtpd on 127.0.0.1 with STARTTLS and authentication (a certificate
made by trustme for the test); the tests read the received messages back. The report tree is
small and fake (a manifest and HTML files with a headline list), so the tests are fast.
"""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import sys
from email import message_from_binary_file, message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from toolkit.core import config
from toolkit.core.errors import DataValidationError
from toolkit.data.delivery_params import DeliveryParams
from toolkit.data.sources import FolderSource
from toolkit.delivery.catalogue import report_kinds
from toolkit.delivery.cli import main
from toolkit.delivery.recipients import Grant, Recipient, load_recipients, may_receive, wanted
from toolkit.delivery.reports import headlines, read_manifest
from toolkit.delivery.send import SendRequest, send

PERIOD = "2026-10"
USER, PASSWORD = "toolkit", "s3cret-Pa55"
HEADER = "unit_id;email;name;role;language;reports;include_below\n"
RECIPIENTS = (
    HEADER
    + "FS-LUN;lun@example.org;Lone Lunge;department_manager;da;all;false\n"
    + "FS-KAR;kar@example.org;Karl Hjerte;department_manager;en;kpi;false\n"
    + "FS-MC;mc@example.org;Mette Center;centre_manager;da;kpi, need-assessment-centre;true\n"
    + "FS-KC;kc@example.org;Kim Kirurg;centre_manager;da;all;false\n"
    + "FS;ctrl@example.org;Controller;controller;da;unit-cost;true\n"
)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def data_dir(tmp_path: Path, sample_dir: Path) -> Path:
    """The sample data's catalogues and a recipients table (only what delivery reads)."""
    d = tmp_path / "data"
    shutil.copytree(sample_dir, d)
    (d / "recipients.csv").write_text(RECIPIENTS, encoding="utf-8")
    return d


def _html(unit: str, notebook: str, lines: list[str]) -> str:
    items = "".join(f"<li>{x}</li>" for x in lines)
    return (
        f"<html><head><title>{notebook}</title></head><body><p>{unit}-SECRET-{notebook}</p>"
        f'<section class="headline"><h2>Hovedbudskaber</h2><ul>{items}</ul></section>'
        f"<p>{'x' * 2000}</p></body></html>"
    )


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """A fake run: kpi and unit-cost for FS-LUN and FS-KAR, kpi for FS-END failed, the
    centre need assessment for FS-MC ok, FS's unit cost ok; every other report missing."""
    root = tmp_path / "reports"
    period = root / PERIOD
    runs = []
    made = [
        ("kpi", "FS-LUN", "ok"),
        ("unit-cost", "FS-LUN", "ok"),
        ("kpi", "FS-KAR", "ok"),
        ("kpi", "FS-END", "failed"),
        ("kpi", "FS-GER", "ok"),
        ("need-assessment-centre", "FS-MC", "ok"),
        ("unit-cost", "FS", "ok"),
        ("kpi", "FS-ORT", "ok"),
    ]
    for nb, unit, status in made:
        entry = {"notebook": nb, "unit": unit, "status": status, "html": None, "xlsx": None, "json": None}
        entry["error"] = None if status == "ok" else "KeyError: 'x'"
        if status == "ok":
            folder = period / unit
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{nb}.html").write_text(
                _html(unit, nb, [f"{unit} {nb} budskab 1.", f"{unit} {nb} &amp; budskab 2."]),
                encoding="utf-8",
            )
            (folder / f"{nb}.json").write_text(json.dumps({"notebook": nb, "unit": unit, "kpis": []}))
            (folder / f"{nb}.xlsx").write_bytes(b"PK fake workbook")
            entry.update(html=f"{unit}/{nb}.html", xlsx=f"{unit}/{nb}.xlsx", json=f"{unit}/{nb}.json")
        runs.append(entry)
    (period / "manifest.json").write_text(json.dumps({"period": PERIOD, "runs": runs}), encoding="utf-8")
    return root


class Mailbox:
    """What the test server received."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 Message accepted"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


@pytest.fixture
def smtp(tmp_path: Path):
    """A real SMTP server on 127.0.0.1: STARTTLS required before AUTH, login required."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    box = Mailbox()
    with socket.socket() as probe:  # a free port (aiosmtpd's start-up check needs a real one)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_ctx,
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=_authenticator,
    )
    controller.start()
    env = {
        "TOOLKIT_SMTP_HOST": "127.0.0.1",
        "TOOLKIT_SMTP_PORT": str(port),
        "TOOLKIT_SMTP_SECURITY": "starttls",
        "TOOLKIT_SMTP_USER": USER,
        "TOOLKIT_SMTP_PASSWORD": PASSWORD,
        "TOOLKIT_SMTP_FROM": "ledelsesinfo@example.org",
        "TOOLKIT_SMTP_CA_FILE": str(ca_file),
    }
    yield box, env
    controller.stop()


def _request(reports: Path, data_dir: Path, **kw) -> SendRequest:
    return SendRequest(period=PERIOD, reports_dir=reports, data_dir=data_dir, settings=DeliveryParams(), **kw)


def _attachments(msg: EmailMessage) -> dict[str, bytes]:
    return {
        a.get_filename() or "": a.get_content().encode()
        if isinstance(a.get_content(), str)
        else a.get_content()
        for a in msg.iter_attachments()
    }


# --------------------------------------------------------------------------- recipients and the rule


def test_the_privacy_rule(sample_dir: Path):
    units = FolderSource(sample_dir).units()
    centre = Recipient("c@example.org", "C", "da", (Grant("FS-MC", ("all",), False),))
    assert may_receive(centre, "FS-MC", "need-assessment-centre", units)
    assert not may_receive(centre, "FS-LUN", "kpi", units)  # below, but the row does not say so
    below = Recipient("c@example.org", "C", "da", (Grant("FS-MC", ("kpi",), True),))
    assert may_receive(below, "FS-LUN", "kpi", units)
    assert not may_receive(below, "FS-LUN", "unit-cost", units)  # not a report the row names
    assert not may_receive(below, "FS-ORT", "kpi", units)  # another centre's department
    assert not may_receive(below, "FS", "kpi", units)  # above: never
    dept = Recipient("d@example.org", "D", "da", (Grant("FS-LUN", ("all",), True),))
    assert not may_receive(dept, "FS-KAR", "kpi", units)  # a sibling: never
    # The centre's own KPI report (there is one for centres), then its departments'.
    assert [u for u, _ in wanted(below, units, report_kinds())] == [
        "FS-MC",
        "FS-END",
        "FS-GER",
        "FS-KAR",
        "FS-LUN",
    ]


def test_sample_recipients_are_valid_and_cover_every_manager(sample_dir: Path):
    recipients, units = load_recipients(sample_dir)
    owned = {u for r in recipients for u in r.units}
    assert owned == set(units["unit_id"])  # every department, centre and the hospital
    assert all(r.email.endswith("@example.org") for r in recipients)
    centres = [r for r in recipients if r.grants[0].unit_id in {"FS-MC", "FS-KC", "FS-AC"}]
    assert all(g.include_below for r in centres for g in r.grants)
    assert FolderSource(sample_dir).validate_all().ok


def test_bad_recipient_rows_name_file_column_row_and_rule(data_dir: Path):
    (data_dir / "recipients.csv").write_text(
        HEADER
        + "FS-LUN;lun@example.org;Lone;department_manager;da;all;false\n"
        + "FS-XXX;x@example.org;X;department_manager;da;all;false\n"  # row 3: unknown unit
        + "FS-KAR;not-an-address;K;department_manager;da;all;false\n"  # row 4
        + "FS-KAR;k@example.org;K;boss;da;all;false\n"  # row 5: role
        + "FS-GER;g@example.org;G;department_manager;fr;all;false\n"  # row 6: language
        + "FS-END;e@example.org;E;department_manager;da;kpi, budget;false\n"  # row 7: report
        + "FS-MC;m@example.org;M;department_manager;da;all;true\n",  # row 8: role vs level
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as info:
        load_recipients(data_dir)
    text = str(info.value)
    assert "recipients.csv, column 'unit_id', row 3: unknown unit key" in text
    assert (
        "recipients.csv, column 'email', row 4: must be an e-mail address like name@example.org (found 'not-an-address')"
        in text
    )
    assert "column 'role', row 5: must be one of: department_manager" in text
    assert "column 'language', row 6: must be one of: da, en (found 'fr')" in text
    assert "column 'reports', row 7: unknown report name" in text and "'kpi, budget'" in text
    assert "kpi, need-assessment, need-assessment-centre, shift-assessment, unit-cost" in text
    assert "column 'role', row 8: the role does not match the unit's level" in text
    # toolkit validate names them too (the registered check of the recipients rules)
    problems = [str(p) for p in FolderSource(data_dir).validate_all().problems]
    assert any("column 'reports', row 7" in p for p in problems)
    assert any("column 'role', row 8" in p for p in problems)


def test_the_toolkit_command_checks_the_recipients_rules_on_its_own(data_dir: Path):
    """``toolkit validate`` in a fresh process (no test imports) registers the recipients check:
    the toolkit command no longer imports the delivery code for every command."""
    import subprocess
    import sys

    (data_dir / "recipients.csv").write_text(
        HEADER
        + "FS-LUN;lun@example.org;Lone;department_manager;da;all;false\n"
        + "FS-MC;m@example.org;M;department_manager;da;all;true\n",  # row 3: role vs level
        encoding="utf-8",
    )
    shown = subprocess.run(
        [sys.executable, "-m", "toolkit.run.cli", "validate", "--data", str(data_dir)],
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 1, shown.stdout + shown.stderr
    assert "column 'role', row 3: the role does not match the unit's level" in shown.stderr


def test_headlines_from_the_html_or_the_json(reports: Path):
    m = read_manifest(reports / PERIOD)
    assert headlines(m[("FS-LUN", "kpi")]) == ["FS-LUN kpi budskab 1.", "FS-LUN kpi & budskab 2."]
    path = reports / PERIOD / "FS-LUN" / "kpi.json"
    path.write_text(json.dumps({"unit": "FS-LUN", "headline": ["Fra JSON."]}))
    assert headlines(m[("FS-LUN", "kpi")]) == ["Fra JSON."]


# --------------------------------------------------------------------------- send over SMTP


def test_send_over_starttls_each_gets_exactly_their_reports_once(reports: Path, data_dir: Path, smtp):
    box, env = smtp
    lines: list[str] = []
    summary = send(_request(reports, data_dir), env=env, echo=lines.append)
    got = {tos[0]: msg for tos, msg in box.messages}
    assert set(got) == {"lun@example.org", "kar@example.org", "mc@example.org", "ctrl@example.org"}
    expected = {
        "lun@example.org": {"FS-LUN-kpi-2026-10.html", "FS-LUN-unit-cost-2026-10.html"},
        "kar@example.org": {"FS-KAR-kpi-2026-10.html"},
        "mc@example.org": {
            "FS-MC-need-assessment-centre-2026-10.html",
            "FS-GER-kpi-2026-10.html",
            "FS-KAR-kpi-2026-10.html",
            "FS-LUN-kpi-2026-10.html",
        },
        "ctrl@example.org": {"FS-unit-cost-2026-10.html"},  # include_below, but FS-LUN's unit cost too:
    }
    expected["ctrl@example.org"].add("FS-LUN-unit-cost-2026-10.html")
    units_of = {"lun@example.org": {"FS-LUN"}, "kar@example.org": {"FS-KAR"}, "ctrl@example.org": None}
    for address, msg in got.items():
        files = _attachments(msg)
        assert set(files) == expected[address], address
        # No mail holds another unit's report: every attached file is the unit its name says,
        # and no other unit's marker appears anywhere in the message.
        raw = msg.as_string()
        for name, content in files.items():
            unit = (
                name.split("-2026")[0].rsplit("-", 1)[0]
                if "unit-cost" not in name
                else name.split("-unit-cost")[0]
            )
            if "need-assessment-centre" in name:
                unit = name.split("-need-assessment")[0]
            assert f"{unit}-SECRET-".encode() in content
        allowed = units_of.get(address)
        if allowed:
            for other in ("FS-LUN", "FS-KAR", "FS-GER", "FS-ORT", "FS-MC", "FS"):
                if other not in allowed:
                    assert f"{other}-SECRET-" not in raw
    assert "FS-ORT-SECRET-" not in "".join(m.as_string() for _, m in box.messages)  # nobody may have it
    lun = got["lun@example.org"]
    assert lun["Subject"] == "Ledelsesinformation for oktober 2026"
    body = lun.get_body(("plain",)).get_content()
    assert "FS-LUN kpi budskab 1." in body and "oktober 2026" in body
    assert "Rapporten blev ikke dannet" in body  # need-assessment and shift-assessment are missing
    kar = got["kar@example.org"]
    assert kar["Subject"] == "Management information for October 2026"
    mc_body = got["mc@example.org"].get_body(("plain",)).get_content()
    assert "Kørslen af rapporten fejlede" in mc_body and "FS-END" in mc_body  # failed report named
    assert any("FS-END/kpi (failed" in line for line in lines)  # ... and in the output
    assert any("NOT SENT kc@example.org" in line for line in lines)  # every report of FS-KC missing
    log = json.loads((reports / PERIOD / "delivery.json").read_text())["deliveries"]
    sent = [e for e in log if e["status"] == "sent"]
    assert len(sent) == 4 and all(e["message_id"] for e in sent)
    assert {e["recipient"]: e["unit"] for e in sent}["mc@example.org"] == "FS-MC"
    assert summary.exit_code == 1  # reports were missing
    # A second send sends nothing.
    box.messages.clear()
    again = send(_request(reports, data_dir), env=env, echo=lines.append)
    assert box.messages == []
    assert {o.status for o in again.outcomes} == {"skipped", "nothing"}
    # A report made later (a rerun) goes alone to those who should have it.
    folder = reports / PERIOD / "FS-KC"
    folder.mkdir()
    (folder / "need-assessment-centre.html").write_text(_html("FS-KC", "nac", ["Ny."]), encoding="utf-8")
    manifest = json.loads((reports / PERIOD / "manifest.json").read_text())
    manifest["runs"].append(
        {
            "notebook": "need-assessment-centre",
            "unit": "FS-KC",
            "status": "ok",
            "html": "FS-KC/need-assessment-centre.html",
            "error": None,
        }
    )
    (reports / PERIOD / "manifest.json").write_text(json.dumps(manifest))
    send(_request(reports, data_dir), env=env)
    assert [tos for tos, _ in box.messages] == [["kc@example.org"]]
    # --resend sends everything again.
    box.messages.clear()
    send(_request(reports, data_dir, resend=True), env=env)
    assert len(box.messages) == 5


def test_a_refused_recipient_is_logged_and_the_others_are_sent(reports: Path, data_dir: Path, smtp):
    box, env = smtp
    box.refuse.add("kar@example.org")
    lines: list[str] = []
    summary = send(_request(reports, data_dir), env=env, echo=lines.append)
    assert {tos[0] for tos, _ in box.messages} == {"lun@example.org", "mc@example.org", "ctrl@example.org"}
    log = json.loads((reports / PERIOD / "delivery.json").read_text())["deliveries"]
    refused = [e for e in log if e["recipient"] == "kar@example.org"]
    assert refused[0]["status"] == "failed" and "550" in refused[0]["error"]
    assert any(line.startswith("FAILED kar@example.org") for line in lines)
    assert summary.exit_code == 1
    # The next run sends only the refused one (once the server takes it).
    box.refuse.clear()
    box.messages.clear()
    send(_request(reports, data_dir), env=env)
    assert [tos for tos, _ in box.messages] == [["kar@example.org"]]


def test_a_wrong_password_is_one_line_and_exit_2(reports: Path, data_dir: Path, smtp, monkeypatch, capfd):
    box, env = smtp
    for key, value in {**env, "TOOLKIT_SMTP_PASSWORD": "wrong-Guess-99"}.items():
        monkeypatch.setenv(key, value)
    code = main(["send", "--period", PERIOD, "--reports", str(reports), "--data", str(data_dir)])
    out = capfd.readouterr()
    assert code == 2
    err_lines = out.err.strip().splitlines()
    assert len(err_lines) == 1 and "refused the login of 'toolkit'" in err_lines[0]
    assert "Traceback" not in out.err + out.out
    assert "wrong-Guess-99" not in out.err + out.out and PASSWORD not in out.err + out.out
    assert box.messages == []
    assert not (reports / PERIOD / "delivery.json").exists() or all(
        e["status"] != "sent"
        for e in json.loads((reports / PERIOD / "delivery.json").read_text())["deliveries"]
    )


def test_missing_smtp_settings_are_a_configuration_error(reports: Path, data_dir: Path, monkeypatch, capsys):
    for key in ("HOST", "FROM", "PORT", "USER", "PASSWORD", "SECURITY"):
        monkeypatch.delenv(f"TOOLKIT_SMTP_{key}", raising=False)
    assert main(["send", "--period", PERIOD, "--reports", str(reports), "--data", str(data_dir)]) == 2
    assert "set TOOLKIT_SMTP_HOST and TOOLKIT_SMTP_FROM" in capsys.readouterr().err


def test_links_instead_of_attachments(reports: Path, data_dir: Path, tmp_path: Path):
    outbox = tmp_path / "outbox"
    settings = DeliveryParams(mode="links", intranet_url="https://intranet.example.org/li/")
    request = SendRequest(PERIOD, reports, data_dir, settings, dry_run=True, outbox=outbox, units=["FS-LUN"])
    send(request)
    files = sorted(outbox.glob("*.eml"))
    lun = next(f for f in files if "lun@" in f.name)
    with lun.open("rb") as fh:
        msg = message_from_binary_file(fh, policy=policy.default)
    assert list(msg.iter_attachments()) == []
    assert (
        "https://intranet.example.org/li/2026-10/FS/FS-MC/FS-LUN/kpi.html"
        in msg.get_body(("plain",)).get_content()
    )
    # --unit FS-LUN: only FS-LUN's reports, to whoever may have them
    assert {f.name.split("-", 1)[1] for f in files} == {
        "lun@example.org.eml",
        "mc@example.org.eml",
        "ctrl@example.org.eml",
    }


def test_dry_run_writes_eml_files_the_email_parser_reads(
    reports: Path, data_dir: Path, tmp_path: Path, capsys
):
    outbox = tmp_path / "outbox"
    argv = [
        "send",
        "--period",
        PERIOD,
        "--reports",
        str(reports),
        "--data",
        str(data_dir),
        "--dry-run",
        "--outbox",
        str(outbox),
    ]
    assert main(argv) == 1  # some reports are missing (named), but every mail was written
    out = capsys.readouterr().out
    assert "would send lun@example.org (FS-LUN): 2 report(s): FS-LUN/kpi.html, FS-LUN/unit-cost.html" in out
    assert "missing: FS-LUN/need-assessment (missing)" in out
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 4
    for path in files:
        with path.open("rb") as fh:
            msg = message_from_binary_file(fh, policy=policy.default)
        assert msg["To"].addresses[0].addr_spec in path.name
        assert msg["Message-ID"] and msg["Subject"]
        assert all(a.get_content_type() == "text/html" for a in msg.iter_attachments())
    assert not (reports / PERIOD / "delivery.json").exists()  # a dry run sends nothing, logs nothing


def test_send_without_a_run_is_a_usage_error(tmp_path: Path, data_dir: Path, capsys):
    assert main(["send", "--period", PERIOD, "--reports", str(tmp_path), "--data", str(data_dir)]) == 2
    assert "no report run for 2026-10" in capsys.readouterr().err


# --------------------------------------------------------------------------- publish


def test_publish_builds_the_unit_tree_with_indexes(reports: Path, data_dir: Path, tmp_path: Path, capsys):
    to = tmp_path / "intranet"
    argv = [
        "publish",
        "--period",
        PERIOD,
        "--reports",
        str(reports),
        "--data",
        str(data_dir),
        "--to",
        str(to),
    ]
    assert main(argv) == 0
    assert "not published: FS-END/kpi: KeyError" in capsys.readouterr().out
    month = to / PERIOD
    assert (month / "FS" / "FS-MC" / "FS-LUN" / "kpi.html").is_file()
    assert (month / "FS" / "FS-MC" / "FS-LUN" / "kpi.xlsx").is_file()
    assert (month / "FS" / "unit-cost.html").is_file()
    assert not (month / "FS" / "FS-MC" / "FS-END").exists()  # a failed report is not published
    for index in [
        to / "index.html",
        month / "index.html",
        month / "FS" / "index.html",
        month / "FS" / "FS-MC" / "index.html",
    ]:
        assert index.is_file(), index
    centre = (month / "FS" / "FS-MC" / "index.html").read_text(encoding="utf-8")
    assert 'href="FS-LUN/index.html"' in centre and 'href="need-assessment-centre.html"' in centre
    # self-contained: every link relative, nothing fetched from elsewhere
    for page in month.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        assert (
            "http://" not in text and "https://" not in text and "<link" not in text and "<script" not in text
        )
    # every link resolves
    import re

    for page in to.rglob("index.html"):
        for href in re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")):
            assert (page.parent / href).resolve().is_file(), (page, href)
    # republish replaces the month whole, leaving no temporary folder behind
    (reports / PERIOD / "FS-LUN" / "unit-cost.html").unlink()
    assert main(argv) == 0
    assert not (month / "FS" / "FS-MC" / "FS-LUN" / "unit-cost.html").exists()
    assert [p.name for p in to.iterdir() if p.name.startswith(".")] == []


def test_publish_leaves_nothing_half_written_when_it_fails(
    reports: Path, data_dir: Path, tmp_path: Path, monkeypatch
):
    import importlib

    publish_module = importlib.import_module("toolkit.delivery.publish")

    to = tmp_path / "intranet"
    units = FolderSource(data_dir).units()
    publish_module.publish(PERIOD, reports, units, to)
    before = sorted(str(p.relative_to(to)) for p in to.rglob("*"))

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(publish_module.shutil, "copy2", broken)
    with pytest.raises(OSError, match="disk full"):
        publish_module.publish(PERIOD, reports, units, to)
    assert sorted(str(p.relative_to(to)) for p in to.rglob("*")) == before  # the old tree, whole


def test_the_commands_run_from_a_fresh_process(reports: Path, data_dir: Path, tmp_path: Path):
    outbox = tmp_path / "box"
    code = (
        "import sys; from toolkit.delivery.cli import main; "
        f"sys.exit(main(['send', '--period', '{PERIOD}', '--reports', r'{reports}', '--data', r'{data_dir}', "
        f"'--dry-run', '--outbox', r'{outbox}', '--unit', 'FS-KAR']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=config.PROJECT_ROOT
    )
    assert done.returncode == 1, done.stderr  # the controller's FS-KAR unit cost is missing
    assert "would send kar@example.org (FS-KAR): 1 report(s): FS-KAR/kpi.html" in done.stdout
    assert (
        "NOT SENT ctrl@example.org (FS): no report to send; missing: FS-KAR/unit-cost (missing)"
        in done.stdout
    )


def test_a_bad_recipient_row_stops_no_report(data_copy: Path, tmp_path: Path) -> None:
    """The recipients table is read by `toolkit send`, not by reports: its mistakes stop no report."""
    from toolkit.data.params import params_model
    from toolkit.data.sources import FolderSource
    from toolkit.run.staging import stage

    path = data_copy / "recipients.csv"
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(
        text + "FS-LUN;not-an-address;Nogen;department_manager;da;kpi;False\r\n"
        "FS-XXX;x@example.org;Ukendt;department_manager;da;kpi;False\r\n",
        encoding="utf-8",
    )
    folder = FolderSource(data_copy)
    messages = [str(p) for p in folder.validate_all().problems]
    assert any("recipients.csv" in m and "email" in m for m in messages), messages  # validate names it
    result = stage(
        FolderSource(data_copy),
        tmp_path / "staged",
        period="2026-10",
        aggregate_units=["FS-LUN"],
        params_for=lambda unit: params_model()(),
        notebooks=["kpi"],
    )
    assert "FS-LUN" not in result.failed
