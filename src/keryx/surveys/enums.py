"""Question kinds, survey kinds, segments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING5 = "rating5", _("Rating 1–5")
    RATING10 = "rating10", _("Rating 1–10")
    NPS = "nps", _("Recommendation 0–10 (NPS)")
    LIKERT = "likert", _("Agreement matrix (Likert)")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Open text")
    AGE_BAND = "age_band", _("Age band")
    GENDER = "gender", _("Gender")
    PROFESSION = "profession", _("Profession or sector")
    CITY = "city", _("City")
    COUNTRY = "country", _("Country")
    HEARD_FROM = "heard_from", _("How did you hear about us")
    TESTIMONIAL = "testimonial", _("Testimonial (with consent to publish)")


CHOICE_KINDS = frozenset({"single", "multiple", "age_band", "gender", "profession", "heard_from"})
SCALE_KINDS = frozenset({"rating5", "rating10", "nps"})
TEXT_KINDS = frozenset({"text", "city", "country", "testimonial"})
DEMOGRAPHIC_KINDS = ("age_band", "gender", "profession", "city", "country", "heard_from")
SCALES: dict[str, tuple[int, int]] = {"rating5": (1, 5), "rating10": (1, 10), "nps": (0, 10)}
LIKERT_SCALE = (1, 5)


class SurveyKind(models.TextChoices):
    CUSTOM = "custom", _("Survey")
    AUDIENCE = "audience", _("Pre-seminar audience profile")
    FEEDBACK = "feedback", _("Post-seminar feedback")


class Segment(models.TextChoices):
    REGISTERED = "registered", _("Registered (everyone with a place)")
    CONFIRMED = "confirmed", _("Confirmed their e-mail")
    CHECKED_IN = "checked_in", _("Checked in (attendees only)")
    NO_SHOW = "no_show", _("Did not come (no-shows)")
