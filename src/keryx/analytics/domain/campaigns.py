"""Creating an ad campaign."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.analytics.enums import AdPlatform, Objective
from keryx.analytics.models import AdCampaign
from keryx.core.errors import Conflict, ValidationFailed
from keryx.links.models import TrackedLink
from keryx.seminars.models import Seminar


@dataclass(frozen=True)
class CampaignData:
    platform: str
    name: str
    starts_on: date
    ends_on: date
    budget: Decimal
    currency: str = "EUR"
    objective: str = Objective.REGISTRATIONS
    link_ids: list[int] = field(default_factory=list)


def campaign_create(*, access: Access, seminar: Seminar, data: CampaignData) -> AdCampaign:
    access.require(Perm.ANALYTICS_EDIT)
    if seminar.workspace_id != access.workspace.pk:
        raise ValidationFailed(_("This seminar is not in this workspace."))
    if data.platform not in AdPlatform.values:
        raise ValidationFailed(fields={"platform": [_("Choose an ad platform.")]})
    if data.ends_on < data.starts_on:
        raise ValidationFailed(fields={"ends_on": [_("The campaign must end after it starts.")]})
    if data.budget < 0:
        raise ValidationFailed(fields={"budget": [_("The budget cannot be negative.")]})
    links = list(TrackedLink.objects.filter(seminar=seminar, pk__in=data.link_ids))
    if len(links) != len(set(data.link_ids)):
        raise ValidationFailed(fields={"links": [_("Choose tracked links of this seminar.")]})
    try:
        with transaction.atomic():
            campaign = AdCampaign.objects.create(
                workspace=access.workspace,
                seminar=seminar,
                platform=data.platform,
                name=data.name.strip(),
                starts_on=data.starts_on,
                ends_on=data.ends_on,
                budget=data.budget,
                currency=data.currency.upper(),
                objective=data.objective,
                created_by=access.user,
            )
            campaign.links.set(links)
    except IntegrityError as exc:
        raise Conflict(
            _("This seminar already has a campaign with this name on this platform."),
            fields={"name": [_("Already used on this platform.")]},
        ) from exc
    return campaign
