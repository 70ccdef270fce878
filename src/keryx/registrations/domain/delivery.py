"""Delivering registrant e-mails: queue, claim, send, retry with backoff, fail loudly, resend.

Every registrant e-mail is a ``RegistrantEmail`` row written in the transaction that decides to
send it; the task message only carries its id (decision 0605). A task claims the row with a
compare-and-set (``queued`` → ``sending``), so two deliveries of the same message send one
e-mail, and a ``sent`` row is never sent again. A failure the mail server calls temporary (or a
server that cannot be reached) is tried again after 1, 5, 15, 60, 120 and 240 minutes; then, or
at once for a final refusal, the row is ``failed`` and the workspace's owners and managers are
told to whom, which e-mail, why and what to do. A periodic sweep queues again what a lost
message or a dead worker left behind.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keryx.accounts.access import Access
from keryx.accounts.models import Membership, User
from keryx.accounts.roles import Perm, Role
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Conflict
from keryx.registrations.domain.emails import registration_email_message
from keryx.registrations.enums import EmailKind, EmailStatus
from keryx.registrations.models import RegistrantEmail, Registration
from keryx.seminars.models import Seminar

log = logging.getLogger(__name__)

S = EmailStatus
# Minutes to wait after the 1st, 2nd, … failed try; one more try than waits (7 tries, the
# last about 7 h 20 min after the first). KERYX_REGISTRANT_EMAIL_RETRY_MINUTES overrides.
RETRY_MINUTES: tuple[float, ...] = (1, 5, 15, 60, 120, 240)
REDELIVER_AFTER = dt.timedelta(minutes=3)  # a due row nobody claimed: its message was lost
STUCK_AFTER = dt.timedelta(minutes=15)  # far longer than one SMTP conversation can take
EARLY = dt.timedelta(seconds=30)  # a message arriving this much before its time may run
BATCH = 500
NOTICE_KIND = "registrations.email_failed"


def retry_minutes() -> tuple[float, ...]:
    value = getattr(settings, "KERYX_REGISTRANT_EMAIL_RETRY_MINUTES", None)
    return tuple(float(v) for v in value) if value is not None else RETRY_MINUTES


def max_tries() -> int:
    return len(retry_minutes()) + 1


# --- queueing -------------------------------------------------------------------------------


def _enqueue(email_id: int, *, eta: dt.datetime | None = None) -> None:
    """Put one delivery message on the queue now (call it after the row is committed)."""
    from keryx.registrations.tasks import deliver_registrant_email

    if eta is not None and eta > timezone.now():
        deliver_registrant_email.schedule(args=(email_id,), eta=eta)
    else:
        deliver_registrant_email(email_id)


def _enqueue_on_commit(email_id: int) -> None:
    transaction.on_commit(lambda: _enqueue(email_id))


def registrant_email_queue(
    *, registration: Registration, kind: str, now: dt.datetime | None = None
) -> RegistrantEmail:
    """Record one e-mail to send and queue its delivery once the transaction commits."""
    if kind not in EmailKind.values:
        raise ValueError(f"unknown e-mail kind {kind!r}")
    now = now or timezone.now()
    row = RegistrantEmail.objects.create(
        registration=registration, kind=kind, queued_at=now, next_try_at=now, enqueued_at=now
    )
    _enqueue_on_commit(row.pk)
    return row


# --- what went wrong ------------------------------------------------------------------------


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


def problem_text(code: str, detail: str, *, email: str) -> tuple[str, str]:
    """(why, what to do) in the active language; ``("", "")`` for no problem."""
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
            _("Check the address with the registrant and correct it on their page."),
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


def problem_words(row: RegistrantEmail) -> str:
    why, todo = problem_text(row.error_code, row.error_detail, email=row.registration.email)
    return f"{why} {todo}".strip()


# --- delivering -----------------------------------------------------------------------------


def _send(message: EmailMessage) -> None:
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


def registrant_email_deliver(
    *, email_id: int, worker: str = "", now: dt.datetime | None = None
) -> str:
    """Try one queued e-mail if it is due. Returns what happened: ``sent``, ``retry``
    (queued again, later), ``failed`` or ``skipped`` (not due, or someone else has it)."""
    now = now or timezone.now()
    claimed = RegistrantEmail.objects.filter(
        pk=email_id, status=S.QUEUED, next_try_at__lte=now + EARLY
    ).update(status=S.SENDING, claimed_at=now, claimed_by=worker[:120], tries=F("tries") + 1)
    if not claimed:
        return "skipped"
    row = RegistrantEmail.objects.select_related("registration__seminar").get(pk=email_id)
    try:
        message = registration_email_message(
            registration=row.registration, kind=row.kind, message_id=row.message_id
        )
    except Exception as exc:
        log.exception("composing registrant e-mail %s failed", email_id)
        return _after_failure(row, Problem("compose", f"{type(exc).__name__}: {exc}"[:300], True))
    try:
        _send(message)
    except Exception as exc:
        problem = problem_of(exc)
        log.warning("registrant e-mail %s: %s %s", email_id, problem.code, problem.detail)
        return _after_failure(row, problem)
    RegistrantEmail.objects.filter(pk=email_id).exclude(status=S.SENT).update(
        status=S.SENT, sent_at=timezone.now(), error_code="", error_detail=""
    )
    return "sent"


def _after_failure(
    row: RegistrantEmail, problem: Problem, *, now: dt.datetime | None = None
) -> str:
    """A claimed try failed: queue it again later, or give up and tell the people in charge."""
    now = now or timezone.now()
    claim = RegistrantEmail.objects.filter(pk=row.pk, status=S.SENDING, claimed_at=row.claimed_at)
    if problem.final or row.tries >= max_tries():
        if claim.update(
            status=S.FAILED,
            failed_at=now,
            error_code=problem.code,
            error_detail=problem.detail,
        ):
            row.refresh_from_db()
            notify_email_failed(row)
        return "failed"
    waits = retry_minutes()
    next_at = now + dt.timedelta(minutes=waits[min(row.tries, len(waits)) - 1])
    if claim.update(
        status=S.QUEUED,
        next_try_at=next_at,
        enqueued_at=now,
        error_code=problem.code,
        error_detail=problem.detail,
    ):
        _enqueue(row.pk, eta=next_at)
    return "retry"


# --- the sweep ------------------------------------------------------------------------------


@dataclass
class SweepReport:
    requeued: int = 0
    interrupted: int = 0


def registrant_emails_sweep(*, now: dt.datetime | None = None) -> SweepReport:
    """Recover what the queue lost: a row claimed long ago by a worker that died is tried
    again (or failed, after the last try); a due row nobody claimed is queued again. Safe
    to run twice at once: each change is a compare-and-set."""
    now = now or timezone.now()
    report = SweepReport()
    stuck = RegistrantEmail.objects.filter(status=S.SENDING, claimed_at__lte=now - STUCK_AFTER)
    for row in stuck.select_related("registration__seminar")[:BATCH]:
        _after_failure(row, Problem("interrupted", "", False), now=now)
        report.interrupted += 1
    due = (
        RegistrantEmail.objects.filter(status=S.QUEUED, next_try_at__lte=now - REDELIVER_AFTER)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=now - REDELIVER_AFTER))
        .order_by("next_try_at")
        .values_list("pk", "enqueued_at")[:BATCH]
    )
    for pk, enqueued_at in due:
        if RegistrantEmail.objects.filter(pk=pk, status=S.QUEUED, enqueued_at=enqueued_at).update(
            enqueued_at=now
        ):
            _enqueue(pk)
            report.requeued += 1
    return report


# --- staff: resend --------------------------------------------------------------------------


def _requeue(row: RegistrantEmail, now: dt.datetime) -> RegistrantEmail:
    """A failed or waiting e-mail: a fresh series of tries, starting now, same Message-ID.
    A sent one: a new e-mail of the same kind (its content as of now)."""
    if row.status == S.SENT:
        return registrant_email_queue(registration=row.registration, kind=row.kind, now=now)
    updated = RegistrantEmail.objects.filter(pk=row.pk, status=row.status).update(
        status=S.QUEUED,
        tries=0,
        next_try_at=now,
        enqueued_at=now,
        failed_at=None,
        error_code="",
        error_detail="",
    )
    if not updated:
        raise Conflict(_("This e-mail changed meanwhile. Reload the page and try again."))
    _enqueue_on_commit(row.pk)
    row.refresh_from_db()
    return row


def registrant_email_resend(
    *, access: Access, email: RegistrantEmail, now: dt.datetime | None = None
) -> RegistrantEmail:
    """Staff's Resend: queue this e-mail again (audit-logged)."""
    access.require(Perm.REGISTRATIONS_MANAGE)
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            RegistrantEmail.objects.select_for_update(of=("self",))
            .select_related("registration__seminar__workspace")
            .get(pk=email.pk, registration__seminar__workspace=access.workspace)
        )
        if row.status == S.SENDING:
            raise Conflict(_("This e-mail is being sent right now. Look again in a minute."))
        before = row.status
        queued = _requeue(row, now)
        audit_record(
            action="registration.email_resend",
            actor=access.user,
            workspace=access.workspace,
            obj=row.registration,
            changes={"kind": [row.kind, row.kind], "status": [before, queued.status]},
        )
    return queued


