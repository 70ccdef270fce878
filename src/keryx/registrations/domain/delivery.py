"""Delivering registrant e-mails: queue, claim, send, retry with backoff, fail loudly, resend.

Every registrant e-mail is a ``RegistrantEmail`` row written in the transaction that decides to
send it; the task message only carries its id (decision 0605). Delivery runs through core's
outbox engine (decision 0850): a task claims the row with a compare-and-set (``queued`` →
``sending``), so two deliveries of the same message send one e-mail, and a ``sent`` row is never
sent again. A failure the mail server calls temporary (or a server that cannot be reached) is
tried again after 1, 5, 15, 60, 120 and 240 minutes; then, or at once for a final refusal, the
row is ``failed`` and the workspace's owners and managers are told to whom, which e-mail, why and
what to do. A periodic sweep queues again what a lost message or a dead worker left behind.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keryx.accounts.access import Access
from keryx.accounts.models import Membership, User
from keryx.accounts.roles import Perm, Role
from keryx.core.domain.audit import audit_record
from keryx.core.domain.delivery import DeliveryEngine, SweepReport
from keryx.core.domain.mailproblems import Problem, mail_server, problem_of
from keryx.core.domain.mailproblems import problem_text as _core_problem_text
from keryx.core.errors import Conflict
from keryx.registrations.domain.emails import registration_email_message
from keryx.registrations.enums import EmailKind, EmailStatus
from keryx.registrations.models import RegistrantEmail, Registration
from keryx.seminars.models import Seminar

__all__ = ["Problem", "SweepReport", "mail_server", "problem_of"]

S = EmailStatus
NOTICE_KIND = "registrations.email_failed"


def _enqueue(email_id: int, eta: dt.datetime | None = None) -> None:
    """Put one delivery message on the queue now (call it after the row is committed)."""
    from keryx.registrations.tasks import deliver_registrant_email

    if eta is not None:
        deliver_registrant_email.schedule(args=(email_id,), eta=eta)
    else:
        deliver_registrant_email(email_id)


def _compose(row: RegistrantEmail) -> EmailMessage:
    return registration_email_message(
        registration=row.registration, kind=row.kind, message_id=row.message_id
    )


ENGINE = DeliveryEngine(
    model=RegistrantEmail,
    compose=_compose,
    enqueue=_enqueue,
    on_failed=lambda row: notify_email_failed(row),
    retry_setting="KERYX_REGISTRANT_EMAIL_RETRY_MINUTES",
    select_related=("registration__seminar",),
    name="registrant e-mail",
)


def retry_minutes() -> tuple[float, ...]:
    return ENGINE.retry_minutes()


def max_tries() -> int:
    return ENGINE.max_tries()


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
    ENGINE.enqueue_on_commit(row.pk)
    return row


def problem_text(code: str, detail: str, *, email: str) -> tuple[str, str]:
    """(why, what to do) in the active language; ``("", "")`` for no problem."""
    return _core_problem_text(
        code,
        detail,
        email=email,
        recipient_todo=_("Check the address with the registrant and correct it on their page."),
    )


def problem_words(row: RegistrantEmail) -> str:
    why, todo = problem_text(row.error_code, row.error_detail, email=row.registration.email)
    return f"{why} {todo}".strip()


def registrant_email_deliver(
    *, email_id: int, worker: str = "", now: dt.datetime | None = None
) -> str:
    """Try one queued e-mail if it is due. Returns what happened: ``sent``, ``retry``
    (queued again, later), ``failed`` or ``skipped`` (not due, or someone else has it)."""
    return ENGINE.deliver(pk=email_id, worker=worker, now=now)


def _after_failure(
    row: RegistrantEmail, problem: Problem, *, now: dt.datetime | None = None
) -> str:
    return ENGINE.after_failure(row, problem, now=now)


def registrant_emails_sweep(*, now: dt.datetime | None = None) -> SweepReport:
    """Recover what the queue lost (see :meth:`DeliveryEngine.sweep`)."""
    return ENGINE.sweep(now=now)


# --- staff: resend --------------------------------------------------------------------------


def _requeue(row: RegistrantEmail, now: dt.datetime) -> RegistrantEmail:
    """A failed or waiting e-mail: a fresh series of tries, starting now, same Message-ID.
    A sent one: a new e-mail of the same kind (its content as of now)."""
    if row.status == S.SENT:
        return registrant_email_queue(registration=row.registration, kind=row.kind, now=now)
    if not ENGINE.retry_row(row, now=now):
        raise Conflict(_("This e-mail changed meanwhile. Reload the page and try again."))
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
