"""Jobs of the inbox (thin: the domain does the work)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from keryx.inbox.domain.ingest import comment_syncs_ensure, inbox_ingest
from keryx.inbox.domain.replies import replies_sweep, reply_send


@db_task()
def send_reply(reply_id: int) -> None:
    reply_send(reply_id)


@db_periodic_task(crontab(minute="*"))
def ingest() -> None:
    """Every minute: file what the networks' sweeps stored into conversations."""
    inbox_ingest()


@db_periodic_task(crontab(minute="*/5"))
def follow_comments_and_settle_replies() -> None:
    """Follow the comments of recent posts; send lost queued replies, settle unconfirmed ones."""
    comment_syncs_ensure()
    replies_sweep()
