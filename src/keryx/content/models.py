"""Posts, written once, and their per-network variants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.content.enums import CampaignPhase, PostStatus, VariantStatus
from keryx.core.models import TimeStampedModel


class Post(TimeStampedModel):
    """The master text of a post about a seminar; each network gets a :class:`Variant`."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="posts"
    )
    seminar = models.ForeignKey("seminars.Seminar", on_delete=models.CASCADE, related_name="posts")
    campaign_phase = models.CharField(
        _("campaign phase"), max_length=20, choices=CampaignPhase.choices, blank=True
    )
    master_text = models.TextField(_("text"), blank=True)
    link_url = models.URLField(_("link"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"), max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="posts"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        text = " ".join(self.master_text.split())
        return text[:60] + ("…" if len(text) > 60 else "") or f"#{self.pk}"


class Variant(TimeStampedModel):
    """The post as it goes to one connected network account."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    account = models.ForeignKey(
        "networks.NetworkAccount", on_delete=models.CASCADE, related_name="variants"
    )
    network = models.CharField(_("network"), max_length=16)
    text = models.TextField(_("text"), blank=True)
    # True once someone edits this variant's text by hand: master-text changes then only offer
    # to update it instead of overwriting it.
    text_edited = models.BooleanField(_("edited by hand"), default=False)
    first_comment = models.TextField(_("first comment"), blank=True)
    link_url = models.URLField(_("link"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=VariantStatus.choices,
        default=VariantStatus.DRAFT,
        db_index=True,
    )
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    remote_id = models.CharField(_("id on the network"), max_length=255, blank=True)
    remote_url = models.URLField(_("link on the network"), blank=True, max_length=1000)
    error_code = models.CharField(_("error"), max_length=32, blank=True)
    error_message = models.TextField(_("what went wrong"), blank=True)

    class Meta:
        ordering = ["post", "network", "id"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.UniqueConstraint(fields=["post", "account"], name="variant_unique_account"),
        ]
        indexes = [models.Index(fields=["status", "scheduled_at"], name="variant_due")]

    def __str__(self) -> str:
        return f"{self.network}: {self.post}"
