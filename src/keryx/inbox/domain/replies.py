"""Replying from Keryx, exactly once — the publishing pipeline's discipline for one reply.

- :func:`reply_queue` stores the reply (one per press of the button: the form's key makes a
  double submit the same reply) and queues its sending after commit.
- :func:`reply_send` claims it with a compare-and-set (``queued → sending``, with a fresh
  claim token): a second worker, a repeated task or a retry finds nothing to claim. Then it
  calls the network once. Confirmed: ``sent``. Refused: ``failed`` with the reason. Nothing
  done (unavailable, rate limited): back to ``queued`` for a later try. Anything that may have
  reached the network (a timeout after sending): ``unconfirmed``; Keryx never sends it again.
- :func:`reply_reconcile` looks for an unconfirmed reply on the network (the post's comments,
  else the account's posts by content fingerprint): found → ``sent``; absent on a check made
  long enough after → ``failed`` ("not on the network, so it was not sent"); a network that
  cannot be asked leaves it unconfirmed and a person settles it (:func:`reply_settle`).
- :func:`replies_sweep` (periodic) sends what a lost queue message left queued, turns a
  ``sending`` whose worker died into ``unconfirmed``, and reconciles what is due.
See decision 1001.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Conflict, ValidationFailed
from keryx.core.http import AuthExpired, OutboundError, RateLimited, Rejected, Unconfirmed
from keryx.core.realtime import publish_on_commit
from keryx.inbox.domain.ingest import stream_of
from keryx.inbox.enums import ReplyStatus
from keryx.inbox.models import Conversation, Message, Reply
from keryx.networks.base import Unsupported, content_fingerprint

logger = logging.getLogger(__name__)
R = ReplyStatus

RECONCILE_AFTER = dt.timedelta(seconds=30)
# A reply not found on the network by a check at least this long after it was sent is
# declared not sent (networks show a new reply within seconds; Bluesky's AppView too).
ABSENT_AFTER = dt.timedelta(minutes=2)
LOOK_BACK = dt.timedelta(minutes=10)
STUCK_AFTER = dt.timedelta(minutes=5)
REQUEUE_AFTER = dt.timedelta(minutes=1)
MAX_TEXT = 5000


def _connector(conversation: Conversation):  # type: ignore[no-untyped-def]
    from keryx.networks.domain.accounts import connector_for_account

    return connector_for_account(conversation.account)


def can_reply(conversation: Conversation) -> bool:
    from keryx.networks.registry import spec

    try:
        return spec(conversation.network).capabilities.reply and not conversation.deleted
    except LookupError:
        return False


def reply_target(conversation: Conversation) -> str:
    """The message a reply answers: the audience's latest message in the conversation."""
    latest = (
        conversation.messages.filter(outgoing=False)
        .exclude(remote_id="")
        .order_by("-created_at", "-id")
        .first()
    )
    return latest.remote_id if latest else conversation.thread_key


