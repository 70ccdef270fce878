"""Invitations by e-mail to a segment of registrants, and reminders to those who have not
answered, all through core's outbox, each in the registrant's language, with unsubscribe."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.domain.outbox import outbox_queue, unsubscribe_url
from keryx.core.errors import Conflict, ValidationFailed
from keryx.core.models import OutboxMessage
from keryx.registrations.models import Registration
from keryx.surveys.domain.answering import survey_state
from keryx.surveys.enums import Segment
from keryx.surveys.models import Invitation, Survey, text_in


def list_label(list_key: str) -> str:
    pk = list_key.split(":", 1)[1] if ":" in list_key else ""
    survey = Survey.objects.filter(pk=pk).first() if pk.isdigit() else None
    if survey is None:
        return _("survey invitations")
    return _("invitations and reminders for the survey “%(title)s”") % {"title": survey.name}


def segment_registrations(survey: Survey, segment: str) -> QuerySet[Registration]:
    if survey.seminar_id is None:
        return Registration.objects.none()
    qs = Registration.objects.filter(seminar_id=survey.seminar_id, status="registered")
    if segment == Segment.CONFIRMED:
        qs = qs.filter(confirmed_at__isnull=False)
    elif segment == Segment.CHECKED_IN:
        qs = qs.filter(checked_in_at__isnull=False)
    elif segment == Segment.NO_SHOW:
        qs = qs.filter(checked_in_at__isnull=True)
    elif segment != Segment.REGISTERED:
        raise ValidationFailed(fields={"segment": [_("Choose who to invite.")]})
    return qs


def personal_url(invitation: Invitation, language: str) -> str:
    return f"{settings.KERYX_BASE_URL}/q/p/{invitation.token}/?lang={language}"


def _queue_mail(invitation: Invitation, *, reminder: bool) -> OutboxMessage:
    survey = invitation.survey
    registration = invitation.registration
    language = registration.language or "el"
    with translation.override(language):
        context = {
            "name": registration.name,
            "title": text_in(survey.title, language),
            "url": personal_url(invitation, language),
            "unsubscribe": unsubscribe_url(registration.email, survey.list_key),
            "reminder": reminder,
            "closes_at": survey.closes_at,
        }
        subject = (_("Reminder: %(title)s") if reminder else _("A few questions: %(title)s")) % {
            "title": context["title"]
        }
        text = render_to_string("surveys/email/invitation.txt", context)
    return outbox_queue(
        to=registration.email,
        language=language,
        kind="surveys.reminder" if reminder else "surveys.invitation",
        ref=f"invitation:{invitation.pk}",
        subject=subject,
        text=text,
        list_key=survey.list_key,
        workspace_id=survey.workspace_id,
    )


def survey_invite(*, access: Access, survey: Survey, segment: str) -> int:
    """E-mail a personal link to everyone in the segment not invited yet. Returns how many."""
    access.require(Perm.SURVEYS_EDIT)
    if not survey_state(survey).open and survey.closes_at and survey.closes_at <= timezone.now():
        raise Conflict(_("This survey is closed."))
    now = timezone.now()
    count = 0
    with transaction.atomic():
        invited = set(
            Invitation.objects.filter(survey=survey).values_list("registration_id", flat=True)
        )
        for registration in segment_registrations(survey, segment).exclude(pk__in=invited):
            invitation = Invitation.objects.create(
                survey=survey, registration=registration, segment=segment, invited_at=now
            )
            invitation.survey = survey
            _queue_mail(invitation, reminder=False)
            count += 1
        from keryx.surveys.domain.results import results_changed

        transaction.on_commit(lambda: results_changed(survey.pk))
        audit_record(
            action="survey.invite",
            actor=access.user,
            workspace=access.workspace,
            obj=survey,
            changes={"segment": [None, segment], "invited": [None, count]},
        )
    return count


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind non-respondents of open surveys whose wait is over. Safe to run twice: each
    reminder is claimed by a compare-and-set on the invitation's count."""
    now = now or timezone.now()
    sent = 0
    open_surveys = Survey.objects.filter(max_reminders__gt=0).filter(
        Q(opens_at__isnull=True) | Q(opens_at__lte=now),
        Q(closes_at__isnull=True) | Q(closes_at__gt=now),
    )
    for survey in open_surveys:
        wait = dt.timedelta(days=survey.reminder_after_days)
        due = (
            Invitation.objects.filter(
                survey=survey, reminders_sent__lt=survey.max_reminders, invited_at__isnull=False
            )
            .exclude(response__submitted=True)
            .filter(
                Q(last_reminded_at__isnull=True, invited_at__lte=now - wait)
                | Q(last_reminded_at__lte=now - wait)
            )
            .select_related("registration")
        )
        for invitation in due[:1000]:
            with transaction.atomic():
                claimed = Invitation.objects.filter(
                    pk=invitation.pk, reminders_sent=invitation.reminders_sent
                ).update(reminders_sent=invitation.reminders_sent + 1, last_reminded_at=now)
                if claimed:
                    invitation.survey = survey
                    _queue_mail(invitation, reminder=True)
                    sent += 1
    return sent


def invitation_status(survey: Survey) -> dict[str, int]:
    """How the invitations' e-mails went: queued, sending, sent, failed, unsubscribed."""
    rows = (
        OutboxMessage.objects.filter(
            kind__in=["surveys.invitation", "surveys.reminder"],
            ref__in=[f"invitation:{pk}" for pk in survey.invitations.values_list("pk", flat=True)],
        )
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}
