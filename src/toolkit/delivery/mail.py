"""The mails: SMTP settings from the environment, the message of one recipient, the transports.

SMTP is configured as users run it, by environment variables only (never a file in the
repository, never a log line; the password is held in memory and used for the login):

``TOOLKIT_SMTP_HOST``      the server (required to send)
``TOOLKIT_SMTP_PORT``      default 587 (starttls), 465 (ssl), 25 (none)
``TOOLKIT_SMTP_SECURITY``  ``starttls`` (default), ``ssl`` or ``none``
``TOOLKIT_SMTP_USER``      login name (optional; with ``..._PASSWORD``)
``TOOLKIT_SMTP_PASSWORD``  password
``TOOLKIT_SMTP_FROM``      the sender address (required)
``TOOLKIT_SMTP_CA_FILE``   a CA bundle for a server with an internal certificate (optional)
"""

from __future__ import annotations

import mimetypes
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import Literal, Protocol

from toolkit.core.errors import ToolkitError
from toolkit.core.formatting import Language, fmt_month
from toolkit.data.delivery_params import DeliveryParams
from toolkit.data.schemas.recipients import EMAIL_PATTERN
from toolkit.delivery.texts import TEXTS

ENV = "TOOLKIT_SMTP_"
Security = Literal["starttls", "ssl", "none"]
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}


class DeliveryConfigError(ToolkitError):
    """SMTP is not configured, cannot be reached, or refuses the login (nothing is sent)."""


class MessageRefusedError(ToolkitError):
    """The server refused one message (a recipient, its size); the others are still sent."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send; read with :meth:`from_env`. The password is never shown."""

    host: str
    port: int
    security: Security
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None
    timeout: float = 60.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpSettings:
        """The settings from ``TOOLKIT_SMTP_*`` variables in ``env``.

        Raises
        ------
        DeliveryConfigError
            If the host or sender is missing, the port or security is wrong, or only one of
            user and password is set (the message names the variable, never its value for
            the password).
        """
        host = env.get(f"{ENV}HOST", "").strip()
        sender = env.get(f"{ENV}FROM", "").strip()
        missing = [f"{ENV}{n}" for n, v in (("HOST", host), ("FROM", sender)) if not v]
        if missing:
            raise DeliveryConfigError(
                "SMTP is not configured: set "
                + " and ".join(missing)
                + " (see README, Delivering the reports)"
            )
        if not EMAIL_PATTERN.match(sender):
            raise DeliveryConfigError(f"{ENV}FROM must be an e-mail address; got {sender!r}")
        security = env.get(f"{ENV}SECURITY", "starttls").strip().lower() or "starttls"
        if security not in DEFAULT_PORTS:
            raise DeliveryConfigError(f"{ENV}SECURITY must be starttls, ssl or none; got {security!r}")
        port_text = env.get(f"{ENV}PORT", "").strip()
        try:
            port = int(port_text) if port_text else DEFAULT_PORTS[security]
        except ValueError:
            raise DeliveryConfigError(f"{ENV}PORT must be a number; got {port_text!r}") from None
        user = env.get(f"{ENV}USER") or None
        password = env.get(f"{ENV}PASSWORD") or None
        if bool(user) != bool(password):
            raise DeliveryConfigError(f"set both {ENV}USER and {ENV}PASSWORD, or neither")
        ca_file = env.get(f"{ENV}CA_FILE") or None
        if ca_file and not Path(ca_file).is_file():
            raise DeliveryConfigError(f"{ENV}CA_FILE {ca_file} is not a file")
        sec: Security = "ssl" if security == "ssl" else "none" if security == "none" else "starttls"
        return cls(host, port, sec, sender, user, password, ca_file)

    def tls_context(self) -> ssl.SSLContext:
        """A verifying TLS context (with the CA file if given)."""
        return ssl.create_default_context(cafile=self.ca_file)


# --------------------------------------------------------------------------- the message


@dataclass(frozen=True)
class MailItem:
    """A report in a mail: what it is, its headline, and its file or link."""

    unit: str
    unit_name: str
    notebook: str
    title: str
    headline: tuple[str, ...]
    path: Path
    url: str | None = None


@dataclass(frozen=True)
class MailGap:
    """A report the recipient should have had, but which was missing or failed."""

    unit: str
    unit_name: str
    title: str
    reason: Literal["missing", "failed"]


def attachment_name(item: MailItem, period: str) -> str:
    """The file name of a report attached: ``<unit>-<notebook>-<period>.html``."""
    return f"{item.unit}-{item.notebook}-{period}{item.path.suffix}"


