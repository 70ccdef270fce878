"""What the inbox stores: a conversation per remote thread (a comment under one of our posts
with its replies, or a mention), its messages, internal notes, the replies sent from Keryx
(claimed and settled like publishing), saved replies, rules and each workspace's settings."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.inbox.enums import ReplyStatus, Status


class Conversation(models.Model):
    """One remote thread of one connected account: the first item read (``thread_key`` is its
    remote id) and everything that answers it. Filters and the list read only this table."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        "networks.NetworkAccount", on_delete=models.CASCADE, related_name="+"
    )
    network = models.CharField(_("network"), max_length=16)
    thread_key = models.CharField(max_length=300)
    kind = models.CharField(_("kind"), max_length=20)  # comment | reply | mention
    post_remote_id = models.CharField(max_length=300, blank=True)
    post = models.ForeignKey(
        "content.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(_("author"), max_length=300, blank=True)
    author_handle = models.CharField(_("author's handle"), max_length=300, blank=True)
    excerpt = models.TextField(_("text"), blank=True)  # the latest message from the audience
    search_text = models.TextField(blank=True)  # authors and texts, for the search box
    url = models.URLField(max_length=1000, blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=8, blank=True)
    sentiment_rank = models.PositiveSmallIntegerField(default=1)  # 0 negative … 2 positive
    score = models.FloatField(default=0.0)
    language = models.CharField(_("language"), max_length=2, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    hidden = models.BooleanField(_("hidden on the network"), default=False)
    deleted = models.BooleanField(_("deleted on the network"), default=False)
    first_message_at = models.DateTimeField()
    last_message_at = models.DateTimeField()
    first_reply_at = models.DateTimeField(null=True, blank=True)
    messages_count = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(fields=["account", "thread_key"], name="inbox_thread_once")
        ]
        indexes = [
            # The list: newest first within a status (keyset on last_message_at, id).
            models.Index(
                fields=["workspace", "status", "-last_message_at", "-id"], name="inbox_list"
            ),
            # Crisis mode: negative first.
            models.Index(
                fields=["workspace", "status", "sentiment_rank", "-last_message_at", "-id"],
                name="inbox_list_crisis",
            ),
            models.Index(
                fields=["workspace", "assignee", "status", "-last_message_at"],
                name="inbox_assignee",
            ),
            models.Index(fields=["workspace", "first_message_at"], name="inbox_kpi"),
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.thread_key}"


class Message(models.Model):
    """One item of a conversation: from the audience (``remote_item``) or our reply."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    remote_item = models.OneToOneField(
        "networks.RemoteItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    remote_id = models.CharField(max_length=300, blank=True, db_index=True)
    outgoing = models.BooleanField(default=False)
    author_name = models.CharField(_("author"), max_length=300, blank=True)
    author_handle = models.CharField(_("author's handle"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    url = models.URLField(max_length=1000, blank=True)
    sentiment = models.CharField(max_length=8, blank=True)
    language = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.text[:60]


class Note(models.Model):
    """An internal note on a conversation (never sent to the network); ``@name`` mentions
    notify the team members named."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    mentioned = models.JSONField(default=list, blank=True)  # user ids
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Reply(models.Model):
    """A reply written in Keryx, sent to the network exactly once: claimed by compare-and-set
    (``queued → sending``); a lost confirmation leaves it ``unconfirmed`` until the reconciler
    finds it on the network (``sent``) or not (``failed``); never sent again by Keryx."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="replies")
    in_reply_to = models.CharField(max_length=300)
    text = models.TextField(_("reply"))
    # One reply per press of the button: the form and the API send this key.
    client_key = models.CharField(max_length=64, default="")
    status = models.CharField(
        max_length=12, choices=ReplyStatus.choices, default=ReplyStatus.QUEUED, db_index=True
    )
    claim_token = models.UUIDField(null=True, blank=True)
    fingerprint = models.CharField(max_length=40)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    unconfirmed_at = models.DateTimeField(null=True, blank=True)
    reconcile_at = models.DateTimeField(null=True, blank=True)
    checks = models.PositiveIntegerField(default=0)
    remote_id = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "client_key"],
                condition=~models.Q(client_key=""),
                name="inbox_reply_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"reply {self.pk} ({self.status})"

    @staticmethod
    def new_key() -> str:
        return uuid.uuid4().hex


class SavedReply(models.Model):
    """A reply kept for reuse, in Greek or English, with placeholders ({name}, {seminar}…)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=2, default="el")
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["language", "title"]
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")

    def __str__(self) -> str:
        return self.title


class Rule(models.Model):
    """When a new conversation matches (any keyword, the network, the sentiment; blank means
    any), add the tag and/or assign it."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    keywords = models.CharField(_("keywords (comma separated)"), max_length=500, blank=True)
    network = models.CharField(_("network"), max_length=16, blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=8, blank=True)
    tag = models.CharField(_("add the tag"), max_length=60, blank=True)
    assign_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assign to"),
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return self.name


class InboxSettings(models.Model):
    """Per workspace: the crisis team (assigned round-robin in crisis mode) and where the
    round-robin stands."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="inbox_settings"
    )
    crisis_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("crisis team")
    )
    turn = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"inbox settings of {self.workspace_id}"


class IngestMark(models.Model):
    """How far ingesting has read the networks' stored items (the highest ``RemoteItem`` id),
    so each item becomes a message once."""

    key = models.CharField(max_length=20, unique=True, default="items")
    last_item_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last_item_id}"
