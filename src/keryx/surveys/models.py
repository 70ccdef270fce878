"""Surveys: questions, invitations, responses and answers; interview notes.

Every text a respondent reads is stored per language (``{"el": …, "en": …}``). Answers are one
row per value (a multiple choice: a row per option ticked; a Likert matrix: a row per statement),
so averages, counts and cross-tabs are SQL aggregates. An anonymous survey's responses hold no
registration, no invitation, no IP address and only the day (decision 0851).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from keryx.core.models import TimeStampedModel
from keryx.surveys.enums import QuestionKind, Segment, SurveyKind


def new_code() -> str:
    alphabet = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _texts() -> dict[str, str]:
    return {}


def _list() -> list[Any]:
    return []


def text_in(texts: dict[str, str] | None, language: str = "") -> str:
    """The text in ``language`` (the active one by default), else in any language given."""
    texts = texts or {}
    language = language or translation.get_language() or "el"
    return str(texts.get(language[:2]) or texts.get("el") or texts.get("en") or "")


class Survey(TimeStampedModel):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="surveys"
    )
    seminar = models.ForeignKey(
        "seminars.Seminar",
        on_delete=models.CASCADE,
        related_name="surveys",
        null=True,
        blank=True,
        verbose_name=_("seminar"),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=SurveyKind.choices, default=SurveyKind.CUSTOM
    )
    title = models.JSONField(_("title"), default=_texts)
    intro = models.JSONField(_("introduction"), default=_texts, blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("No registration, no IP address and only the day are stored with answers."),
    )
    public_code = models.CharField(max_length=16, unique=True, default=new_code)
    public_link = models.BooleanField(_("public link open"), default=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    reminder_after_days = models.PositiveSmallIntegerField(
        _("remind non-respondents after (days)"), default=3
    )
    max_reminders = models.PositiveSmallIntegerField(_("reminders at most"), default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return text_in(self.title) or f"survey {self.pk}"

    @property
    def name(self) -> str:
        return text_in(self.title)

    @property
    def list_key(self) -> str:
        return f"survey:{self.pk}"


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=40)
    position = models.PositiveIntegerField(default=0)
    page = models.PositiveSmallIntegerField(_("page"), default=1)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text = models.JSONField(_("question"), default=_texts)
    help = models.JSONField(_("help"), default=_texts, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # [{"key": "a", "el": "…", "en": "…"}], for single/multiple choice; statements of a Likert
    options = models.JSONField(_("options"), default=_list, blank=True)
    # {"question": "<key>", "values": ["9", "10"]}: shown only when that answer is one of these
    show_if = models.JSONField(_("show if"), default=dict, blank=True)
    session = models.ForeignKey(
        "seminars.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agenda session"),
    )

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["page", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="survey_question_key")
        ]

    def __str__(self) -> str:
        return text_in(self.text)

    @property
    def label(self) -> str:
        return text_in(self.text)


class Invitation(models.Model):
    """A personal link for one registrant: one response each, editable until the survey closes."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    registration = models.ForeignKey(
        "registrations.Registration", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    segment = models.CharField(max_length=16, choices=Segment.choices, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "registration"], name="survey_invitation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk}"


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    registration = models.ForeignKey(
        "registrations.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    # resuming an anonymous response: a random key kept in the respondent's browser
    resume_key = models.CharField(max_length=64, unique=True, default=new_token)
    language = models.CharField(_("language"), max_length=8, default="el")
    day = models.DateField(_("day"))
    submitted = models.BooleanField(_("submitted"), default=False)
    page = models.PositiveSmallIntegerField(default=1)
    network = models.CharField(_("brought by"), max_length=16, blank=True)
    testimonial_consent = models.BooleanField(
        _("consent to publish the testimonial"), default=False
    )
    testimonial_in_library = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["survey", "submitted"], name="survey_response_done")]

    def __str__(self) -> str:
        return f"response {self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(max_length=64, blank=True)  # option key, or Likert statement key
    number = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [models.Index(fields=["question", "choice"], name="survey_answer_q")]

    def __str__(self) -> str:
        return f"answer {self.pk}"


class Interview(TimeStampedModel):
    """Structured notes the team takes in a call with a speaker or an attendee."""

    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="interviews"
    )
    seminar = models.ForeignKey(
        "seminars.Seminar",
        on_delete=models.CASCADE,
        related_name="interviews",
        null=True,
        blank=True,
        verbose_name=_("seminar"),
    )
    person = models.CharField(_("who"), max_length=150)
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=[("speaker", _("Speaker")), ("attendee", _("Attendee")), ("other", _("Other"))],
        default="attendee",
    )
    held_on = models.DateField(_("date"))
    context = models.TextField(_("background"), blank=True)
    highlights = models.TextField(_("what went well"), blank=True)
    pain_points = models.TextField(_("what to improve"), blank=True)
    quotes = models.TextField(_("quotes"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    tags = models.JSONField(_("tags"), default=_list, blank=True)
    search_key = models.TextField(blank=True)  # folded text of everything above

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")

    def __str__(self) -> str:
        return f"{self.person} · {self.held_on}"


class AnswerTally(models.Model):
    """How many submitted answers a question has per value, kept in the transaction that saves
    the answers (decision 0867): the results page reads these few rows instead of every answer.

    One row per (question, choice, number); the row whose ``number_key`` is ``"*"`` counts the
    question's respondents (a multiple choice or a Likert matrix has several answers each)."""

    RESPONDENTS = "*"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tallies")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tallies")
    choice = models.CharField(max_length=64, blank=True)
    number_key = models.CharField(max_length=32, blank=True)  # repr of the number, "" for none
    number = models.FloatField(null=True, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("survey answer count")
        verbose_name_plural = _("survey answer counts")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "choice", "number_key"], name="survey_tally_unique"
            )
        ]
        indexes = [models.Index(fields=["survey"], name="survey_tally_survey")]

    def __str__(self) -> str:
        return f"tally {self.question_id} {self.choice}/{self.number_key}: {self.n}"
