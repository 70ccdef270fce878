from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignPhase(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Announcement")
    EARLY_BIRD = "early_bird", _("Early bird")
    SPEAKERS = "speakers", _("Speakers")
    COUNTDOWN = "countdown", _("Countdown")
    LIVE = "live", _("Live")
    THANK_YOU = "thank_you", _("Thank you")


class PostStatus(models.TextChoices):
    """Where a post is in the approval workflow."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")


class VariantStatus(models.TextChoices):
    """draft → in_review → approved → scheduled → publishing → published | failed | unconfirmed."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
