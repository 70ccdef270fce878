"""“We are live”: one post to every connected network with the stream's link, through the
normal composer, approval rules and publishing pipeline — once per room.

The first click makes the post with :func:`keryx.content.domain.posts.post_create` (the links
app turns the stream's address into each variant's tracked link) and sends it for review; the
workspace's approval rules apply as to any post (nobody approves their own). Once it is
approved, the next click — or the approver's own "share now" — publishes every approved
variant at once through the pipeline, which posts each variant exactly once. Further clicks
find the room's post and change nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.domain.posts import PostInput, post_create, usable_accounts
from keryx.content.enums import PostStatus
from keryx.content.models import Post
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.live.models import Room


def live_post_text(room: Room) -> str:
    with override(room.seminar.language or "el"):
        return _("We are live now: %(title)s. Watch and ask your questions: %(url)s") % {
            "title": room.title,
            "url": room.stream_url or room.seminar.stream_url,
        }


def room_announce_live(*, access: Access, room: Room) -> Post:
    access.require(Perm.CONTENT_EDIT)
    stream = room.stream_url or room.seminar.stream_url
    if not stream:
        raise ValidationFailed(_("Add the live stream link first (room settings or the seminar)."))
    accounts = usable_accounts(access)
    if not accounts:
        raise ValidationFailed(_("No network account is connected."))
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=room.pk)
        if room.live_post_id is not None:
            existing = Post.objects.filter(pk=room.live_post_id).first()
            if existing is not None:
                return _release(access, existing)  # clicked again: the same post
        post = post_create(
            access=access,
            seminar=room.seminar,
            data=PostInput(
                fields={"master_text": live_post_text(room), "language": room.seminar.language},
                account_ids=[a.pk for a in accounts],
            ),
        )
        room.live_post = post
        room.save(update_fields=["live_post", "updated_at"])
        audit_record(
            action="live.room.announce", actor=access.user, workspace=access.workspace, obj=room
        )
    return _send(access, post)


def _send(access: Access, post: Post) -> Post:
    from keryx.content.domain.review import post_submit

    with transaction.atomic():
        post = post_submit(access=access, post=post)
    return _release(access, post)


def _release(access: Access, post: Post) -> Post:
    """Share now every variant that is approved and not on the schedule yet (none twice: a
    scheduled or published variant is no longer ``approved``)."""
    from keryx.content.enums import VariantStatus
    from keryx.publishing.domain.schedule import variant_share_now

    post.refresh_from_db()
    if post.status != PostStatus.APPROVED or not access.can(Perm.PUBLISH_SCHEDULE):
        return post
    ready = post.variants.filter(status=VariantStatus.APPROVED, scheduled_at__isnull=True)
    for variant_id in ready.values_list("pk", flat=True):
        with transaction.atomic():
            variant_share_now(access=access, variant_id=variant_id)
    return post
