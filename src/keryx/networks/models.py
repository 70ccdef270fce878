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
