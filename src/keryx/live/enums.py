from django.db import models
from django.utils.translation import gettext_lazy as _


class Moderation(models.TextChoices):
    BEFORE = "before", _("Approve questions before they are shown")
    AFTER = "after", _("Show questions at once; dismiss afterwards")


class Showing(models.TextChoices):
    JOIN = "join", _("Join now")
    QUESTIONS = "questions", _("Top questions")
    POLL = "poll", _("Poll results")
    CLOUD = "cloud", _("Word cloud")
    WALL = "wall", _("Social wall")
    SURVEY = "survey", _("Feedback survey")


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Shown")
    DISMISSED = "dismissed", _("Dismissed")


class PollKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING = "rating", _("Rating 1–5")
    CLOUD = "cloud", _("Word cloud")
    TEXT = "text", _("Open text")
    QUIZ = "quiz", _("Quiz")


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("Prepared")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


CHOICE_KINDS = frozenset({PollKind.SINGLE, PollKind.MULTIPLE, PollKind.QUIZ})
