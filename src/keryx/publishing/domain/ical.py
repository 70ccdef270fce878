"""The seminar's content calendar as an iCalendar feed, at a secret address."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.core.domain.audit import audit_record
from keryx.publishing.calendar import state_label, state_of
from keryx.publishing.limits import network_label
from keryx.publishing.models import CalendarFeed, _feed_token
from keryx.seminars.models import Seminar

S = VariantStatus
EVENT_LENGTH = dt.timedelta(minutes=15)


@transaction.atomic
def feed_rotate(*, access: Access, seminar: Seminar) -> CalendarFeed:
    """Create the seminar's feed address, or replace it (the old address stops working)."""
    access.require(Perm.PUBLISH_SCHEDULE)
    feed, created = CalendarFeed.objects.get_or_create(
        seminar=seminar, defaults={"created_by": access.user}
    )
    if not created:
        feed.token = _feed_token()
        feed.created_by = access.user
        feed.save(update_fields=["token", "created_by"])
    audit_record(
        action="calendar_feed.rotate" if not created else "calendar_feed.create",
        actor=access.user,
        workspace=access.workspace,
        obj=seminar,
    )
    return feed


def feed_url(feed: CalendarFeed) -> str:
    return settings.KERYX_BASE_URL + reverse("publishing:ical", kwargs={"token": feed.token})


def feed_calendar(seminar: Seminar) -> bytes:
    import icalendar  # imported when used: web processes rarely serve the feed

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Keryx//Content calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Posts: %(title)s") % {"title": seminar.title})
    cal.add("x-wr-timezone", seminar.time_zone)
    calendar_url = settings.KERYX_BASE_URL + reverse(
        "publishing:calendar", kwargs={"workspace": seminar.workspace.slug}
    )
    variants = (
        Variant.objects.filter(post__seminar=seminar, scheduled_at__isnull=False)
        .exclude(status__in=[S.DRAFT])
        .select_related("post", "account", "dispatch")
        .order_by("scheduled_at", "pk")
    )
    stamp = timezone.now()
    for variant in variants:
        assert variant.scheduled_at is not None
        when = variant.published_at or variant.scheduled_at
        text = variant.text or variant.post.master_text
        state = state_of(variant)
        event = icalendar.Event()
        event.add("uid", f"variant-{variant.pk}@keryx")
        event.add("dtstamp", stamp)
        event.add("dtstart", when)
        event.add("dtend", when + EVENT_LENGTH)
        event.add(
            "summary",
            f"{network_label(variant.network)}: {' '.join(text.split())[:80]}",
        )
        event.add(
            "description",
            f"{text}\n\n{state_label(state)} · {variant.account.handle or variant.account.name}",
        )
        event.add(
            "status",
            "CANCELLED"
            if state == S.FAILED
            else "CONFIRMED"
            if state == S.PUBLISHED
            else "TENTATIVE",
        )
        event.add(
            "url", variant.remote_url or f"{calendar_url}?seminar={seminar.pk}&variant={variant.pk}"
        )
        cal.add_component(event)
    return bytes(cal.to_ical())
