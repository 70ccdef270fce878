"""Demo inbox: comments and mentions on the demo accounts, in Greek, English and Greeklish,
one answered, one negative, a rule, a note and a reply waiting for the network's confirmation,
so every inbox page has something to show."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from keryx.accounts.roles import Role
from keryx.inbox.domain.ingest import inbox_ingest
from keryx.inbox.models import Conversation, Note, Reply, Rule
from keryx.networks.base import Conversation as Item
from keryx.networks.base import content_fingerprint
from keryx.networks.domain.reading import store_items
from keryx.networks.models import NetworkAccount
from keryx.seminars.models import Seminar

_ITEMS = (
    ("comment", "Θα υπάρχει βιντεοσκόπηση των ομιλιών;", "Μαρία Κ.", "maria_k", ""),
    ("comment", "Απαράδεκτο, ακόμα δεν μου ήρθε το email επιβεβαίωσης!", "Νίκος Π.", "nikos.p", ""),
    ("mention", "Looking forward to the seminar, great line-up!", "John Smith", "j.smith", ""),
    ("comment", "poli kalo to programma fetos", "Κώστας", "kostas88", ""),
    ("comment", "Ευχαριστούμε Μαρία, ναι: όλες οι ομιλίες θα ανέβουν.", "", "", "d-1"),
)


def demo_inbox(seminar: Seminar, users: dict[Any, Any], *, now: dt.datetime | None = None) -> int:
    """Store the demo items on the workspace's first account and file them. Returns how many
    conversations the inbox shows."""
    now = now or timezone.now()
    account = NetworkAccount.objects.filter(workspace=seminar.workspace).order_by("pk").first()
    if account is None:
        return 0
    post = "demo-post"
    items = []
    for n, (kind, text, name, handle, reply_to) in enumerate(_ITEMS, start=1):
        ours = not handle
        items.append(
            Item(
                remote_id=f"d-{n}",
                kind=kind,
                text=text,
                author_name=name or account.name,
                author_handle=handle or account.handle,
                created_at=now - dt.timedelta(hours=6 - n),
                post_remote_id="" if kind == "mention" else post,
                in_reply_to=reply_to if ours else ("" if kind == "mention" else post),
            )
        )
    manager = users.get(Role.MANAGER) or users.get(Role.OWNER)
    moderator = users.get(Role.MODERATOR) or manager
    if manager is not None:
        Rule.objects.get_or_create(
            workspace=seminar.workspace,
            name="Εισιτήρια",
            defaults={
                "keywords": "εισιτήριο, τιμή, email",
                "tag": "εγγραφές",
                "assign_to": moderator,
            },
        )
    store_items(account, items)
    inbox_ingest()
    conversations = Conversation.objects.filter(workspace=seminar.workspace)
    conversations.filter(seminar__isnull=True).update(seminar=seminar)
    angry = conversations.filter(thread_key="d-2", account=account).first()
    if angry is not None and manager is not None:
        Note.objects.create(
            conversation=angry, author=manager, text="Το κοιτάζω με το τμήμα εγγραφών."
        )
        text = "Λυπούμαστε πολύ! Σας το στέλνουμε ξανά τώρα."
        Reply.objects.get_or_create(
            conversation=angry,
            client_key="demo",
            defaults={
                "in_reply_to": "d-2",
                "text": text,
                "status": "unconfirmed",
                "fingerprint": content_fingerprint(text),
                "written_by": manager,
                "unconfirmed_at": now,
            },
        )
    return conversations.count()
