"""Base models and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Who changed what and when. Written by domain functions, never edited."""

    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        related_name="audit_entries",
        null=True,
        blank=True,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["workspace", "-created_at"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
        )


class QueueProbe(models.Model):
    """A round trip through the task queue, asked for from the system page or the API."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_from = models.CharField(max_length=255, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    executed_by = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"probe {self.pk} ({self.executed_by or 'waiting'})"


def new_message_id() -> str:
    """A Message-ID fixed when the e-mail is queued, so every try sends the same one."""
    import uuid
    from urllib.parse import urlsplit

    domain = urlsplit(settings.KERYX_BASE_URL).hostname or "keryx.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    UNSUBSCRIBED = "unsubscribed", _("Not sent: unsubscribed")


class OutboxMessage(models.Model):
    """One e-mail through the outbox (decision 0850): written, in the recipient's language, in
    the transaction that decides to send it; delivered by core's engine (claim by
    compare-and-set, retries only for temporary failures, sweep). ``list_key`` names the list an
    address can leave (survey invitations, announcements, digests); empty for transactional
    mail, which carries no unsubscribe link."""

    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        related_name="outbox_messages",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=64, db_index=True)  # "surveys.invitation"
    ref = models.CharField(max_length=64, blank=True, db_index=True)  # "survey:12"
    to_email = models.EmailField(_("to"), max_length=254)
    language = models.CharField(_("language"), max_length=8)
    list_key = models.CharField(_("list"), max_length=64, blank=True)
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    error_code = models.CharField(_("problem"), max_length=32, blank=True)
    error_detail = models.CharField(_("the mail server said"), max_length=300, blank=True)
    message_id = models.CharField(
        _("Message-ID"), max_length=200, unique=True, default=new_message_id
    )
    queued_at = models.DateTimeField(_("queued"))
    next_try_at = models.DateTimeField(_("next try"))
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["status", "next_try_at"], name="outbox_due"),
            models.Index(fields=["kind", "ref"], name="outbox_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.status} · {self.pk}"

    @property
    def reason(self) -> str:
        """Why the last try failed and what to do, in the active language."""
        from keryx.core.domain.mailproblems import problem_text

        why, todo = problem_text(self.error_code, self.error_detail, email=self.to_email)
        return f"{why} {todo}".strip()


class Unsubscription(models.Model):
    """An address that left a list; the outbox sends that list nothing more to it."""

    email_folded = models.CharField(max_length=254)
    list_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email_folded", "list_key"], name="unsubscribe_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pk} left {self.list_key}"


class Event(models.Model):
    """One real-time event (``keryx.core.realtime``): its id is the SSE ``id:`` a client
    resumes from with ``Last-Event-ID``. Ids grow in commit order (the insert holds a lock on
    PostgreSQL; SQLite has one writer), so a reader that has seen id N has seen everything
    below it. Rows are pruned after a day: they carry live state, not history."""

    id = models.BigAutoField(primary_key=True)
    stream = models.CharField(max_length=100)
    kind = models.CharField(max_length=64)
    data = models.JSONField(default=dict, blank=True)
    # Events with the same non-empty key supersede each other (a poll's counts): a reader
    # that is behind sends only the newest. Empty: every event is sent.
    coalesce_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["stream", "id"])]

    def __str__(self) -> str:
        return f"{self.id} {self.stream} {self.kind}"
