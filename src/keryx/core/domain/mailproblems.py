"""What went wrong when sending an e-mail, sorted into problems Keryx can word and act on.

Shared by every delivery through the outbox (decision 0850): a failure the mail server calls
temporary (4xx), or a server that cannot be reached, is worth another try; a final refusal is not.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    code: str
    detail: str
    final: bool  # the mail server said no for good: trying again would not help


def _smtp_words(exc: smtplib.SMTPResponseException) -> str:
    message = exc.smtp_error
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{exc.smtp_code} {text}".strip()


def problem_of(exc: BaseException) -> Problem:
    """Sort an exception from sending into a problem Keryx can word and act on."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = list(exc.recipients.values())
        codes = [code for code, _message in answers]
        detail = "; ".join(
            f"{code} {message.decode('utf-8', 'replace') if isinstance(message, bytes) else message}"
            for code, message in answers
        )
        temporary = bool(codes) and all(400 <= code < 500 for code in codes)
        return Problem("temporary" if temporary else "recipient", detail[:300], not temporary)
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = _smtp_words(exc)[:300]
        if 400 <= exc.smtp_code < 500:
            return Problem("temporary", detail, False)
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return Problem("auth", detail, True)
        if isinstance(exc, smtplib.SMTPSenderRefused):
            return Problem("sender", detail, True)
        if isinstance(exc, smtplib.SMTPConnectError):
            return Problem("unreachable", detail, False)
        return Problem("rejected", detail, True)
    detail = f"{exc}"[:300] or type(exc).__name__
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return Problem("tls", detail, True)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return Problem("disconnected", detail, False)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return Problem("tls", detail, True)
    if isinstance(exc, ssl.SSLError):
        return Problem("tls", detail, False)
    if isinstance(exc, TimeoutError):
        return Problem("timeout", detail, False)
    if isinstance(exc, OSError):
        return Problem("unreachable", detail, False)
    return Problem("unknown", f"{type(exc).__name__}: {detail}"[:300], False)


def mail_server() -> str:
    if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        return f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    return str(settings.EMAIL_BACKEND).rsplit(".", 2)[-2]


def problem_text(
    code: str, detail: str, *, email: str, recipient_todo: str = ""
) -> tuple[str, str]:
    """(why, what to do) in the active language; ``("", "")`` for no problem.
    ``recipient_todo`` replaces the advice for a refused address (each sender knows where the
    address can be corrected)."""
    values = {"server": mail_server(), "detail": detail, "email": email}
    values["sender"] = settings.DEFAULT_FROM_EMAIL
    check_server = _("Check that the mail server is running and that EMAIL_URL points to it.")
    check_logs = _("If it keeps happening, look at the mail server's logs or ask its provider.")
    texts: dict[str, tuple[str, str]] = {
        "unreachable": (
            _("Keryx could not connect to the mail server %(server)s (%(detail)s).") % values,
            check_server,
        ),
        "timeout": (
            _("The mail server %(server)s did not answer in time.") % values,
            check_server,
        ),
        "disconnected": (
            _(
                "The mail server %(server)s closed the connection before it accepted the "
                "e-mail (%(detail)s)."
            )
            % values,
            check_logs,
        ),
        "temporary": (
            _("The mail server %(server)s asked to try again later: %(detail)s") % values,
            check_logs,
        ),
        "auth": (
            _("The mail server %(server)s refused Keryx's user name or password: %(detail)s")
            % values,
            _("Check the user name and password in EMAIL_URL."),
        ),
        "tls": (
            _("The secure connection to the mail server %(server)s failed: %(detail)s") % values,
            _(
                "Check whether the server expects STARTTLS (smtp+tls://) or SSL (smtp+ssl://) "
                "in EMAIL_URL, and that its certificate is valid."
            ),
        ),
        "recipient": (
            _("The mail server refused the address %(email)s: %(detail)s") % values,
            recipient_todo or _("Check the address and correct it where it was entered."),
        ),
        "sender": (
            _("The mail server refused the sender address %(sender)s: %(detail)s") % values,
            _("Set KERYX_FROM_EMAIL to an address this mail server may send from."),
        ),
        "rejected": (
            _("The mail server refused the e-mail: %(detail)s") % values,
            check_logs,
        ),
        "interrupted": (
            _("Sending was interrupted (the worker stopped); the e-mail may have arrived."),
            _("Keryx sends it again with the same Message-ID, so most mailboxes show it once."),
        ),
        "compose": (
            _("Keryx could not write this e-mail: %(detail)s") % values,
            _("This is a bug in Keryx: please report it with the time shown here."),
        ),
        "unknown": (_("Sending failed: %(detail)s") % values, check_logs),
    }
    if not code:
        return "", ""
    return texts.get(code, texts["unknown"])


def send_one(message: EmailMessage) -> None:
    """Hand one message to the mail server. Once the server has accepted it, nothing that
    goes wrong afterwards (closing the connection) counts as a failure: it was sent."""
    connection = get_connection()
    connection.open()
    try:
        if connection.send_messages([message]) != 1:
            raise smtplib.SMTPException("the mail backend did not send the message")
    finally:
        try:
            connection.close()
        except Exception as exc:  # the message was accepted (or the error above is raised)
            log.info("closing the mail connection failed: %s", exc)
