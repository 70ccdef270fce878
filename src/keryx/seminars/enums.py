from django.db import models
from django.utils.translation import gettext_lazy as _


class SeminarFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class KpiMetric(models.TextChoices):
    REGISTRATIONS = "registrations", _("Registrations")
    ATTENDANCE = "attendance", _("Attendance (checked in)")
    ENGAGEMENT = "engagement", _("Engagement (likes, shares, comments)")
    AVERAGE_RATING = "average_rating", _("Average rating (1–5)")
    NPS = "nps", _("Net Promoter Score (−100 to 100)")
    CLICKS = "clicks", _("Link clicks")
    BUDGET = "budget", _("Budget")
    # The same keys as the analytics KPI registry: a target is shown beside its KPI.
    REACH = "reach", _("Reach")
    IMPRESSIONS = "impressions", _("Impressions")
    SURVEY_RESPONSE_RATE = "survey_response_rate", _("Survey response rate (%)")
    FIRST_REPLY_TIME = "first_reply_time", _("Time to first reply (minutes, at most)")
    INBOX_RESPONSE_RATE = "inbox_response_rate", _("Inbox response rate (%)")
    COST_PER_REGISTRANT = "cost_per_registrant", _("Cost per registrant (at most)")


class SessionKind(models.TextChoices):
    TALK = "talk", _("Talk")
    WORKSHOP = "workshop", _("Workshop")
    PANEL = "panel", _("Panel")
    BREAK = "break", _("Break")
    OTHER = "other", _("Other")
