"""When a seminar's dates change, its seminar-relative posts follow (after the commit); when a
post with planned times is approved, those times go on the schedule."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from keryx.accounts.access import Access
from keryx.content.models import Post
from keryx.content.signals import post_approved
from keryx.core.tasks import enqueue_on_commit
from keryx.seminars.models import Seminar


@receiver(post_save, sender=Seminar, dispatch_uid="publishing.seminar_moved")
def seminar_saved(sender: type[Seminar], instance: Seminar, created: bool, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if created or (fields is not None and not {"starts_at", "ends_at"} & set(fields)):
        return
    from keryx.publishing.tasks import seminar_moved_task

    enqueue_on_commit(seminar_moved_task, instance.pk)


@receiver(post_approved, sender=Post, dispatch_uid="publishing.post_approved")
def post_approved_received(sender: type[Post], post: Post, access: Access, **kwargs: Any) -> None:
    from keryx.publishing.domain.schedule import post_approved_schedule

    post_approved_schedule(access=access, post=post)
