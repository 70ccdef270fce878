"""Reads of the analytics app, scoped to the workspace and the user's role."""

from __future__ import annotations

from django.db.models import QuerySet

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.analytics.models import AbTest, AdCampaign
from keryx.core.errors import NotFound
from keryx.seminars.models import Seminar


def campaigns_of(access: Access, seminar: Seminar) -> QuerySet[AdCampaign]:
    access.require(Perm.ANALYTICS_VIEW)
    return AdCampaign.objects.filter(workspace=access.workspace, seminar=seminar).prefetch_related(
        "links"
    )


def campaign_in(access: Access, seminar: Seminar, campaign_id: int) -> AdCampaign:
    campaign = campaigns_of(access, seminar).filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound()
    return campaign


def ab_tests_of(access: Access, seminar: Seminar) -> QuerySet[AbTest]:
    access.require(Perm.ANALYTICS_VIEW)
    return AbTest.objects.filter(workspace=access.workspace, seminar=seminar).select_related(
        "variant_a__post", "variant_b__post"
    )


def ab_test_in(access: Access, seminar: Seminar, test_id: int) -> AbTest:
    test = ab_tests_of(access, seminar).filter(pk=test_id).first()
    if test is None:
        raise NotFound()
    return test
