"""In-app notifications, each also sent by e-mail unless the user turned that kind off."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # A stable dotted name, e.g. "publish.failed", "content.mention"; users mute by kind.
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what to do"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # The title and body in every language of the interface ({"el": [title, body], ...}),
    # written when the notification is made, so each reader sees it in the language they use
    # now. Empty for older rows: they show ``title`` and ``body``.
    texts = models.JSONField(_("texts"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title

    def _shown(self) -> tuple[str, str]:
        language = (translation.get_language() or "").split("-")[0]
        pair = self.texts.get(language) if isinstance(self.texts, dict) else None
        if isinstance(pair, list | tuple) and len(pair) == 2:
            return str(pair[0]), str(pair[1])
        return self.title, self.body

    @property
    def shown_title(self) -> str:
        """The title in the active language (the reader's), where it was written in it."""
        return self._shown()[0]

    @property
    def shown_body(self) -> str:
        return self._shown()[1]


class EmailPreference(models.Model):
    """A kind of notification a user does not want by e-mail (in-app still shows it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_mute_unique")]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.kind}"
