"""Questions and our own posts reach the wall as soon as they are approved or published (the
periodic sweep finds them too, should a signal be missed): after commit, only the seminar's
local sources are read, never the networks."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def _collect_local(seminar_id: int, *, question: int = 0, variant: int = 0) -> None:
    """Just the one question or post that changed (the ask path stays cheap)."""
    from keryx.live.domain.wall_sources import collect_posts, collect_questions
    from keryx.live.models import Wall

    wall = Wall.objects.filter(seminar_id=seminar_id).first()
    if wall is None:
        return
    if question:
        collect_questions(wall, only=[question])
    if variant:
        collect_posts(wall, only=[variant])


def question_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from keryx.live.enums import QuestionStatus
    from keryx.live.models import Room, WallItem, WallItemStatus

    seminar_id = Room.objects.filter(pk=instance.room_id).values_list("seminar_id", flat=True)
    seminar = seminar_id.first()
    if seminar is None:
        return
    if instance.status == QuestionStatus.APPROVED:
        question = instance.pk
        transaction.on_commit(lambda: _collect_local(seminar, question=question))
    elif instance.status == QuestionStatus.DISMISSED:
        from keryx.live.domain.wall import item_changed
        from keryx.live.domain.wall_sources import question_remote_id

        shown = WallItem.objects.filter(
            wall__seminar_id=seminar, remote_id=question_remote_id(instance.pk)
        ).exclude(status=WallItemStatus.HIDDEN)
        for item in shown.select_related("wall"):
            item.status, item.reason = WallItemStatus.HIDDEN, "dismissed"
            item.save(update_fields=["status", "reason"])
            item_changed(item)


def variant_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from keryx.content.enums import VariantStatus
    from keryx.content.models import Post

    if instance.status != VariantStatus.PUBLISHED:
        return
    seminar = Post.objects.filter(pk=instance.post_id).values_list("seminar_id", flat=True).first()
    if seminar is not None:
        variant = instance.pk
        transaction.on_commit(lambda: _collect_local(seminar, variant=variant))


def connect() -> None:
    from django.db.models.signals import post_save

    from keryx.content.models import Variant
    from keryx.live.models import Question

    post_save.connect(question_saved, sender=Question, dispatch_uid="live.wall.question")
    post_save.connect(variant_saved, sender=Variant, dispatch_uid="live.wall.variant")
