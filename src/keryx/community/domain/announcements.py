"""Announcements from the team: shown in the community and, if asked, e-mailed through core's
outbox to everyone who may enter, each in their language, with unsubscribe (a list per
community: ``community:<id>``; decision 0861)."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.community.domain.members import eligible_registrations, link_url, may_enter, member_for
from keryx.community.models import Announcement, Community
from keryx.core.domain.audit import audit_record
from keryx.core.domain.outbox import outbox_queue, unsubscribe_url
from keryx.core.errors import ValidationFailed
from keryx.core.models import OutboxMessage


def list_label(list_key: str) -> str:
    pk = list_key.split(":", 1)[1] if ":" in list_key else ""
    community = (
        Community.objects.filter(pk=pk).select_related("seminar").first() if pk.isdigit() else None
    )
    if community is None:
        return _("community announcements")
    return _("announcements of the community of “%(seminar)s”") % {
        "seminar": community.seminar.title
    }


def _check(title: str, body: str) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    fields: dict[str, list[str]] = {}
    if not title:
        fields["title"] = [_("Give the announcement a title.")]
    elif len(title) > 200:
        fields["title"] = [_("The title is too long (200 characters at most).")]
    if not body:
        fields["body"] = [_("Write the announcement.")]
    elif len(body) > 10000:
        fields["body"] = [_("The text is too long (10,000 characters at most).")]
    if fields:
        raise ValidationFailed(fields=fields)
    return title, body


def announcement_post(
    *, access: Access, community: Community, title: str, body: str, email: bool = True
) -> Announcement:
    """Post an announcement; with ``email``, queue one e-mail per person who may enter."""
    access.require(Perm.COMMUNITY_MANAGE)
    title, body = _check(title, body)
    with transaction.atomic():
        announcement = Announcement.objects.create(
            community=community, title=title, body=body, author=access.user
        )
        sent = 0
        if email and community.is_open:
            for registration in eligible_registrations(community).order_by("pk"):
                member = member_for(community, registration)
                if not may_enter(member):
                    continue
                row = _queue(announcement, member.pk)
                sent += row.status == "queued"
            announcement.emailed = sent
            announcement.save(update_fields=["emailed"])
        audit_record(
            action="community.announce",
            actor=access.user,
            workspace=access.workspace,
            obj=announcement,
            changes={"emailed": [None, sent]},
        )
    return announcement


def _queue(announcement: Announcement, member_id: int) -> OutboxMessage:
    from keryx.community.models import Member

    member = Member.objects.select_related("registration", "community__seminar").get(pk=member_id)
    community = member.community
    email = member.registration.email
    language = member.language or "el"
    with translation.override(language):
        context = {
            "name": member.display_name,
            "seminar": community.seminar.title,
            "title": announcement.title,
            "body": announcement.body,
            "url": link_url(member),
            "unsubscribe": unsubscribe_url(email, community.list_key),
        }
        subject = f"{community.seminar.title}: {announcement.title}"
        text = render_to_string("community/email/announcement.txt", context)
    return outbox_queue(
        to=email,
        language=language,
        kind="community.announcement",
        ref=f"announcement:{announcement.pk}",
        subject=subject,
        text=text,
        list_key=community.list_key,
        workspace_id=community.workspace_id,
    )


def announcement_status(announcement: Announcement) -> dict[str, int]:
    from django.db.models import Count

    rows = (
        OutboxMessage.objects.filter(
            kind="community.announcement", ref=f"announcement:{announcement.pk}"
        )
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


@transaction.atomic
def announcement_delete(*, access: Access, announcement: Announcement) -> None:
    access.require(Perm.COMMUNITY_MANAGE)
    audit_record(
        action="community.announcement_delete",
        actor=access.user,
        workspace=access.workspace,
        obj=announcement,
    )
    announcement.delete()
