"""Members and their magic links (decision 0860).

A link is a signed, timestamped token carrying the member's id and ``link_version``; it is
good for ``KERYX_COMMUNITY_LINK_DAYS`` days. Entering sets a signed cookie scoped to the
community's path that carries the same two values; every request checks again that the member
may still be here (not removed, the registration not cancelled or erased, checked in when the
community is for attendees only), so removing someone closes their links and their session.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.community.enums import Audience
from keryx.community.models import Community, Member
from keryx.core.domain.audit import audit_record
from keryx.core.domain.outbox import outbox_queue
from keryx.core.errors import Conflict
from keryx.registrations.enums import RegistrationStatus
from keryx.registrations.models import Registration

SALT = "keryx.community.link"
COOKIE = "kx_community"
ERASED_DOMAIN = "@erased.invalid"


def link_days() -> int:
    return int(getattr(settings, "KERYX_COMMUNITY_LINK_DAYS", 14))


def session_days() -> int:
    return int(getattr(settings, "KERYX_COMMUNITY_SESSION_DAYS", 30))


def eligible_registrations(community: Community) -> QuerySet[Registration]:
    qs = Registration.objects.filter(
        seminar_id=community.seminar_id, status=RegistrationStatus.REGISTERED
    ).exclude(email__iendswith=ERASED_DOMAIN)
    if community.audience == Audience.CHECKED_IN:
        qs = qs.filter(checked_in_at__isnull=False)
    return qs


def may_enter(member: Member) -> bool:
    community = member.community
    registration = member.registration
    return (
        community.is_open
        and member.removed_at is None
        and registration.status == RegistrationStatus.REGISTERED
        and not registration.email.lower().endswith(ERASED_DOMAIN)
        and (community.audience != Audience.CHECKED_IN or registration.checked_in_at is not None)
    )


def member_for(community: Community, registration: Registration) -> Member:
    """The registration's member row (made on first need: a link, an announcement)."""
    member, _created = Member.objects.get_or_create(
        community=community,
        registration=registration,
        defaults={
            "display_name": (registration.name or "").strip()[:80] or _("Attendee"),
            "language": registration.language or "el",
        },
    )
    return member


# --- links and the session cookie -------------------------------------------------------


def link_token(member: Member) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"m": member.pk, "v": member.link_version}, compress=True
    )


def link_url(member: Member) -> str:
    code = member.community.code
    return f"{settings.KERYX_BASE_URL}/c/{code}/in/{link_token(member)}/"


def _member(values: Any, community: Community) -> Member | None:
    if not isinstance(values, dict) or not isinstance(values.get("m"), int):
        return None
    member = (
        Member.objects.filter(pk=int(values["m"]), community=community)
        .select_related("community", "registration")
        .first()
    )
    if member is None or member.link_version != values.get("v") or not may_enter(member):
        return None
    return member


def member_from_link(community: Community, token: str) -> Member | None:
    """The member a magic link names, if it is good, not expired, and they may still enter."""
    try:
        values = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=dt.timedelta(days=link_days())
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return _member(values, community)


def cookie_value(member: Member) -> str:
    return signing.dumps({"m": member.pk, "v": member.link_version}, salt=f"{SALT}.cookie")


def member_from_cookie(community: Community, value: str | None) -> Member | None:
    if not value:
        return None
    try:
        values = signing.loads(
            value, salt=f"{SALT}.cookie", max_age=dt.timedelta(days=session_days())
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return _member(values, community)


def member_enter(member: Member, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    Member.objects.filter(pk=member.pk, joined_at__isnull=True).update(joined_at=now)
    Member.objects.filter(pk=member.pk).update(last_seen_at=now)


# --- sending links ------------------------------------------------------------------------


def _queue_link(member: Member) -> None:
    registration = member.registration
    language = member.language or "el"
    with translation.override(language):
        seminar = member.community.seminar
        context: dict[str, object] = {
            "name": member.display_name,
            "seminar": seminar.title,
            "url": link_url(member),
            "days": link_days(),
        }
        subject = _("Your link to the community of “%(seminar)s”") % {"seminar": seminar.title}
        text = render_to_string("community/email/link.txt", context)
    outbox_queue(
        to=registration.email,
        language=language,
        kind="community.link",
        ref=f"member:{member.pk}",
        subject=subject,
        text=text,
        workspace_id=member.community.workspace_id,
    )


def link_request(*, community: Community, email: str) -> bool:
    """Someone asks for their link by e-mail address. True if one was sent; the page says
    the same either way (it does not tell who is registered)."""
    folded = email.strip().casefold()
    if not folded or not community.is_open:
        return False
    registration = eligible_registrations(community).filter(email__iexact=folded).first()
    if registration is None:
        return False
    with transaction.atomic():
        member = member_for(community, registration)
        if not may_enter(member):
            return False
        _queue_link(member)
    return True


def links_send(*, access: Access, community: Community) -> int:
    """E-mail a link to everyone who may enter and has not entered yet."""
    access.require(Perm.COMMUNITY_MANAGE)
    if not community.is_open:
        raise Conflict(_("Open the community before sending links."))
    sent = 0
    with transaction.atomic():
        for registration in eligible_registrations(community):
            member = member_for(community, registration)
            if member.joined_at is None and may_enter(member):
                _queue_link(member)
                sent += 1
        audit_record(
            action="community.links_send",
            actor=access.user,
            workspace=access.workspace,
            obj=community,
            changes={"sent": [None, sent]},
        )
    return sent


@transaction.atomic
def member_remove(*, access: Access, member: Member) -> None:
    """Take someone out: their links and session stop working at once."""
    access.require(Perm.COMMUNITY_MANAGE)
    Member.objects.filter(pk=member.pk).update(
        removed_at=timezone.now(), link_version=member.link_version + 1
    )
    audit_record(
        action="community.member_remove",
        actor=access.user,
        workspace=access.workspace,
        obj=member,
    )


@transaction.atomic
def member_restore(*, access: Access, member: Member) -> None:
    access.require(Perm.COMMUNITY_MANAGE)
    Member.objects.filter(pk=member.pk).update(removed_at=None)
    audit_record(
        action="community.member_restore",
        actor=access.user,
        workspace=access.workspace,
        obj=member,
    )
