"""When a seminar's dates change, its seminar-relative posts follow (after the commit)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from keryx.core.tasks import enqueue_on_commit
from keryx.seminars.models import Seminar


@receiver(post_save, sender=Seminar, dispatch_uid="publishing.seminar_moved")
def seminar_saved(sender: type[Seminar], instance: Seminar, created: bool, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if created or (fields is not None and not {"starts_at", "ends_at"} & set(fields)):
        return
    from keryx.publishing.tasks import seminar_moved_task

    enqueue_on_commit(seminar_moved_task, instance.pk)
