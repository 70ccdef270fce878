"""What listening stores: every analysed text (the inbox and network searches feed it), the
alerts the crisis detector raised, and each workspace's listening settings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.accounts.models import Workspace
from keryx.insights.enums import AlertKind, Form, Sentiment, Source
from keryx.seminars.models import Seminar


class AnalysedText(models.Model):
    """One text someone wrote on a network (a comment, a mention, a searched post), analysed once
    when stored. ``external_id`` keeps the network's id so a text fed twice is stored once."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    seminar = models.ForeignKey(
        Seminar, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    network = models.CharField(_("network"), max_length=32, blank=True)
    external_id = models.CharField(_("id on the network"), max_length=200, blank=True)
    author_handle = models.CharField(_("author"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    posted_at = models.DateTimeField(_("written"), db_index=True)
    label = models.CharField(_("sentiment"), max_length=8, choices=Sentiment.choices)
    score = models.FloatField(_("score"))
    language = models.CharField(_("language"), max_length=2)
    form = models.CharField(_("written in"), max_length=10, choices=Form.choices)
    hashtags = models.JSONField(_("hashtag keys"), default=list, blank=True)
    terms = models.JSONField(_("term keys"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "posted_at"], name="insights_text_ws_time"),
            models.Index(fields=["seminar", "posted_at"], name="insights_text_sem_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "network", "external_id"],
                condition=~models.Q(external_id=""),
                name="insights_text_once_per_network_id",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class CrisisAlert(models.Model):
    """A surge of mentions the detector raised: a ``crisis`` (negative) or a ``spike``."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    seminar = models.ForeignKey(
        Seminar, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=AlertKind.choices)
    detected_at = models.DateTimeField(_("detected"))
    window_start = models.DateTimeField(_("surge started"))
    mentions = models.PositiveIntegerField(_("mentions"))
    negative_share = models.FloatField(_("negative share"))
    expected = models.FloatField(_("expected mentions"))
    created_at = models.DateTimeField(auto_now_add=True)
    webhook_status = models.CharField(max_length=200, blank=True)
    crisis_mode_at = models.DateTimeField(_("crisis mode started"), null=True, blank=True)
    crisis_mode_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pause_id = models.IntegerField(null=True, blank=True)
    holding_post_id = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-detected_at"]
        indexes = [models.Index(fields=["workspace", "-detected_at"], name="insights_alert_ws")]

    def __str__(self) -> str:
        return f"{self.kind} {self.detected_at:%Y-%m-%d %H:%M}"


class ListeningSettings(models.Model):
    """Per workspace: where crisis alerts also go (an incoming-webhook address of Slack, Matrix
    or anything that takes Slack-compatible JSON)."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="listening_settings"
    )
    webhook_url = models.URLField(_("alert webhook address"), blank=True, max_length=500)
    alert_spikes = models.BooleanField(_("also tell about positive spikes"), default=True)

    def __str__(self) -> str:
        return f"listening settings of {self.workspace_id}"
