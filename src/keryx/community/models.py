"""The attendees' space after a seminar: members (who entered by a magic link), materials,
announcements, discussion threads and their replies.

A member is a registration that entered the community; the magic link carries the member's id
and ``link_version`` (decision 0860): raising the version, removing the member, cancelling or
erasing the registration makes every link and session of that member stop working.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.community.enums import Audience, MaterialKind
from keryx.core.models import TimeStampedModel


def new_code() -> str:
    alphabet = "23456789abcdefghijkmnpqrstuvwxyz"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Community(TimeStampedModel):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="communities"
    )
    seminar = models.OneToOneField(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="community"
    )
    code = models.CharField(max_length=16, unique=True, default=new_code)
    is_open = models.BooleanField(_("open to attendees"), default=True)
    audience = models.CharField(
        _("who may enter"), max_length=16, choices=Audience.choices, default=Audience.REGISTERED
    )
    welcome = models.TextField(_("welcome text"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return f"community {self.pk}"

    @property
    def list_key(self) -> str:
        return f"community:{self.pk}"


class Member(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="members")
    registration = models.ForeignKey(
        "registrations.Registration", on_delete=models.CASCADE, related_name="community_members"
    )
    display_name = models.CharField(_("name shown"), max_length=80)
    language = models.CharField(_("language"), max_length=8, default="el")
    link_version = models.PositiveIntegerField(default=1)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community member")
        verbose_name_plural = _("community members")
        ordering = ["display_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "registration"], name="community_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"member {self.pk}"


class Material(TimeStampedModel):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=12, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    url = models.URLField(_("address"), blank=True, max_length=1000)
    file = models.FileField(upload_to="community/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    mime = models.CharField(max_length=100, blank=True)
    bytes = models.PositiveBigIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Announcement(TimeStampedModel):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="announcements")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=10000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    emailed = models.PositiveIntegerField(_("e-mailed to"), default=0)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Thread(TimeStampedModel):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="threads"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=5000)
    hidden = models.BooleanField(_("hidden"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")
        ordering = ["-last_activity_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Reply(TimeStampedModel):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("text"), max_length=5000)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"reply {self.pk}"