def reply_queue(
    *, access: Access, conversation: Conversation, text: str, client_key: str = ""
) -> Reply:
    """Store a reply and queue its sending (after commit). The same ``client_key`` twice is
    the same reply (a double click, a repeated API call)."""
    from keryx.inbox.tasks import send_reply

    access.require(Perm.INBOX_REPLY)
    if conversation.workspace_id != access.workspace.pk:
        raise ValidationFailed(_("This conversation is not in this workspace."))
    text = text.strip()
    if not text:
        raise ValidationFailed(fields={"text": [_("Write the reply first.")]})
    if len(text) > MAX_TEXT:
        raise ValidationFailed(fields={"text": [_("The reply is too long.")]})
    if not can_reply(conversation):
        raise ValidationFailed(_("Keryx cannot reply on this network."))
    key = client_key.strip()[:64]
    if key:
        existing = Reply.objects.filter(conversation=conversation, client_key=key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            reply = Reply.objects.create(
                conversation=conversation,
                in_reply_to=reply_target(conversation),
                text=text,
                client_key=key,
                fingerprint=content_fingerprint(text),
                written_by=access.user,
            )
    except IntegrityError:
        return Reply.objects.get(conversation=conversation, client_key=key)
    audit_record(
        action="inbox.reply",
        actor=access.user,
        workspace=access.workspace,
        obj=conversation,
        changes={"reply": [None, reply.pk]},
    )
    transaction.on_commit(lambda: send_reply(reply.pk))
    publish_on_commit(stream_of(conversation.workspace_id), "conversation", {"id": conversation.pk})
    return reply


def _settle_sent(
    reply: Reply, *, remote_id: str, url: str, when: dt.datetime, token: uuid.UUID | None
) -> bool:
    """Mark the reply sent (only if this claim still owns it) and add it to the conversation."""
    with transaction.atomic():
        owned = Reply.objects.filter(
            pk=reply.pk, claim_token=token, status__in=[R.SENDING, R.UNCONFIRMED]
        ).update(
            status=R.SENT,
            remote_id=remote_id[:300],
            url=url[:1000],
            sent_at=when,
            unconfirmed_at=None,
            reconcile_at=None,
            error="",
        )
        if not owned:
            return False
        conversation = Conversation.objects.select_for_update().get(pk=reply.conversation_id)
        account = conversation.account
        if (
            remote_id
            and not Message.objects.filter(
                conversation__account=account, remote_id=remote_id[:300]
            ).exists()
        ):
            Message.objects.create(
                conversation=conversation,
                remote_id=remote_id[:300],
                outgoing=True,
                author_name=account.name,
                author_handle=account.handle,
                text=reply.text,
                url=url[:1000],
                created_at=when,
            )
            conversation.messages_count += 1
        if conversation.first_reply_at is None or when < conversation.first_reply_at:
            conversation.first_reply_at = when
        conversation.save(update_fields=["messages_count", "first_reply_at", "updated_at"])
        publish_on_commit(
            stream_of(conversation.workspace_id), "conversation", {"id": conversation.pk}
        )
    return True


def _set(reply: Reply, token: uuid.UUID | None, **values: object) -> bool:
    return bool(
        Reply.objects.filter(pk=reply.pk, claim_token=token, status=R.SENDING).update(**values)
    )


def reply_send(reply_id: int, *, now: dt.datetime | None = None) -> str:
    """Claim and send one queued reply. Returns what happened: ``sent``, ``failed``,
    ``unconfirmed``, ``retry`` or ``not_due`` (someone else has it, or it is settled)."""
    now = now or timezone.now()
    token = uuid.uuid4()
    claimed = Reply.objects.filter(pk=reply_id, status=R.QUEUED).update(
        status=R.SENDING, claim_token=token, sent_at=now
    )
    if not claimed:
        return "not_due"
    reply = Reply.objects.select_related("conversation", "conversation__account").get(pk=reply_id)
    conversation = reply.conversation
    try:
        published = _connector(conversation).reply(reply.in_reply_to, reply.text)
    except Unconfirmed as exc:
        _set(
            reply,
            token,
            status=R.UNCONFIRMED,
            unconfirmed_at=now,
            reconcile_at=now + RECONCILE_AFTER,
            error=_("The network did not confirm the reply; Keryx is checking whether it is there.")
            + f" ({exc.message[:200]})",
        )
        _announce(conversation)
        return "unconfirmed"
    except (Rejected, AuthExpired, Unsupported) as exc:
        _set(reply, token, status=R.FAILED, error=exc.message[:1000])
        _announce(conversation)
        return "failed"
    except (RateLimited, OutboundError) as exc:
        # Nothing reached the network: it may be tried again.
        _set(reply, token, status=R.QUEUED, claim_token=None, error=exc.message[:1000])
        return "retry"
    except Exception:
        # A bug after the call may have sent it: never resend blindly.
        _set(
            reply,
            token,
            status=R.UNCONFIRMED,
            unconfirmed_at=now,
            reconcile_at=now + RECONCILE_AFTER,
        )
        logger.exception("reply %s: unexpected error while sending", reply_id)
        return "unconfirmed"
    _settle_sent(
        reply,
        remote_id=published.remote_id,
        url=published.url,
        when=published.published_at or now,
        token=token,
    )
    return "sent"


def _announce(conversation: Conversation) -> None:
    publish_on_commit(stream_of(conversation.workspace_id), "conversation", {"id": conversation.pk})


def _look_on_network(reply: Reply) -> tuple[bool, str, str] | None:
    """(found, remote id, url), or None when this network cannot be asked."""
    from keryx.networks.base import content_fingerprint as fp

    conversation = reply.conversation
    connector = _connector(conversation)
    caps = connector.capabilities
    since = (reply.sent_at or reply.created_at) - LOOK_BACK
    asked = False
    if caps.comments and conversation.post_remote_id:
        asked = True
        cursor = ""
        for _page in range(10):
            page = connector.fetch_comments(conversation.post_remote_id, cursor)
            for item in page.items:
                if fp(item.text) == reply.fingerprint and item.created_at >= since:
                    from keryx.inbox.domain.ingest import is_ours

                    if is_ours(conversation.account, item.author_handle) or not item.author_handle:
                        return True, item.remote_id, item.url
            if page.last:
                break
            cursor = page.cursor
    if caps.find_published:
        asked = True
        found = connector.find_published(reply.fingerprint, since=since)
        if found is not None:
            return True, found.remote_id, found.url
    return (False, "", "") if asked else None


def reply_reconcile(reply_id: int, *, now: dt.datetime | None = None) -> str:
    """Settle one unconfirmed reply by asking the network: ``found``, ``absent``,
    ``cannot_tell``, ``later`` (not long enough yet, or the network is unreachable) or
    ``not_due``."""
    now = now or timezone.now()
    taken = Reply.objects.filter(pk=reply_id, status=R.UNCONFIRMED, reconcile_at__lte=now).update(
        reconcile_at=now + dt.timedelta(minutes=2)
    )
    if not taken:
        return "not_due"
    reply = Reply.objects.select_related("conversation", "conversation__account").get(pk=reply_id)
    try:
        answer = _look_on_network(reply)
    except OutboundError as exc:
        _later(reply, now, str(exc.message))
        return "later"
    if answer is None:
        Reply.objects.filter(pk=reply.pk, status=R.UNCONFIRMED).update(
            reconcile_at=None,
            error=_(
                "The network did not confirm the reply and cannot be asked whether it is there. "
                "Look on the network and mark it sent or not sent."
            ),
        )
        return "cannot_tell"
    found, remote_id, url = answer
    if found:
        _settle_sent(reply, remote_id=remote_id, url=url, when=now, token=reply.claim_token)
        return "found"
    if now - (reply.unconfirmed_at or now) < ABSENT_AFTER:
        _later(reply, now, "")
        return "later"
    Reply.objects.filter(pk=reply.pk, status=R.UNCONFIRMED).update(
        status=R.FAILED,
        reconcile_at=None,
        error=_(
            "The network did not confirm the reply and it is not there, so it was not sent. "
            "Reply again if you still want to."
        ),
    )
    _announce(reply.conversation)
    return "absent"


def _later(reply: Reply, now: dt.datetime, error: str) -> None:
    wait = min(3600.0, RECONCILE_AFTER.total_seconds() * 2 ** min(reply.checks + 1, 7))
    Reply.objects.filter(pk=reply.pk, status=R.UNCONFIRMED).update(
        checks=reply.checks + 1, reconcile_at=now + dt.timedelta(seconds=wait)
    )


def reply_settle(*, access: Access, reply: Reply, sent: bool, url: str = "") -> Reply:
    """A person looked on the network: the unconfirmed reply is there (sent) or not (failed)."""
    access.require(Perm.INBOX_REPLY)
    if reply.conversation.workspace_id != access.workspace.pk:
        raise ValidationFailed(_("This reply is not in this workspace."))
    if reply.status != R.UNCONFIRMED:
        raise Conflict(_("This reply is already settled."), code="settled")
    if sent:
        _settle_sent(reply, remote_id="", url=url, when=timezone.now(), token=reply.claim_token)
    else:
        Reply.objects.filter(pk=reply.pk, status=R.UNCONFIRMED).update(
            status=R.FAILED, reconcile_at=None, error=_("Marked as not sent by a team member.")
        )
    audit_record(
        action="inbox.reply_settle",
        actor=access.user,
        workspace=access.workspace,
        obj=reply.conversation,
        changes={"reply": reply.pk, "sent": sent},
    )
    reply.refresh_from_db()
    return reply


def replies_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: queued replies whose task was lost are sent, a ``sending`` whose
    worker died is unconfirmed (it may have gone out), due unconfirmed ones are reconciled."""
    now = now or timezone.now()
    counts = {"sent": 0, "stuck": 0, "reconciled": 0}
    stuck = Reply.objects.filter(status=R.SENDING, sent_at__lt=now - STUCK_AFTER)
    counts["stuck"] = stuck.update(status=R.UNCONFIRMED, unconfirmed_at=now, reconcile_at=now)
    for pk in Reply.objects.filter(status=R.QUEUED, created_at__lt=now - REQUEUE_AFTER).values_list(
        "pk", flat=True
    )[:200]:
        counts["sent"] += int(reply_send(pk, now=now) == "sent")
    for pk in Reply.objects.filter(status=R.UNCONFIRMED, reconcile_at__lte=now).values_list(
        "pk", flat=True
    )[:200]:
        counts["reconciled"] += int(reply_reconcile(pk, now=now) == "found")
    return counts
