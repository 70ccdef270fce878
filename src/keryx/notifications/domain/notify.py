"""Telling people something needs them: one row per recipient, and an e-mail after commit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from keryx.accounts.models import User, Workspace
from keryx.notifications.domain.email import notification_email_queue
from keryx.notifications.models import EmailPreference, Notification

_EMAILS_OFF: ContextVar[bool] = ContextVar("keryx_notification_emails_off", default=False)


@contextmanager
def notification_emails_off() -> Iterator[None]:
    """Notifications made inside are shown in the app but not e-mailed: the demo's people
    have made-up addresses, and its first start should not print a pile of e-mails."""
    token = _EMAILS_OFF.set(True)
    try:
        yield
    finally:
        _EMAILS_OFF.reset(token)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    workspace: Workspace | None = None,
    send_email: bool = True,
    texts: dict[str, tuple[str, str]] | None = None,
) -> list[Notification]:
    """Notify each recipient once. ``title`` and ``body`` are already in the words to show:
    say what happened and what to do about it. ``url`` is a path inside Keryx. ``texts``
    gives them in every interface language (see :func:`notify_in_their_language`)."""
    users = {u.pk: u for u in recipients if u.is_active}
    stored = {lang: [t[:200], b] for lang, (t, b) in (texts or {}).items()}
    created = Notification.objects.bulk_create(
        Notification(
            workspace=workspace,
            recipient=user,
            kind=kind,
            title=title[:200],
            body=body,
            url=url,
            texts=stored,
        )
        for user in users.values()
    )
    if send_email and not _EMAILS_OFF.get():
        muted = set(
            EmailPreference.objects.filter(user_id__in=users, kind=kind).values_list(
                "user_id", flat=True
            )
        )
        for note in created:
            if note.recipient_id not in muted:
                note.recipient = users[note.recipient_id]
                notification_email_queue(notification=note)
    return created


def notify_in_their_language(
    *,
    recipients: Iterable[User],
    kind: str,
    words: Callable[[], tuple[str, str]],
    url: str = "",
    workspace: Workspace | None = None,
    send_email: bool = True,
) -> list[Notification]:
    """:func:`notify`, with the title and body written in each recipient's language (their
    profile's, else the workspace's): ``words()`` returns ``(title, body)`` and is called once
    per language, with that language active. Use it whenever the recipient is not the person
    whose request is being answered: an editor writing in Greek must not notify an English
    reviewer in Greek."""
    fallback = workspace.default_language if workspace is not None else settings.LANGUAGE_CODE
    by_language: dict[str, list[User]] = defaultdict(list)
    for user in {u.pk: u for u in recipients}.values():
        by_language[user.language or fallback].append(user)
    if not by_language:
        return []
    # Written in every interface language now, so that the reader sees the notification in
    # the language they use when they read it (they may switch in between).
    texts: dict[str, tuple[str, str]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = words()
    created: list[Notification] = []
    for language, users in by_language.items():
        if language in texts:
            title, body = texts[language]
        else:
            with translation.override(language):
                title, body = words()
        created += notify(
            recipients=users,
            kind=kind,
            title=title,
            body=body,
            url=url,
            workspace=workspace,
            send_email=send_email,
            texts=texts,
        )
    return created


def unread_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


@transaction.atomic
def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = unread_for(user)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