def build_message(
    *,
    to_name: str,
    to_email: str,
    lang: Language,
    period: str,
    items: Sequence[MailItem],
    gaps: Sequence[MailGap],
    settings: DeliveryParams,
    sender: str,
    links: bool,
    too_large: bool = False,
) -> EmailMessage:
    """One recipient's mail: a short text (period, each report's headline) and the reports.

    With ``links`` the reports are linked (``item.url``), else attached as files.
    """
    month = fmt_month(period, lang)
    msg = EmailMessage(policy=SMTP)
    subject = settings.subject_da if lang == "da" else settings.subject_en
    msg["Subject"] = subject.format(month=month, period=period)
    msg["From"] = formataddr((settings.sender_name, sender))
    msg["To"] = formataddr((to_name, to_email))
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    msg["Content-Language"] = lang
    lines = [TEXTS("greeting", lang, name=to_name), "", TEXTS("intro", lang, month=month), ""]
    if too_large:
        lines += [TEXTS("too_large", lang), ""]
    for item in items:
        lines.append(f"{item.title} — {item.unit_name} ({item.unit})")
        lines += [f"  • {h}" for h in item.headline] or [f"  {TEXTS('no_headline', lang)}"]
        if links and item.url:
            lines.append("  " + TEXTS("link", lang, url=item.url))
        else:
            lines.append("  " + TEXTS("attached", lang, file=attachment_name(item, period)))
        lines.append("")
    if gaps:
        lines.append(TEXTS("missing_head", lang))
        lines += [f"  • {g.title} — {g.unit_name} ({g.unit}): {TEXTS(g.reason, lang)}" for g in gaps]
        lines.append("")
    lines.append(TEXTS("footer", lang))
    msg.set_content("\n".join(lines) + "\n", subtype="plain", charset="utf-8")
    if not links:
        for item in items:
            ctype = mimetypes.guess_type(item.path.name)[0] or "application/octet-stream"
            maintype, subtype = ctype.split("/", 1)
            msg.add_attachment(
                item.path.read_bytes(),
                maintype=maintype,
                subtype=subtype,
                filename=attachment_name(item, period),
            )
    return msg


# --------------------------------------------------------------------------- transports


class Transport(Protocol):
    """Sends messages; :class:`SmtpTransport` for real, :class:`Outbox` for a dry run."""

    def send(self, msg: EmailMessage) -> None:
        """Send ``msg``; raise :class:`MessageRefusedError` if this message was refused."""

    def close(self) -> None:
        """Release the connection."""


class SmtpTransport:
    """One SMTP connection for a whole ``send``: connect, secure, log in, send, quit."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def open(self) -> None:
        """Connect and log in.

        Raises
        ------
        DeliveryConfigError
            If the server cannot be reached, TLS fails or the login is refused (one line,
            without the password).
        """
        s = self.settings
        where = f"{s.host}:{s.port}"
        try:
            if s.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=s.tls_context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            self._smtp = smtp
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=s.tls_context())
                smtp.ehlo()
            if s.user and s.password:
                smtp.login(s.user, s.password)
        except smtplib.SMTPAuthenticationError as exc:
            self.close()
            raise DeliveryConfigError(
                f"the SMTP server {where} refused the login of {s.user!r} ({exc.smtp_code}): "
                f"check {ENV}USER and {ENV}PASSWORD"
            ) from None
        except smtplib.SMTPNotSupportedError:
            self.close()
            raise DeliveryConfigError(
                f"the SMTP server {where} does not offer STARTTLS (or login); "
                f"set {ENV}SECURITY=ssl or ask the mail administrator"
            ) from None
        except ssl.SSLError as exc:
            self.close()
            raise DeliveryConfigError(
                f"TLS with the SMTP server {where} failed ({exc.reason or exc}); "
                f"for an internal certificate set {ENV}CA_FILE"
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise DeliveryConfigError(f"cannot connect to the SMTP server {where}: {exc}") from None

    def send(self, msg: EmailMessage) -> None:
        """Send one message; a refusal of it raises :class:`MessageRefusedError`."""
        if self._smtp is None:
            self.open()
        assert self._smtp is not None
        try:
            self._smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            reasons = "; ".join(
                f"{addr}: {code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
                for addr, (code, text) in exc.recipients.items()
            )
            raise MessageRefusedError(f"refused by the server: {reasons}") from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            text = (
                exc.smtp_error.decode(errors="replace")
                if isinstance(exc.smtp_error, bytes)
                else exc.smtp_error
            )
            raise MessageRefusedError(f"refused by the server: {exc.smtp_code} {text}") from None
        except smtplib.SMTPServerDisconnected:
            self._smtp = None  # the next message reconnects
            raise MessageRefusedError("the server closed the connection") from None

    def close(self) -> None:
        """Quit the session (errors on quitting are ignored)."""
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


class Outbox:
    """A dry run's transport: each message as an ``.eml`` file in a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.written: list[Path] = []

    def send(self, msg: EmailMessage) -> None:
        """Write ``msg`` to ``<folder>/<nn>-<address>.eml``."""
        from toolkit.core.files import atomic_write

        to = str(msg["To"]).rsplit("<", 1)[-1].rstrip(">")
        safe = "".join(c if c.isalnum() or c in "@.-_" else "_" for c in to)
        path = self.folder / f"{len(self.written) + 1:03d}-{safe}.eml"
        atomic_write(path, lambda p: p.write_bytes(msg.as_bytes(policy=SMTP)))
        self.written.append(path)

    def close(self) -> None:
        """Nothing to release."""
