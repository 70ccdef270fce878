"""One control for every network of a post: the same time for all, each network's next free
posting slot, or each network's best time. Each variant goes through the single-variant
functions (checks, quotas, audit), all or none (docs/decisions/0723)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.models import Variant
from keryx.core.errors import KeryxError, NotFound, ValidationFailed
from keryx.publishing.domain.besttime import best_times
from keryx.publishing.domain.schedule import SCHEDULABLE, variant_add_to_queue, variant_schedule
from keryx.publishing.limits import network_label


class ScheduleAll(StrEnum):
    SAME_TIME = "same_time"
    NEXT_SLOT = "next_slot"
    BEST_TIME = "best_time"


def _schedulable(access: Access, post_id: int) -> list[Variant]:
    variants = list(
        Variant.objects.filter(
            post_id=post_id, post__workspace=access.workspace, status__in=SCHEDULABLE
        )
        .select_related("account", "post")
        .order_by("network", "pk")
    )
    if not variants:
        if not Variant.objects.filter(post_id=post_id, post__workspace=access.workspace).exists():
            raise NotFound()
        raise ValidationFailed(_("No network version of this post can be scheduled now."))
    return variants


@transaction.atomic
def post_schedule_all(
    *, access: Access, post_id: int, mode: str, when: dt.datetime | None = None
) -> list[Variant]:
    """Schedule every schedulable variant of the post; a problem with one network schedules
    none and says which network it was."""
    access.require(Perm.PUBLISH_SCHEDULE)
    if mode not in ScheduleAll.__members__.values():
        raise ValidationFailed(fields={"mode": [_("Choose how to schedule.")]})
    if mode == ScheduleAll.SAME_TIME and when is None:
        raise ValidationFailed(fields={"scheduled_at": [_("Give the date and time.")]})
    done = []
    for variant in _schedulable(access, post_id):
        try:
            if mode == ScheduleAll.NEXT_SLOT:
                done.append(variant_add_to_queue(access=access, variant_id=variant.pk))
                continue
            at = when
            if mode == ScheduleAll.BEST_TIME:
                suggestions = best_times(variant.account).suggestions
                if not suggestions:
                    raise ValidationFailed(_("No free time in the next two weeks."))
                at = suggestions[0]
            assert at is not None
            done.append(variant_schedule(access=access, variant_id=variant.pk, when=at))
        except KeryxError as exc:
            details = [m for messages in exc.fields.values() for m in messages]
            raise ValidationFailed(
                _("%(network)s: %(problem)s")
                % {
                    "network": network_label(variant.network),
                    "problem": " ".join(details) or exc.message,
                },
                fields={"mode": details} if details else {},
            ) from exc
    return done
