"""Live rooms (one per seminar and per agenda session), their participants, Q&A and polls."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from keryx.core.models import TimeStampedModel
from keryx.live.enums import Moderation, PollKind, PollStatus, QuestionStatus, Showing

# No 0/O, 1/I/L: a code read off a projector and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_room_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def new_participant_key() -> str:
    return secrets.token_urlsafe(18)


class Room(TimeStampedModel):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="live_rooms"
    )
    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="live_rooms"
    )
    session = models.OneToOneField(
        "seminars.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="live_room",
    )
    code = models.CharField(_("code"), max_length=12, unique=True, default=new_room_code)
    title = models.CharField(_("title"), max_length=200)
    anonymous_questions = models.BooleanField(_("allow anonymous questions"), default=True)
    moderation = models.CharField(
        _("moderation"), max_length=8, choices=Moderation.choices, default=Moderation.BEFORE
    )
    max_question_length = models.PositiveIntegerField(_("longest question"), default=300)
    blocked_words = models.TextField(
        _("blocked words"),
        blank=True,
        help_text=_("One word or phrase a line; matched without case and accents."),
    )
    stream_url = models.URLField(_("live stream link"), blank=True)
    showing = models.CharField(max_length=12, choices=Showing.choices, default=Showing.JOIN)
    showing_poll = models.ForeignKey(
        "live.Poll", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # The "We are live" post: made once per room, whatever is clicked twice.
    live_post = models.ForeignKey(
        "content.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("live room")
        verbose_name_plural = _("live rooms")
        ordering = ["seminar", "session__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar"],
                condition=models.Q(session__isnull=True),
                name="live_one_seminar_room",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def stream(self) -> str:
        return f"live.room.{self.pk}"


class Participant(models.Model):
    """Someone in a seminar's rooms without an account: a cookie, maybe a name, maybe the
    registration whose ticket link brought them."""

    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="live_participants"
    )
    key = models.CharField(max_length=40, unique=True, default=new_participant_key)
    name = models.CharField(_("name"), max_length=80, blank=True)
    registration = models.ForeignKey(
        "registrations.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="live_participants",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name or f"participant {self.pk}"


class Question(TimeStampedModel):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="questions")
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    author_name = models.CharField(_("name"), max_length=80, blank=True)
    text = models.TextField(_("question"))
    status = models.CharField(
        max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.PENDING
    )
    answered = models.BooleanField(_("answered"), default=False)
    pinned = models.BooleanField(_("pinned"), default=False)
    reply = models.TextField(_("reply"), blank=True)
    upvotes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("question from the room")
        verbose_name_plural = _("questions from the room")
        ordering = ["-pinned", "-upvotes", "-created_at"]
        indexes = [models.Index(fields=["room", "status"])]

    def __str__(self) -> str:
        return self.text[:60]


class Upvote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="upvote_set")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("upvote")
        verbose_name_plural = _("upvotes")
        constraints = [
            models.UniqueConstraint(fields=["question", "participant"], name="live_upvote_once")
        ]

    def __str__(self) -> str:
        return f"upvote of question {self.question_id}"


class Poll(TimeStampedModel):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="polls")
    kind = models.CharField(_("kind"), max_length=10, choices=PollKind.choices)
    question = models.CharField(_("question"), max_length=300)
    status = models.CharField(max_length=8, choices=PollStatus.choices, default=PollStatus.DRAFT)
    results_visible = models.BooleanField(_("results shown"), default=False)
    position = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.question


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option"), max_length=200)
    correct = models.BooleanField(_("correct answer"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    """One participant's answer. Single choice, rating, quiz, word cloud and open text: one row
    per participant; multiple choice: one per chosen option."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, related_name="votes"
    )
    option = models.ForeignKey(
        PollOption, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.CharField(max_length=300, blank=True)
    # 0 for one-answer polls; the option's id for multiple choice: one row per slot, so a
    # double-clicked or retried vote hits the unique constraint and counts once.
    slot = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "participant", "slot"], name="live_vote_once_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"vote in poll {self.poll_id}"


# --- the social wall (docs/live.md#social-wall, decision 0810) ---------------------------------


def new_display_key() -> str:
    return secrets.token_urlsafe(18)


class WallSource(models.TextChoices):
    NETWORK = "network", _("Network search")
    POST = "post", _("Our post")
    QUESTION = "question", _("Question from the room")


class WallItemStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("On the wall")
    HIDDEN = "hidden", _("Hidden")


class Wall(TimeStampedModel):
    """A seminar's social wall: its hashtags found on the networks that can search, its own
    published posts and the questions approved in its rooms, moderated, shown full screen."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="live_walls"
    )
    seminar = models.OneToOneField(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="live_wall"
    )
    # The standalone display's address (/wall/<key>/): unguessable, made new on demand.
    display_key = models.CharField(max_length=40, unique=True, default=new_display_key)
    premoderation = models.BooleanField(
        _("approve network posts before they are shown"), default=True
    )
    search_networks = models.BooleanField(_("search the networks for the hashtags"), default=True)
    trusted_authors = models.TextField(
        _("trusted authors"),
        blank=True,
        help_text=_("One handle a line; their posts go on the wall without waiting."),
    )
    blocked_words = models.TextField(
        _("blocked words"),
        blank=True,
        help_text=_("One word or phrase a line; matched without case and accents."),
    )
    # The newest networks.RemoteItem looked at: each sweep reads only what came after it.
    collected_through = models.BigIntegerField(default=0)
    swept_at = models.DateTimeField(_("last searched"), null=True, blank=True)

    class Meta:
        verbose_name = _("social wall")
        verbose_name_plural = _("social walls")

    def __str__(self) -> str:
        return f"wall of seminar {self.seminar_id}"

    @property
    def stream(self) -> str:
        return f"live.wall.{self.pk}"


class WallItem(models.Model):
    """One post, our post or question on a wall; once per wall and remote id."""

    wall = models.ForeignKey(Wall, on_delete=models.CASCADE, related_name="items")
    source = models.CharField(_("source"), max_length=10, choices=WallSource.choices)
    # The network's key ("" for a question) and its id there ("question:<id>" for a question):
    # a post found by two searches, or our own post found by a search, is one item.
    network = models.CharField(_("network"), max_length=16, blank=True)
    remote_id = models.CharField(max_length=300)
    author_name = models.CharField(_("author"), max_length=300, blank=True)
    author_handle = models.CharField(_("author's handle"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    url = models.URLField(_("address"), max_length=1000, blank=True)
    written_at = models.DateTimeField(_("written"))
    status = models.CharField(
        max_length=10, choices=WallItemStatus.choices, default=WallItemStatus.PENDING
    )
    # Why it got its status without a person: trusted, ours, q&a, open, blocked.
    reason = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("wall post")
        verbose_name_plural = _("wall posts")
        ordering = ["-written_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["wall", "network", "remote_id"], name="live_wall_item_once"
            )
        ]
        indexes = [models.Index(fields=["wall", "status", "written_at"])]

    def __str__(self) -> str:
        return self.text[:60]
