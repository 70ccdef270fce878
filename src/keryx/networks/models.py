"""Connected network accounts: a Facebook Page, an Instagram professional account, a LinkedIn
person or organisation, an X account, a Threads profile, a Mastodon or Bluesky account, or a
webhook. Credentials are stored encrypted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.core.crypto import EncryptedJSONField, EncryptedTextField
from keryx.core.models import TimeStampedModel
from keryx.networks.registry import network_choices

ACCOUNT_NETWORK_CHOICES = network_choices()


class AccountStatus(models.TextChoices):
    CONNECTED = "connected", _("Connected")
    RECONNECT_NEEDED = "reconnect_needed", _("Reconnect needed")
    DISCONNECTED = "disconnected", _("Disconnected")


class NetworkAccount(TimeStampedModel):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="network_accounts"
    )
    network = models.CharField(_("network"), max_length=16, choices=ACCOUNT_NETWORK_CHOICES)
    name = models.CharField(_("name"), max_length=200)
    handle = models.CharField(_("handle"), max_length=200, blank=True)
    remote_id = models.CharField(_("account id on the network"), max_length=200, blank=True)
    profile_url = models.URLField(_("profile"), blank=True)
    avatar_url = models.URLField(_("avatar"), blank=True, max_length=1000)
    # The server for networks that have many (Mastodon instance, Bluesky PDS) or a webhook URL.
    base_url = models.URLField(_("server"), blank=True)
    credentials = EncryptedJSONField(_("credentials"), default=dict, blank=True)
    token_expires_at = models.DateTimeField(_("token expires"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AccountStatus.choices, default=AccountStatus.CONNECTED
    )
    status_message = models.CharField(_("status detail"), max_length=500, blank=True)
    # What the network told us about its own limits (e.g. a Mastodon instance's max_characters).
    server_limits = models.JSONField(_("server limits"), default=dict, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    # Reads that cost money (X): off until someone turns them on; "monthly_cap" overrides the
    # spec's read quota. {"enabled": bool, "monthly_cap": int}
    read_settings = models.JSONField(_("read settings"), default=dict, blank=True)

    class Meta:
        ordering = ["network", "name"]
        verbose_name = _("network account")
        verbose_name_plural = _("network accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "network", "remote_id", "base_url"],
                name="network_account_unique_remote",
                condition=~models.Q(remote_id=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()}: {self.handle or self.name}"


class ServerApp(TimeStampedModel):
    """Keryx's app registration with one server of a network that has many (a Mastodon
    server): registered on the first connection, reused for every later one."""

    network = models.CharField(_("network"), max_length=16, choices=ACCOUNT_NETWORK_CHOICES)
    base_url = models.URLField(_("server"))
    redirect_uri = models.URLField(_("redirect address"), max_length=500)
    client_id = models.CharField(_("client id"), max_length=255)
    client_secret = EncryptedTextField(_("client secret"), blank=True)

    class Meta:
        verbose_name = _("server app registration")
        verbose_name_plural = _("server app registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "base_url", "redirect_uri"], name="server_app_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.base_url}"


class PendingAuthorization(models.Model):
    """An OAuth authorisation under way: the ``state`` sent to the network and what the
    callback needs (PKCE verifier, server, the accounts to choose from), kept server-side."""

    state = models.CharField(max_length=100, unique=True)
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(max_length=16, choices=ACCOUNT_NETWORK_CHOICES)
    base_url = models.URLField(blank=True)
    redirect_uri = models.URLField(max_length=500)
    # code_verifier, the connector's extra data and, after the callback, the candidates.
    data = EncryptedJSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("authorisation under way")
        verbose_name_plural = _("authorisations under way")

    def __str__(self) -> str:
        return f"{self.network} for {self.workspace_id} ({self.state[:8]}…)"


# --- reading back (docs/networks/README.md#reading-back, decision 0563) -----------------------


class SyncState(TimeStampedModel):
    """Where reading one thing from one account stands: the cursor to resume from, the last
    success and the last error in plain words, and when to try again (with backoff).
    ``kind`` is the read ("mentions", "comments", "search"); ``scope`` what it reads
    (a post's remote id for comments, the query for a search; empty for mentions)."""

    account = models.ForeignKey(NetworkAccount, on_delete=models.CASCADE, related_name="syncs")
    kind = models.CharField(_("read"), max_length=20)
    scope = models.CharField(_("what"), max_length=500, blank=True)
    cursor = models.TextField(_("resume from"), blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    failures = models.PositiveIntegerField(default=0)
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True)

    class Meta:
        verbose_name = _("sync state")
        verbose_name_plural = _("sync states")
        constraints = [
            models.UniqueConstraint(fields=["account", "kind", "scope"], name="sync_state_unique")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.kind} {self.scope[:40]}"


class RemoteItem(models.Model):
    """A comment, reply or mention read back from a network (the inbox's raw material: it
    groups these into conversations by ``post_remote_id`` and ``in_reply_to``). Stored once
    per account and remote id, however often it is read or pushed."""

    account = models.ForeignKey(NetworkAccount, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20)  # comment | reply | mention | search
    remote_id = models.CharField(_("id on the network"), max_length=300)
    post_remote_id = models.CharField(_("post"), max_length=300, blank=True)
    in_reply_to = models.CharField(_("in reply to"), max_length=300, blank=True)
    author_name = models.CharField(_("author"), max_length=300, blank=True)
    author_handle = models.CharField(_("author's handle"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("written"))
    fetched_at = models.DateTimeField(_("read"), auto_now_add=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("comment or mention")
        verbose_name_plural = _("comments and mentions")
        constraints = [
            models.UniqueConstraint(fields=["account", "remote_id"], name="remote_item_unique")
        ]
        indexes = [models.Index(fields=["account", "post_remote_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.remote_id}"


class ReadUse(models.Model):
    """One metered read (the ledger the read quotas count): an Instagram hashtag searched,
    a Threads keyword search, an X read. ``key`` is what counts as unique (the hashtag)."""

    account = models.ForeignKey(NetworkAccount, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=300, blank=True)
    used_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["account", "kind", "used_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class WebhookDelivery(models.Model):
    """A delivery a network pushed, remembered so a repeated delivery stores nothing twice."""

    network = models.CharField(max_length=16)
    delivery = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "delivery"], name="webhook_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.delivery[:12]}"


class MetricSnapshot(models.Model):
    """A post's numbers at one moment (one row per poll): the numbers over time. A number the
    network does not give is NULL, never 0. Keyed by the account and the post's remote id,
    which is the variant's (``content.Variant.remote_id``)."""

    account = models.ForeignKey(NetworkAccount, on_delete=models.CASCADE, related_name="+")
    remote_id = models.CharField(max_length=300)
    taken_at = models.DateTimeField()
    likes = models.PositiveIntegerField(null=True)
    shares = models.PositiveIntegerField(null=True)
    comments = models.PositiveIntegerField(null=True)
    impressions = models.PositiveIntegerField(null=True)
    reach = models.PositiveIntegerField(null=True)
    link_clicks = models.PositiveIntegerField(null=True)
    video_views = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ["taken_at"]
        indexes = [models.Index(fields=["account", "remote_id", "taken_at"])]

    def __str__(self) -> str:
        return f"{self.remote_id} at {self.taken_at:%Y-%m-%d %H:%M}"
