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


# Variants in these states have left the composer: their text and media are what the network
# got (or may have got), so they are not edited and approval changes leave them alone. A failed
# variant stays editable: fixing it is how it gets published after all.
LOCKED_VARIANT_STATUSES = frozenset(
    {
        VariantStatus.PUBLISHING,
        VariantStatus.PUBLISHED,
        VariantStatus.UNCONFIRMED,
    }
)


class Theme(models.TextChoices):
    """The post themes of the seminar playbook; each has a suggested structure (themes.py)."""

    PERSONAL_STORY = "personal_story", _("Personal story")
    SUCCESS_STORY = "success_story", _("Success story")
    PRACTICAL_TIP = "practical_tip", _("Practical tip")
    SPEAKER_SPOTLIGHT = "speaker_spotlight", _("Speaker spotlight")
    AGENDA_HIGHLIGHT = "agenda_highlight", _("Agenda highlight")
    COUNTDOWN = "countdown", _("Countdown")
    BEHIND_THE_SCENES = "behind_the_scenes", _("Behind the scenes")
    LIVE_UPDATE = "live_update", _("Live update")
    THANK_YOU = "thank_you", _("Thank you")
    RECORDING_AVAILABLE = "recording_available", _("Recording available")


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    GIF = "gif", _("Animated GIF")
    VIDEO = "video", _("Video")


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