def registrant_emails_resend_failed(
    *, access: Access, seminar: Seminar, now: dt.datetime | None = None
) -> int:
    """Staff's "Resend failed e-mails" after fixing the mail settings: every failed e-mail
    of the seminar gets a fresh series of tries. Returns how many."""
    access.require(Perm.REGISTRATIONS_MANAGE)
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            RegistrantEmail.objects.select_for_update().filter(
                registration__seminar=seminar,
                registration__seminar__workspace=access.workspace,
                status=S.FAILED,
            )
        )
        for row in rows:
            _requeue(row, now)
        if rows:
            audit_record(
                action="registration.email_resend_failed",
                actor=access.user,
                workspace=access.workspace,
                obj=seminar,
                changes={"queued": [None, len(rows)]},
            )
    return len(rows)


# --- telling the people in charge -----------------------------------------------------------


def _people_in_charge(seminar: Seminar) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            workspace_id=seminar.workspace_id, role__in=[Role.OWNER, Role.MANAGER]
        ).select_related("user")
        if m.user.is_active
    ]


def _single_words(row: RegistrantEmail, seminar: Seminar) -> tuple[str, str]:
    registration = row.registration
    why, todo = problem_text(row.error_code, row.error_detail, email=registration.email)
    title = _("An e-mail to %(name)s could not be sent") % {"name": registration.name}
    tries = ngettext("after %(n)s try", "after %(n)s tries", row.tries) % {"n": row.tries}
    body = _(
        "“%(kind)s” for “%(seminar)s” to %(name)s <%(email)s>, %(tries)s: %(why)s %(todo)s "
        "Then press Resend on the registrant's page."
    ) % {
        "kind": EmailKind(row.kind).label,
        "seminar": seminar.title,
        "name": registration.name,
        "email": registration.email,
        "tries": tries,
        "why": why,
        "todo": todo,
    }
    return title, body


