"""The emergency pause: stop every post of the workspace, or of one seminar, with a reason.

A pause is checked by the worker at the moment of publishing, so a post already in the queue
is held too. Resuming does not publish what was held: each held post waits for a person to
publish it, give it a new time or drop it (:func:`keryx.publishing.domain.schedule.held_release`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Conflict, ValidationFailed
from keryx.publishing.models import Pause
from keryx.seminars.models import Seminar


@transaction.atomic
def pause_start(*, access: Access, reason: str, seminar: Seminar | None = None) -> Pause:
    access.require(Perm.PUBLISH_PAUSE)
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise ValidationFailed(
            fields={"reason": [_("Say why publishing stops, so the team knows (e.g. “sad news”).")]}
        )
    if len(reason) > 500:
        raise ValidationFailed(fields={"reason": [_("Use at most 500 characters.")]})
    if seminar is not None and seminar.workspace_id != access.workspace.pk:
        raise Conflict()
    existing = (
        Pause.objects.select_for_update()
        .filter(workspace=access.workspace, seminar=seminar, resumed_at__isnull=True)
        .first()
    )
    if existing is not None:
        raise Conflict(
            _("Publishing is already paused here since %(when)s: “%(reason)s”.")
            % {
                "when": date_format(timezone.localtime(existing.paused_at), "DATETIME_FORMAT"),
                "reason": existing.reason,
            },
            code="already_paused",
        )
    pause = Pause.objects.create(
        workspace=access.workspace,
        seminar=seminar,
        reason=reason,
        paused_by=access.user,
        paused_at=timezone.now(),
    )
    audit_record(
        action="publishing.pause",
        actor=access.user,
        workspace=access.workspace,
        obj=pause,
        changes={"reason": [None, reason], "seminar": [None, seminar.pk if seminar else None]},
    )
    return pause


@transaction.atomic
def pause_resume(*, access: Access, pause_id: int) -> Pause:
    access.require(Perm.PUBLISH_PAUSE)
    pause = (
        Pause.objects.select_for_update().filter(pk=pause_id, workspace=access.workspace).first()
    )
    if pause is None:
        from keryx.core.errors import NotFound

        raise NotFound()
    if pause.resumed_at is not None:
        raise Conflict(_("This pause has already ended."), code="already_resumed")
    pause.resumed_at = timezone.now()
    pause.resumed_by = access.user
    pause.save(update_fields=["resumed_at", "resumed_by"])
    audit_record(
        action="publishing.resume",
        actor=access.user,
        workspace=access.workspace,
        obj=pause,
        changes={"resumed_at": [None, pause.resumed_at]},
    )
    return pause
