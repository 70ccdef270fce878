"""Reads of the analytics app, scoped to the workspace and the user's role."""

from __future__ import annotations

from django.db.models import QuerySet

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.analytics.models import AbTest, AdCampaign, Report, ReportSchedule, ReportStatus
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


# --- reports -------------------------------------------------------------------------------


def reports_of(access: Access, seminar: Seminar) -> QuerySet[Report]:
    """The seminar's reports, newest first, without their files."""
    access.require(Perm.ANALYTICS_VIEW)
    return (
        Report.objects.filter(workspace=access.workspace, seminar=seminar)
        .defer("data")
        .select_related("seminar", "requested_by")
    )


def report_in(access: Access, seminar: Seminar, report_id: int) -> Report:
    report = reports_of(access, seminar).filter(pk=report_id).first()
    if report is None:
        raise NotFound()
    return report


def report_file(access: Access, seminar: Seminar, report_id: int) -> Report:
    """A finished report with its file (for the download)."""
    access.require(Perm.ANALYTICS_VIEW)
    report = (
        Report.objects.filter(
            workspace=access.workspace, seminar=seminar, pk=report_id, status=ReportStatus.DONE
        )
        .select_related("seminar")
        .first()
    )
    if report is None:
        raise NotFound()
    return report


def schedules_of(access: Access, seminar: Seminar) -> QuerySet[ReportSchedule]:
    access.require(Perm.ANALYTICS_VIEW)
    return ReportSchedule.objects.filter(workspace=access.workspace, seminar=seminar)