def _summary_words(row: RegistrantEmail, seminar: Seminar, count: int) -> tuple[str, str]:
    registration = row.registration
    why, todo = problem_text(row.error_code, row.error_detail, email=registration.email)
    title = ngettext(
        "%(n)s e-mail to registrants of “%(seminar)s” could not be sent",
        "%(n)s e-mails to registrants of “%(seminar)s” could not be sent",
        count,
    ) % {"n": count, "seminar": seminar.title}
    body = _(
        "The latest: “%(kind)s” to %(name)s <%(email)s>. %(why)s %(todo)s Then press "
        "“Resend failed e-mails” in the registrant list."
    ) % {
        "kind": EmailKind(row.kind).label,
        "name": registration.name,
        "email": registration.email,
        "why": why,
        "todo": todo,
    }
    return title[:200], body


def notify_email_failed(row: RegistrantEmail) -> None:
    """Tell the workspace's owners and managers, each in their language. While one of them
    has not read an earlier such notice for the same seminar, that notice is rewritten as a
    count instead of piling up one per e-mail (an outage can fail hundreds)."""
    from keryx.notifications.domain.notify import notify
    from keryx.notifications.models import Notification

    registration = row.registration
    seminar = registration.seminar
    workspace = seminar.workspace
    base = reverse(
        "registrations:list", kwargs={"workspace": workspace.slug, "seminar_id": seminar.pk}
    )
    detail_url = reverse(
        "registrations:detail",
        kwargs={
            "workspace": workspace.slug,
            "seminar_id": seminar.pk,
            "registration_id": registration.pk,
        },
    )
    failed = RegistrantEmail.objects.filter(registration__seminar=seminar, status=S.FAILED).count()
    by_language: dict[str, list[User]] = defaultdict(list)
    for user in {u.pk: u for u in _people_in_charge(seminar)}.values():
        by_language[user.language or workspace.default_language].append(user)
    for language, users in by_language.items():
        unread = Notification.objects.filter(
            recipient__in=users,
            kind=NOTICE_KIND,
            workspace=workspace,
            url__startswith=base,
            read_at__isnull=True,
        )
        waiting = set(unread.values_list("recipient_id", flat=True))
        with translation.override(language):
            if waiting:
                title, body = (
                    _summary_words(row, seminar, failed)
                    if failed > 1
                    else _single_words(row, seminar)
                )
                unread.update(
                    title=title[:200],
                    body=body,
                    url=f"{base}?email=failed" if failed > 1 else detail_url,
                    created_at=timezone.now(),
                )
            fresh = [u for u in users if u.pk not in waiting]
            if fresh:
                title, body = _single_words(row, seminar)
                notify(
                    recipients=fresh,
                    kind=NOTICE_KIND,
                    title=title,
                    body=body,
                    url=detail_url,
                    workspace=workspace,
                )
