"""Weekly posting slots per account (Buffer-style) and the free ones ahead."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.core.choices import time_zone_names
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.networks.models import NetworkAccount
from keryx.publishing.models import PostingSlot

S = VariantStatus
SEARCH_WEEKS = 8
MAX_SLOTS = 7 * 24


@transaction.atomic
def slots_replace(
    *,
    access: Access,
    account: NetworkAccount,
    slots: Sequence[tuple[int, dt.time]],
    time_zone: str,
) -> list[PostingSlot]:
    """Set the account's weekly slots (all of them at once)."""
    access.require(Perm.PUBLISH_SCHEDULE)
    fields: dict[str, list[str]] = {}
    if time_zone not in time_zone_names():
        fields["time_zone"] = [_("Choose a time zone from the list, e.g. Europe/Athens.")]
    seen: set[tuple[int, dt.time]] = set()
    for index, (weekday, at) in enumerate(slots):
        if not 0 <= weekday <= 6:
            fields[f"slots[{index}].weekday"] = [_("Choose a day from Monday (0) to Sunday (6).")]
        if (weekday, at.replace(second=0, microsecond=0)) in seen:
            fields[f"slots[{index}].time"] = [_("This day and time is already a slot.")]
        seen.add((weekday, at.replace(second=0, microsecond=0)))
    if len(slots) > MAX_SLOTS:
        fields["slots"] = [_("At most %(n)d slots a week.") % {"n": MAX_SLOTS}]
    if fields:
        raise ValidationFailed(fields=fields)
    before = [str(s) for s in account.posting_slots.all()]
    account.posting_slots.all().delete()
    created = PostingSlot.objects.bulk_create(
        PostingSlot(
            workspace=access.workspace,
            account=account,
            weekday=weekday,
            local_time=at.replace(second=0, microsecond=0),
            time_zone=time_zone,
        )
        for weekday, at in sorted(seen)
    )
    audit_record(
        action="posting_slots.replace",
        actor=access.user,
        workspace=access.workspace,
        obj=account,
        changes={"slots": [before, [str(s) for s in created]], "time_zone": [None, time_zone]},
    )
    return created


def slot_times(
    account: NetworkAccount, *, after: dt.datetime, until: dt.datetime
) -> Iterator[dt.datetime]:
    """Every slot occurrence after ``after`` up to ``until``, in time order (aware, UTC)."""
    slots = list(account.posting_slots.all())
    if not slots:
        return
    zone = zoneinfo.ZoneInfo(slots[0].time_zone)
    day = after.astimezone(zone).date()
    last = until.astimezone(zone).date()
    while day <= last:
        for slot in sorted(
            (s for s in slots if s.weekday == day.weekday()), key=lambda s: s.local_time
        ):
            at = dt.datetime.combine(day, slot.local_time, tzinfo=zone)
            if after < at <= until:
                yield at.astimezone(dt.UTC)
        day += dt.timedelta(days=1)


def occupied(
    account: NetworkAccount, start: dt.datetime, end: dt.datetime, *, exclude: Sequence[int] = ()
) -> set[dt.datetime]:
    times = (
        Variant.objects.filter(
            account=account,
            status__in=[S.SCHEDULED, S.PUBLISHING, S.PUBLISHED, S.UNCONFIRMED],
            scheduled_at__gte=start,
            scheduled_at__lte=end,
        )
        .exclude(pk__in=list(exclude))
        .values_list("scheduled_at", flat=True)
    )
    return {t for t in times if t is not None}


def free_slots(
    account: NetworkAccount,
    *,
    after: dt.datetime | None = None,
    count: int = 1,
    exclude: Sequence[int] = (),
) -> list[dt.datetime]:
    """The next ``count`` slot times nobody has taken."""
    start = after or timezone.now() + dt.timedelta(minutes=1)
    end = start + dt.timedelta(weeks=SEARCH_WEEKS)
    taken = occupied(account, start, end, exclude=exclude)
    result = []
    for at in slot_times(account, after=start, until=end):
        if at not in taken:
            result.append(at)
            if len(result) >= count:
                break
    return result
