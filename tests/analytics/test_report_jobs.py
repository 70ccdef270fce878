"""Reports generated in the background: asked for on the page, progress stored and polled,
downloadable when ready; a failure says so; who may download and generate; other workspaces
refused."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.analytics import kpis as registry
from keryx.analytics.domain.reports import report_generate, report_request, reports_sweep
from keryx.analytics.models import Report
from keryx.analytics.reports import render
from tests.analytics.conftest import NOW
from tests.factories import make_seminar, make_user, make_workspace

pytestmark = pytest.mark.django_db


def _url(seminar, suffix: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/w/{seminar.workspace.slug}/analytics/kpis/{seminar.pk}/reports/{suffix}"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_render_reports_its_progress(known) -> None:  # type: ignore[no-untyped-def]
    heard: list[int] = []
    render(known.seminar, fmt="xlsx", language="el", now=NOW, progress=heard.append)
    assert heard == [50, 90]


def test_report_asked_on_the_page_is_generated_and_downloads(
    known, owner_client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            _url(known.seminar), {"action": "generate", "fmt": "pdf", "language": "el"}
        )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.status, report.progress, report.language) == ("done", 100, "el")
    assert report.started_at is not None and report.finished_at is not None
    page = owner_client.get(_url(known.seminar)).content.decode()
    assert f'data-report="{report.pk}" data-status="done"' in page
    row = owner_client.get(_url(known.seminar, f"{report.pk}/")).content.decode()
    assert "hx-trigger" not in row and "download/" in row
    pdf = owner_client.get(_url(known.seminar, f"{report.pk}/download/"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert known.seminar.title in text


def test_a_report_in_progress_is_polled_with_its_progress(known, user, owner_client) -> None:  # type: ignore[no-untyped-def]
    access = workspace_access(user, known.seminar.workspace, Perm.ANALYTICS_EDIT)
    report = report_request(access=access, seminar=known.seminar, fmt="xlsx", language="en")
    Report.objects.filter(pk=report.pk).update(status="running", progress=50)
    row = owner_client.get(_url(known.seminar, f"{report.pk}/")).content.decode()
    assert 'hx-trigger="every 1s"' in row
    assert '<progress max="100" value="50"' in row
    # Not ready: nothing to download.
    assert owner_client.get(_url(known.seminar, f"{report.pk}/download/")).status_code == 404


def test_a_failing_report_says_so(known, user, owner_client, restore_registry) -> None:  # type: ignore[no-untyped-def]
    def broken(seminar):  # type: ignore[no-untyped-def]
        raise RuntimeError("the numbers are not there")

    registry.register_kpi(
        registry.Kpi(key="broken", label="Broken", unit=registry.Unit.COUNT, compute=broken)
    )
    access = workspace_access(user, known.seminar.workspace, Perm.ANALYTICS_EDIT)
    report = report_request(access=access, seminar=known.seminar, fmt="pdf", language="el")
    assert report_generate(report_id=report.pk) == "failed"
    report.refresh_from_db()
    assert report.status == "failed"
    assert report.error == "RuntimeError: the numbers are not there"
    row = owner_client.get(_url(known.seminar, f"{report.pk}/")).content.decode()
    assert 'role="alert"' in row and "hx-trigger" not in row
    # A second message for the same report finds it claimed and does nothing.
    assert report_generate(report_id=report.pk) == "skipped"


def test_sweep_requeues_lost_and_fails_stuck_reports(known, user) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone

    access = workspace_access(user, known.seminar.workspace, Perm.ANALYTICS_EDIT)
    lost = report_request(access=access, seminar=known.seminar, fmt="xlsx", language="en")
    stuck = report_request(access=access, seminar=known.seminar, fmt="pdf", language="en")
    later = timezone.now() + dt.timedelta(minutes=20)
    Report.objects.filter(pk=stuck.pk).update(status="running", started_at=timezone.now())
    assert reports_sweep(now=later) == {"requeued": 1, "failed": 1, "deleted": 0}
    lost.refresh_from_db()
    stuck.refresh_from_db()
    assert lost.status == "done"  # the queue runs tasks at once in the tests
    assert stuck.status == "failed"


def test_viewer_downloads_but_cannot_generate(known, user, member) -> None:  # type: ignore[no-untyped-def]
    access = workspace_access(user, known.seminar.workspace, Perm.ANALYTICS_EDIT)
    report = report_request(access=access, seminar=known.seminar, fmt="xlsx", language="en")
    report_generate(report_id=report.pk)
    viewer = _client(member("viewer"))
    page = viewer.get(_url(known.seminar))
    assert page.status_code == 200
    assert b"data-generate" not in page.content
    assert viewer.get(_url(known.seminar, f"{report.pk}/download/")).status_code == 200
    refused = viewer.post(
        _url(known.seminar), {"action": "generate", "fmt": "pdf", "language": "el"}
    )
    assert refused.status_code == 404
    assert Report.objects.count() == 1
    # A moderator does not see analytics at all.
    moderator = _client(member("moderator"))
    assert moderator.get(_url(known.seminar, f"{report.pk}/download/")).status_code == 403


def test_other_workspace_is_refused(known, user) -> None:  # type: ignore[no-untyped-def]
    access = workspace_access(user, known.seminar.workspace, Perm.ANALYTICS_EDIT)
    report = report_request(access=access, seminar=known.seminar, fmt="xlsx", language="en")
    report_generate(report_id=report.pk)
    stranger = make_user("stranger@example.org")
    theirs = make_workspace(stranger, "Άλλη ομάδα")
    other_seminar = make_seminar(theirs, stranger)
    client = _client(stranger)
    # Not a member of the report's workspace: it does not exist for them.
    assert client.get(_url(known.seminar, f"{report.pk}/download/")).status_code == 404
    # Their own workspace's address with this report's id: not found either.
    url = f"/w/{theirs.slug}/analytics/kpis/{other_seminar.pk}/reports/{report.pk}/download/"
    assert client.get(url).status_code == 404
    report.refresh_from_db()
    assert report.status == "done" and report.size > 0
