"""Import a Meta campaign's results straight from the Marketing API (decision 0958): the
workspace's ad account and token (``MetaAdsAccess``), the campaign's days from its start to
today (or its end), its rows found by its name as in Ads Manager. A day imported before is
replaced, as with the CSV exports."""

from __future__ import annotations

import datetime as dt

import httpx
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.analytics.enums import AdPlatform
from keryx.analytics.importers import ImportProblem, Outcome
from keryx.analytics.meta_ads import MetaAdsProblem, fetch_insights
from keryx.analytics.models import AdCampaign, AdResult, MetaAdsAccess
from keryx.core.text import text_key


def meta_access_save(*, access: Access, ad_account_id: str, access_token: str) -> MetaAdsAccess:
    """Set the workspace's ad account (and token; an empty token keeps the saved one)."""
    access.require(Perm.ANALYTICS_EDIT)
    found = MetaAdsAccess.objects.filter(workspace=access.workspace).first()
    account = ad_account_id.strip().removeprefix("act_")
    if found is None:
        if not access_token.strip():
            raise ImportProblem(_("Enter the access token."))
        return MetaAdsAccess.objects.create(
            workspace=access.workspace, ad_account_id=account, access_token=access_token.strip()
        )
    found.ad_account_id = account
    fields = ["ad_account_id", "updated_at"]
    if access_token.strip():
        found.access_token = access_token.strip()
        fields.append("access_token")
    found.save(update_fields=fields)
    return found


def meta_insights_import(
    *,
    access: Access,
    campaign: AdCampaign,
    now: dt.datetime | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Outcome:
    access.require(Perm.ANALYTICS_EDIT)
    if campaign.workspace_id != access.workspace.pk:
        raise ImportProblem(_("This campaign is not in this workspace."))
    if campaign.platform != AdPlatform.META:
        raise ImportProblem(_("Only Meta campaigns can be read from the Meta Marketing API."))
    setting = MetaAdsAccess.objects.filter(workspace=access.workspace).first()
    if setting is None:
        raise ImportProblem(_("Enter the Meta ad account and its access token first."))
    now = now or timezone.now()
    until = min(campaign.ends_on, now.astimezone(campaign.seminar.tz).date())
    if until < campaign.starts_on:
        raise ImportProblem(_("The campaign has not started yet."))
    try:
        rows = fetch_insights(
            ad_account_id=setting.ad_account_id,
            token=setting.access_token,
            since=campaign.starts_on,
            until=until,
            transport=transport,
        )
    except MetaAdsProblem as exc:
        raise ImportProblem(exc.message) from exc
    wanted = text_key(campaign.name)
    ours = [r for r in rows if text_key(r.campaign_name) == wanted]
    others = sorted({r.campaign_name for r in rows if text_key(r.campaign_name) != wanted})
    if rows and not ours:
        raise ImportProblem(
            _("The ad account has no campaign named “%(name)s”; it has: %(others)s.")
            % {"name": campaign.name, "others": ", ".join(others)}
        )
    with transaction.atomic():
        for r in ours:
            AdResult.objects.update_or_create(
                campaign=campaign,
                period_start=r.start,
                period_end=r.end,
                defaults={
                    "spend": r.spend,
                    "impressions": r.impressions,
                    "reach": r.reach,
                    "clicks": r.clicks,
                    "imported_at": now,
                },
            )
        setting.last_import_at = now
        setting.save(update_fields=["last_import_at"])
    return Outcome(str(AdPlatform.META.label), len(ours), others)
