"""The publishing pipeline's own state, beside content's Post and Variant.

``content.Variant.status`` stays the one truth of where a variant is; the rows here record
how the pipeline gets it there: who claimed it, every try, why it waits, what holds it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.core.models import TimeStampedModel
from keryx.publishing.enums import (
    WEEKDAYS,
    Anchor,
    Direction,
    OffsetUnit,
    Outcome,
    RepeatUnit,
    Waiting,
)


class Dispatch(models.Model):
    """One per variant that entered the pipeline: the claim and the bookkeeping of its tries."""

    variant = models.OneToOneField(
        "content.Variant", on_delete=models.CASCADE, primary_key=True, related_name="dispatch"
    )
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    # Stable for every automatic retry of the variant; a new generation (the user publishes
    # again after a settled failure) gets a new key.
    idempotency_key = models.CharField(max_length=80)
    fingerprint = models.CharField(max_length=64, blank=True)
    generation = models.PositiveIntegerField(default=1)
    tries = models.PositiveIntegerField(default=0)
    rate_limited = models.PositiveIntegerField(default=0)
    resends = models.PositiveIntegerField(default=0)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    first_sent_at = models.DateTimeField(null=True, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True)
    waiting = models.CharField(max_length=16, choices=Waiting.choices, blank=True, default="")
    # The scheduled time a queue message was sent for, and when (the sweep's bookkeeping).
    enqueued_for = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        "publishing.Pause", on_delete=models.SET_NULL, null=True, blank=True, related_name="held"
    )
    unconfirmed_at = models.DateTimeField(null=True, blank=True)
    reconcile_checks = models.PositiveIntegerField(default=0)
    reconcile_at = models.DateTimeField(null=True, blank=True)
    unconfirmed_notified = models.BooleanField(default=False)
    # Placed by "add to queue" (moves when "share next" pushes the queue back).
    in_queue = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "held_at"], name="dispatch_held"),
            models.Index(fields=["reconcile_at"], name="dispatch_reconcile"),
        ]

    def __str__(self) -> str:
        return f"dispatch of variant {self.variant_id}"


class Attempt(models.Model):
    """One try to publish a variant (or to settle an unconfirmed one)."""

    variant = models.ForeignKey(
        "content.Variant", on_delete=models.CASCADE, related_name="publish_attempts"
    )
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    generation = models.PositiveIntegerField(default=1)
    number = models.PositiveIntegerField(default=1)
    claim_token = models.UUIDField(null=True, blank=True, unique=True)
    worker = models.CharField(_("worker"), max_length=120, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    error_code = models.CharField(_("error"), max_length=32, blank=True)
    error_message = models.TextField(_("what went wrong"), blank=True)
    remote_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["variant", "-started_at"], name="attempt_variant")]
        verbose_name = _("publishing attempt")
        verbose_name_plural = _("publishing attempts")

    def __str__(self) -> str:
        return f"attempt {self.number} of variant {self.variant_id}: {self.outcome}"


class ConcurrencyLease(models.Model):
    """Slot ``slot`` of a network's concurrency cap; ``holder`` is the claim using it."""

    network = models.CharField(max_length=16)
    slot = models.PositiveSmallIntegerField()
    holder = models.UUIDField(null=True, blank=True)
    acquired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "slot"], name="lease_unique_slot")
        ]

    def __str__(self) -> str:
        return f"{self.network}#{self.slot}"


class AccountGate(models.Model):
    """Per network account: a rate-limit cool-down, and the row quota checks lock."""

    account = models.OneToOneField(
        "networks.NetworkAccount",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="publishing_gate",
    )
    cooldown_until = models.DateTimeField(null=True, blank=True)
    reconnect_notified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"gate of account {self.account_id}"


class Pause(models.Model):
    """An emergency stop: the whole workspace (no seminar) or one seminar."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="publishing_pauses"
    )
    seminar = models.ForeignKey(
        "seminars.Seminar",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="publishing_pauses",
    )
    reason = models.CharField(_("reason"), max_length=500)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    paused_at = models.DateTimeField(_("paused"))
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resumed_at = models.DateTimeField(_("resumed"), null=True, blank=True)

    class Meta:
        ordering = ["-paused_at", "-id"]
        indexes = [models.Index(fields=["workspace", "resumed_at"], name="pause_active")]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")

    def __str__(self) -> str:
        return self.reason


class PostingSlot(models.Model):
    """A weekly time at which the account's queue publishes (Buffer-style)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        "networks.NetworkAccount", on_delete=models.CASCADE, related_name="posting_slots"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS)
    local_time = models.TimeField(_("time"))
    time_zone = models.CharField(_("time zone"), max_length=64)

    class Meta:
        ordering = ["account", "weekday", "local_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "weekday", "local_time"], name="slot_unique_time"
            )
        ]
        verbose_name = _("posting slot")
        verbose_name_plural = _("posting slots")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.local_time:%H:%M}"


class RelativeTime(TimeStampedModel):
    """A post timed from its seminar: "7 days before the start at 10:00"."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    post = models.OneToOneField(
        "content.Post", on_delete=models.CASCADE, related_name="relative_time"
    )
    anchor = models.CharField(_("from"), max_length=8, choices=Anchor.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    amount = models.PositiveIntegerField(_("how much"))
    unit = models.CharField(_("unit"), max_length=8, choices=OffsetUnit.choices)
    at_time = models.TimeField(_("at"), null=True, blank=True)
    # The seminar's start or end this post was last timed from; a difference means it moved.
    anchor_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit} {self.direction} {self.anchor}"


class ScheduleShift(models.Model):
    """A post that moved because its seminar moved, until someone has seen it."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="schedule_shifts"
    )
    variant = models.ForeignKey("content.Variant", on_delete=models.CASCADE, related_name="+")
    old_at = models.DateTimeField()
    new_at = models.DateTimeField()
    # The new time had already passed: the post was taken off the schedule instead.
    unscheduled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "new_at"]

    def __str__(self) -> str:
        return f"variant {self.variant_id}: {self.old_at} → {self.new_at}"


class Recurrence(TimeStampedModel):
    """Publish a post again every N days or weeks, until a date (or with no end)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    post = models.OneToOneField("content.Post", on_delete=models.CASCADE, related_name="recurrence")
    every = models.PositiveSmallIntegerField(_("every"))
    unit = models.CharField(_("unit"), max_length=8, choices=RepeatUnit.choices)
    first_at = models.DateTimeField(_("first time"))
    until = models.DateField(_("until"), null=True, blank=True)
    time_zone = models.CharField(max_length=64)
    # Occurrences exist as posts up to here; a periodic job extends open-ended rules.
    materialized_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"every {self.every} {self.unit}"


class Occurrence(models.Model):
    """The post published on the ``index``-th repetition of a recurrence (0 is the original)."""

    recurrence = models.ForeignKey(Recurrence, on_delete=models.CASCADE, related_name="occurrences")
    index = models.PositiveIntegerField()
    post = models.OneToOneField("content.Post", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["recurrence", "index"]
        constraints = [
            models.UniqueConstraint(fields=["recurrence", "index"], name="occurrence_unique_index")
        ]

    def __str__(self) -> str:
        return f"{self.recurrence_id}#{self.index}"


def _feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret iCalendar address of a seminar's content calendar."""

    seminar = models.OneToOneField(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"feed of seminar {self.seminar_id}"
