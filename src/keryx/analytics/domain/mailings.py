"""E-mails of the reports, through core's outbox, each in the member's language: the weekly
digest to the team and the link to a scheduled report. Idempotent per period and member: the
:class:`ReportMailing` row is written in the transaction that queues the e-mail, and its unique
key turns a second run of the same period into nothing (decision 0962).

Recipients: the workspace's members whose role may see analytics. Each can leave a list with
the unsubscribe link of the e-mail (the outbox's lists, per address): ``digest:<workspace>``
for the digest, ``reports:<schedule>`` for one schedule's reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.models import Membership, User, Workspace
from keryx.accounts.roles import Perm, Role, role_has
from keryx.analytics.report_models import Report, ReportMailing
from keryx.core.domain.outbox import (
    is_unsubscribed,
    outbox_queue,
    outbox_unsubscribe,
    unsubscribe_url,
)
from keryx.core.models import Unsubscription
from keryx.seminars.models import Seminar

DIGEST_KIND = "analytics.digest"
REPORT_KIND = "analytics.scheduled_report"
RECENT = dt.timedelta(days=14)  # a seminar stays in the digest two weeks after its day


def digest_list_key(workspace_id: int) -> str:
    return f"digest:{workspace_id}"


def week_of(moment: dt.datetime) -> str:
    year, week, _day = moment.isocalendar()
    return f"{year}-W{week:02d}"


def readers_of(workspace: Workspace) -> Iterable[tuple[User, Role]]:
    """Active members who may see the workspace's analytics."""
    for membership in Membership.objects.filter(
        workspace=workspace, user__is_active=True
    ).select_related("user"):
        role = Role(membership.role)
        if role_has(role, Perm.ANALYTICS_VIEW):
            yield membership.user, role


def language_of(user: User, workspace: Workspace) -> str:
    return user.language or workspace.default_language or settings.LANGUAGE_CODE


def _claim(workspace: Workspace, user: User, key: str, now: dt.datetime) -> bool:
    """True the first time for (workspace, member, key); False ever after."""
    try:
        with transaction.atomic():
            ReportMailing.objects.create(workspace=workspace, user=user, key=key, sent_at=now)
    except IntegrityError:
        return False
    return True


def _link(path: str) -> str:
    return f"{settings.KERYX_BASE_URL}{path}"


def _seminar_lines(seminar: Seminar, now: dt.datetime) -> dict[str, object]:
    from keryx.analytics.presenters import dashboard_of
    from keryx.analytics.reports.content import reader_for

    board = dashboard_of(reader_for(seminar), seminar, now=now)
    return {
        "seminar": seminar,
        "board": board,
        "link": _link(
            reverse(
                "analytics:dashboard",
                kwargs={"workspace": seminar.workspace.slug, "seminar_id": seminar.pk},
            )
        ),
    }


def digest_send(*, now: dt.datetime | None = None) -> int:
    """The weekly digest of every workspace with a current seminar, once per ISO week and
    member. Returns how many e-mails were queued."""
    now = now or timezone.now()
    period = week_of(now)
    queued = 0
    seminars = Seminar.objects.filter(ends_at__gte=now - RECENT).select_related("workspace")
    by_workspace: dict[int, list[Seminar]] = {}
    for seminar in seminars.order_by("starts_at", "pk"):
        by_workspace.setdefault(seminar.workspace_id, []).append(seminar)
    for items in by_workspace.values():
        workspace = items[0].workspace
        for user, _role in readers_of(workspace):
            language = language_of(user, workspace)
            with transaction.atomic():
                if not _claim(workspace, user, f"digest:{period}", now):
                    continue
                list_key = digest_list_key(workspace.pk)
                with translation.override(language):
                    context = {
                        "workspace": workspace,
                        "seminars": [_seminar_lines(s, now) for s in items],
                        "unsubscribe": unsubscribe_url(user.email, list_key),
                        "week": period,
                    }
                    body = render_to_string("analytics/email/digest.txt", context)
                    subject = _("[Keryx] Weekly digest: %(workspace)s") % {
                        "workspace": workspace.name
                    }
                outbox_queue(
                    to=user.email,
                    language=language,
                    kind=DIGEST_KIND,
                    ref=f"digest:{workspace.pk}:{period}",
                    subject=subject,
                    text=body,
                    list_key=list_key,
                    workspace_id=workspace.pk,
                )
                queued += 1
    return queued


def scheduled_report_mail(*, report: Report, now: dt.datetime | None = None) -> int:
    """The link to a finished scheduled report, to each reader once. Called in the transaction
    that marks the report ready."""
    assert report.schedule is not None
    now = now or timezone.now()
    schedule = report.schedule
    workspace = report.workspace
    link = _link(
        reverse(
            "analytics:report_download",
            kwargs={
                "workspace": workspace.slug,
                "seminar_id": report.seminar_id,
                "report_id": report.pk,
            },
        )
    )
    queued = 0
    for user, _role in readers_of(workspace):
        if not _claim(workspace, user, f"schedule:{schedule.pk}:{report.period}", now):
            continue
        language = language_of(user, workspace)
        with translation.override(language):
            body = render_to_string(
                "analytics/email/scheduled_report.txt",
                {
                    "report": report,
                    "schedule": schedule,
                    "seminar": report.seminar,
                    "link": link,
                    "unsubscribe": unsubscribe_url(user.email, schedule.list_key),
                },
            )
            subject = _("[Keryx] Report ready: %(seminar)s (%(period)s)") % {
                "seminar": report.seminar.title,
                "period": report.period,
            }
        outbox_queue(
            to=user.email,
            language=language,
            kind=REPORT_KIND,
            ref=f"report:{report.pk}",
            subject=subject,
            text=body,
            list_key=schedule.list_key,
            workspace_id=workspace.pk,
        )
        queued += 1
    return queued


def digest_wanted(*, access: Access) -> bool:
    """Whether the signed-in member gets this workspace's weekly digest."""
    return not is_unsubscribed(access.user.email, digest_list_key(access.workspace.pk))


def digest_choose(*, access: Access, wanted: bool) -> None:
    """The member's own choice on the reports page: leave the digest, or join it again (the
    same list the e-mail's unsubscribe link leaves)."""
    access.require(Perm.ANALYTICS_VIEW)
    list_key = digest_list_key(access.workspace.pk)
    if wanted:
        Unsubscription.objects.filter(
            email_folded=access.user.email.strip().casefold(), list_key=list_key
        ).delete()
    else:
        outbox_unsubscribe(email=access.user.email, list_key=list_key)
