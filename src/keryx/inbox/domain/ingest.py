"""From the read layer's stored items to conversations.

:func:`inbox_ingest` reads the ``RemoteItem`` rows stored since the last run (a mark keeps the
highest id read, so every item becomes a message once, however often this runs) and files each
one: an answer to a message already in a conversation joins it; anything else starts a
conversation of its own (one per remote thread). Each text from the audience is analysed once
by insights (sentiment, language; the crisis detector reads the same rows); a new conversation
goes through the rules, and in crisis mode is assigned. Every change is announced on the
workspace's inbox stream after commit, so open inbox pages update live.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from keryx.core.realtime import publish_on_commit
from keryx.core.text import text_key
from keryx.inbox.domain.crisis import crisis_active, next_in_turn
from keryx.inbox.domain.rules import rules_apply
from keryx.inbox.enums import SENTIMENT_RANK, Status
from keryx.inbox.models import Conversation, IngestMark, Message
from keryx.networks.models import NetworkAccount, RemoteItem

KINDS = ("comment", "reply", "mention", "message")
BATCH = 500
SEARCH_TEXT_MAX = 4000


def stream_of(workspace_id: int) -> str:
    return f"inbox.{workspace_id}"


def _handle(value: str) -> str:
    return value.strip().lstrip("@").casefold()


def is_ours(account: NetworkAccount, author_handle: str) -> bool:
    """Written by the connected account itself (our reply read back)."""
    mine, theirs = _handle(account.handle), _handle(author_handle)
    if not mine or not theirs:
        return False
    return mine == theirs or mine.startswith(theirs + "@") or theirs.startswith(mine + "@")


def _post_of(account: NetworkAccount, remote_ids: list[str]) -> tuple[int | None, int | None]:
    from keryx.content.models import Variant

    ids = [r for r in remote_ids if r]
    if not ids:
        return None, None
    found = (
        Variant.objects.filter(account=account, remote_id__in=ids)
        .values_list("post_id", "post__seminar_id")
        .first()
    )
    return (found[0], found[1]) if found else (None, None)


def _analyse(
    account: NetworkAccount, item: RemoteItem, seminar_id: int | None
) -> tuple[str, float, str]:
    from keryx.insights.domain.texts import text_record
    from keryx.seminars.models import Seminar

    seminar = Seminar.objects.filter(pk=seminar_id).first() if seminar_id else None
    row = text_record(
        workspace=account.workspace,
        text=item.text,
        posted_at=item.created_at,
        network=account.network,
        external_id=f"{account.pk}:{item.remote_id}"[:200],
        author_handle=item.author_handle[:200],
        seminar=seminar,
    )
    return row.label, row.score, row.language


def item_file(item: RemoteItem) -> Conversation | None:
    """File one stored item into its conversation (once). Returns the conversation changed."""
    account = item.account
    if Message.objects.filter(conversation__account=account, remote_id=item.remote_id).exists():
        return None  # already filed (or our own reply, stored when it was sent)
    parent = None
    if item.in_reply_to:
        parent = (
            Message.objects.filter(conversation__account=account, remote_id=item.in_reply_to)
            .select_related("conversation")
            .first()
        )
    ours = is_ours(account, item.author_handle)
    if parent is None and ours:
        return None  # our own post or reply outside any conversation: nothing to answer
    post_remote_id = item.post_remote_id or (item.in_reply_to if item.kind != "mention" else "")
    if parent is not None:
        conversation = Conversation.objects.select_for_update().get(pk=parent.conversation_id)
        created = False
    else:
        post_id, seminar_id = _post_of(account, [item.post_remote_id, item.in_reply_to])
        conversation, created = Conversation.objects.get_or_create(
            account=account,
            thread_key=item.remote_id[:300],
            defaults={
                "workspace_id": account.workspace_id,
                "network": account.network,
                "kind": item.kind,
                "post_remote_id": post_remote_id[:300],
                "post_id": post_id,
                "seminar_id": seminar_id,
                "author_name": item.author_name,
                "author_handle": item.author_handle,
                "url": item.url,
                "first_message_at": item.created_at,
                "last_message_at": item.created_at,
            },
        )
    label, score, language = ("", 0.0, "")
    if not ours and item.text.strip():
        label, score, language = _analyse(account, item, conversation.seminar_id)
    Message.objects.create(
        conversation=conversation,
        remote_item=item,
        remote_id=item.remote_id[:300],
        outgoing=ours,
        author_name=item.author_name,
        author_handle=item.author_handle,
        text=item.text,
        url=item.url,
        sentiment=label,
        language=language,
        created_at=item.created_at,
    )
    conversation.messages_count += 1
    if ours:
        if conversation.first_reply_at is None or item.created_at < conversation.first_reply_at:
            conversation.first_reply_at = item.created_at
    else:
        if item.created_at >= conversation.last_message_at or created:
            conversation.excerpt = item.text
            conversation.sentiment = label
            conversation.sentiment_rank = SENTIMENT_RANK.get(label, 1)
            conversation.score = score
            conversation.language = language or conversation.language
            conversation.last_message_at = max(conversation.last_message_at, item.created_at)
            if not created:
                # Someone wrote again: the conversation needs an answer again.
                conversation.status = Status.OPEN
                conversation.done_at = None
        extra = f"{item.author_name} {item.author_handle} {item.text}"
        # Stored folded (keryx.core.text.text_key), so the search box compares with a plain
        # LIKE instead of folding every row on each search (100,000 rows on PostgreSQL: 360 ms).
        folded = text_key(extra)
        conversation.search_text = f"{conversation.search_text} {folded}".strip()[:SEARCH_TEXT_MAX]
        if created:
            rules_apply(conversation, item.text)
            if conversation.assignee_id is None and crisis_active(conversation.workspace_id):
                conversation.assignee_id = next_in_turn(conversation.workspace_id)
    conversation.save()
    publish_on_commit(
        stream_of(conversation.workspace_id),
        "conversation",
        {"id": conversation.pk, "new": created},
    )
    return conversation


def inbox_ingest(*, limit: int | None = None) -> int:
    """File every item stored since the last run; returns how many conversations changed.
    Safe to run twice at once: the mark is taken under a row lock."""
    changed = 0
    done = 0
    while limit is None or done < limit:
        with transaction.atomic():
            mark, _created = IngestMark.objects.get_or_create(key="items")
            mark = IngestMark.objects.select_for_update().get(pk=mark.pk)
            batch = list(
                RemoteItem.objects.filter(pk__gt=mark.last_item_id)
                .select_related("account", "account__workspace")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                break
            # Parents before answers: oldest first within the batch.
            for item in sorted(batch, key=lambda i: (i.created_at, i.pk)):
                if item.kind in KINDS and item_file(item) is not None:
                    changed += 1
            mark.last_item_id = batch[-1].pk
            mark.save(update_fields=["last_item_id"])
            done += len(batch)
    return changed


def comment_syncs_ensure(*, days: int = 30, now: dt.datetime | None = None) -> int:
    """Follow the comments under the posts Keryx published in the last ``days`` on networks
    that have comments to read: one sync state each (the networks' sweep reads them)."""
    from django.utils import timezone

    from keryx.content.enums import VariantStatus
    from keryx.content.models import Variant
    from keryx.networks.models import SyncState
    from keryx.networks.registry import spec

    now = now or timezone.now()
    made = 0
    variants = Variant.objects.filter(
        status=VariantStatus.PUBLISHED, published_at__gte=now - dt.timedelta(days=days)
    ).exclude(remote_id="")
    for account_id, network, remote_id in variants.values_list(
        "account_id", "account__network", "remote_id"
    ):
        try:
            if not spec(network).capabilities.comments:
                continue
        except LookupError:
            continue
        _state, created = SyncState.objects.get_or_create(
            account_id=account_id, kind="comments", scope=remote_id[:500]
        )
        made += int(created)
    return made
