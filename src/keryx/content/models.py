"""Posts, written once, and their per-network variants; media; the content library; reviews."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.content.enums import (
    CampaignPhase,
    MediaKind,
    PostStatus,
    ReviewDecision,
    Theme,
    VariantStatus,
)
from keryx.core.models import TimeStampedModel


def _default_hashtags() -> list[str]:
    return []


class Post(TimeStampedModel):
    """The master text of a post about a seminar; each network gets a :class:`Variant`."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="posts"
    )
    seminar = models.ForeignKey("seminars.Seminar", on_delete=models.CASCADE, related_name="posts")
    campaign_phase = models.CharField(
        _("campaign phase"), max_length=20, choices=CampaignPhase.choices, blank=True
    )
    theme = models.CharField(_("theme"), max_length=24, choices=Theme.choices, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="el"
    )
    master_text = models.TextField(_("text"), blank=True)
    link_url = models.URLField(_("link"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"), max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="posts"
    )
    # Goes up by one on every change of what would be published; a review counts only for the
    # revision it saw, so an edit after approval sends the post back to review.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    submitted_at = models.DateTimeField(_("sent for review"), null=True, blank=True)
    template = models.ForeignKey(
        "content.Template",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("template"),
    )
    duplicated_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        # The title derived from the first line (content/titles.py); no field holds it.
        from keryx.content.titles import title_from_text

        return title_from_text(self.master_text) or f"#{self.pk}"


# Each published field of a variant and the field holding what the author wrote for it.
SOURCE_FIELDS: dict[str, str] = {
    "text": "source_text",
    "first_comment": "source_first_comment",
    "link_url": "source_link_url",
}


class Variant(TimeStampedModel):
    """The post as it goes to one connected network account.

    Two copies of each written field (docs/decisions/0309-variant-source-text.md):
    ``source_text`` / ``source_first_comment`` / ``source_link_url`` hold what the author
    wrote; the composer compares, syncs and shows these. ``text`` / ``first_comment`` /
    ``link_url`` hold what goes to the network: the source with every plain link made the
    variant's tracked link (by the links app, on ``variant_text_saved``), or the source itself.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    account = models.ForeignKey(
        "networks.NetworkAccount", on_delete=models.CASCADE, related_name="variants"
    )
    network = models.CharField(_("network"), max_length=16)
    source_text = models.TextField(_("text as written"), blank=True)
    text = models.TextField(_("text"), blank=True)
    # True once someone edits this variant's text by hand: master-text changes then only offer
    # to update it instead of overwriting it.
    text_edited = models.BooleanField(_("edited by hand"), default=False)
    # The same for the media list: once chosen by hand (or fixed for this network) it no longer
    # follows the post's media.
    media_edited = models.BooleanField(_("media chosen by hand"), default=False)
    source_first_comment = models.TextField(_("first comment as written"), blank=True)
    first_comment = models.TextField(_("first comment"), blank=True)
    source_link_url = models.URLField(_("link as written"), blank=True, max_length=1000)
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A variant created without its source (a factory, an import that sets ``text``
        # directly) was written as it is published: that is its source, as the migration
        # decided for the rows that existed before the source fields. Only when created: later
        # a published field may rightly hold something its source does not (the link card
        # the links app made from the post's link, for a variant without a link of its own).
        filled = []
        for published, source in SOURCE_FIELDS.items():
            if self._state.adding and not getattr(self, source) and getattr(self, published):
                setattr(self, source, getattr(self, published))
                filled.append(source)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and filled:
            kwargs["update_fields"] = {*update_fields, *filled}
        super().save(*args, **kwargs)


class MediaItem(models.Model):
    """An uploaded image or video in the workspace's media library.

    A fix (crop, resize, recompress) never changes a file: it makes a new item whose
    ``original`` is the item it was made from.
    """

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="media_items"
    )
    seminar = models.ForeignKey(
        "seminars.Seminar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_items",
        verbose_name=_("seminar"),
    )
    file = models.FileField(_("file"), upload_to="content/%Y/%m/", max_length=300)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=MediaKind.choices)
    mime = models.CharField(_("type"), max_length=64)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    bytes = models.PositiveBigIntegerField(_("size"))
    duration_s = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    frames = models.PositiveIntegerField(_("frames"), default=1)
    sha256 = models.CharField(max_length=64, db_index=True)
    alt_text = models.TextField(_("alt text"), blank=True)
    # Where the subject is, as fractions of width and height; crops keep it in the picture.
    focal_x = models.FloatField(
        _("focus (left–right)"),
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
    )
    focal_y = models.FloatField(
        _("focus (top–bottom)"),
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
    )
    original = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="derived"
    )
    fix = models.CharField(_("made by"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("media item")
        verbose_name_plural = _("media items")

    def __str__(self) -> str:
        return self.name

    @property
    def ratio(self) -> float | None:
        if self.width and self.height:
            return self.width / self.height
        return None


class PostMedia(models.Model):
    """The post's own media, in order; variants start from these."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media_links")
    media = models.ForeignKey(MediaItem, on_delete=models.PROTECT, related_name="post_links")
    position = models.PositiveSmallIntegerField(default=0)
    alt_text = models.TextField(_("alt text"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "media"], name="post_media_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}:{self.media_id}"


class VariantMedia(models.Model):
    """A variant's media, in order, each with the alt text that network will get."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="media_links")
    media = models.ForeignKey(MediaItem, on_delete=models.PROTECT, related_name="variant_links")
    position = models.PositiveSmallIntegerField(default=0)
    alt_text = models.TextField(_("alt text"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "media"], name="variant_media_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}:{self.media_id}"


class HashtagSet(TimeStampedModel):
    """Hashtags used together, saved to insert with one click."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="hashtag_sets"
    )
    name = models.CharField(_("name"), max_length=120)
    hashtags = models.JSONField(_("hashtags"), default=_default_hashtags)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("hashtag set")
        verbose_name_plural = _("hashtag sets")

    def __str__(self) -> str:
        return self.name


class KeywordList(TimeStampedModel):
    """Words and phrases the campaign wants to be found by (and that insights track)."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="keyword_lists"
    )
    name = models.CharField(_("name"), max_length=120)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="el"
    )
    keywords = models.JSONField(_("keywords"), default=_default_hashtags)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("keyword list")
        verbose_name_plural = _("keyword lists")

    def __str__(self) -> str:
        return self.name


class Template(TimeStampedModel):
    """A reusable text with placeholders such as ``{seminar.title}``, filled per seminar."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="post_templates"
    )
    name = models.CharField(_("name"), max_length=120)
    theme = models.CharField(_("theme"), max_length=24, choices=Theme.choices, blank=True)
    campaign_phase = models.CharField(
        _("campaign phase"), max_length=20, choices=CampaignPhase.choices, blank=True
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="el"
    )
    body = models.TextField(_("text"))
    hashtag_set = models.ForeignKey(
        HashtagSet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="templates",
        verbose_name=_("hashtag set"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("template")
        verbose_name_plural = _("templates")

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    """Internal discussion on a post; never published."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]


class Review(models.Model):
    """One reviewer's decision on one revision of a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=ReviewDecision.choices)
    revision = models.PositiveIntegerField()
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.post_id} r{self.revision}: {self.decision}"


class ContentPolicy(models.Model):
    """Per workspace: who approves posts, how many approvals a post needs, Instagram's cap."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="content_policy"
    )
    required_approvals = models.PositiveSmallIntegerField(
        _("approvals needed"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(2)],
        help_text=_("1, or 2 for a two-step approval by two different people."),
    )
    # Empty: every owner and manager may approve. Otherwise only these members (each must
    # still have a role that may approve).
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("approvers")
    )
    instagram_max_hashtags = models.PositiveSmallIntegerField(
        _("Instagram: most hashtags per post"),
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )

    class Meta:
        verbose_name = _("content policy")
        verbose_name_plural = _("content policies")

    def __str__(self) -> str:
        return f"{self.workspace}: {self.required_approvals}"
