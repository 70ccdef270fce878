"""The weekly digest and the scheduled reports, through the outbox to a real SMTP server: once
per period and member, each in the member's language, and a member who left the list gets
nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.analytics.domain.mailings import digest_list_key, digest_send
from keryx.analytics.domain.schedules import schedule_create, schedules_run
from keryx.analytics.models import Report
from keryx.core.domain.outbox import outbox_unsubscribe
from keryx.core.models import OutboxMessage
from tests.analytics.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(known, user, member):  # type: ignore[no-untyped-def]
    user.language = "el"
    user.save(update_fields=["language"])
    analyst = member("analyst", "anna@example.org")
    analyst.language = "en"
    analyst.save(update_fields=["language"])
    member("moderator", "mod@example.org")  # sees no analytics: gets no digest
    return {"owner": user, "analyst": analyst}


def _by_address(messages):  # type: ignore[no-untyped-def]
    return {m["To"]: m for m in messages}


def test_digest_goes_once_a_week_to_each_reader_in_their_language(
    team, smtp_sink, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(now=NOW) == 2
    mails = _by_address(smtp_sink.wait_for(2))
    assert set(mails) == {"owner@example.org", "anna@example.org"}
    greek, english = mails["owner@example.org"], mails["anna@example.org"]
    assert greek["Subject"].strip() == "[Keryx] Εβδομαδιαία σύνοψη: Ομάδα Επικοινωνίας"
    assert english["Subject"].strip() == "[Keryx] Weekly digest: Ομάδα Επικοινωνίας"
    assert greek["Content-Language"] == "el" and english["Content-Language"] == "en"
    body = smtp_sink.body(english)
    assert "== Σεμινάριο Διαχείρισης Social Media 2026 ==" in body
    assert "- Registrations: 5 / 10 — On track" in body
    assert "6 days to the seminar." in body
    assert "- Εγγραφές: 5 / 10 — Σε καλό δρόμο" in smtp_sink.body(greek)
    assert english["List-Unsubscribe"]
    # The same week again (a second worker, a re-run): nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(now=NOW + dt.timedelta(hours=3)) == 0
    assert len(smtp_sink.messages) == 2


def test_a_member_who_left_the_digest_gets_no_more(
    team, workspace, smtp_sink, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    outbox_unsubscribe(email="anna@example.org", list_key=digest_list_key(workspace.pk))
    with django_capture_on_commit_callbacks(execute=True):
        digest_send(now=NOW)
    assert [m["To"] for m in smtp_sink.wait_for(1)] == ["owner@example.org"]
    left = OutboxMessage.objects.get(to_email="anna@example.org")
    assert left.status == "unsubscribed"
    # Next week: again to the owner only.
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(now=NOW + dt.timedelta(days=7)) == 2
    smtp_sink.wait_for(2)
    assert [m["To"] for m in smtp_sink.messages] == ["owner@example.org", "owner@example.org"]


def test_scheduled_report_once_per_period_mailed_as_a_link(
    team, known, user, smtp_sink, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    access = workspace_access(user, known.seminar.workspace, Perm.ANALYTICS_EDIT)
    schedule = schedule_create(
        access=access, seminar=known.seminar, frequency="weekly", fmt="xlsx", language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert schedules_run(now=NOW) == 1
    report = Report.objects.get(schedule=schedule)
    assert (report.period, report.status) == ("2026-W49", "done")
    mails = _by_address(smtp_sink.wait_for(2))
    link = f"/analytics/kpis/{known.seminar.pk}/reports/{report.pk}/download/"
    assert link in smtp_sink.body(mails["anna@example.org"])
    assert (
        mails["owner@example.org"]["Subject"].strip().startswith("[Keryx] Η αναφορά είναι έτοιμη")
    )
    with django_capture_on_commit_callbacks(execute=True):
        # Friday of the same ISO week (6 December 2026 is a Sunday).
        assert schedules_run(now=NOW - dt.timedelta(days=2)) == 0
    assert Report.objects.filter(schedule=schedule).count() == 1
    assert len(smtp_sink.messages) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert schedules_run(now=NOW + dt.timedelta(days=1)) == 1
    assert list(
        Report.objects.filter(schedule=schedule).order_by("period").values_list("period", flat=True)
    ) == ["2026-W49", "2026-W50"]
    smtp_sink.wait_for(4)


def test_a_viewer_stops_and_restarts_the_digest_on_the_reports_page(
    team, known, member, smtp_sink, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    viewer = member("viewer", "viewer@example.org")
    client = Client()
    client.force_login(viewer)
    url = f"/w/{known.seminar.workspace.slug}/analytics/kpis/{known.seminar.pk}/reports/"
    assert b'data-digest="on"' in client.get(url).content
    client.post(url, {"action": "digest", "wanted": "0"})
    assert b'data-digest="off"' in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        digest_send(now=NOW)
    smtp_sink.wait_for(2)
    assert sorted(m["To"] for m in smtp_sink.messages) == ["anna@example.org", "owner@example.org"]
    client.post(url, {"action": "digest", "wanted": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        digest_send(now=NOW - dt.timedelta(days=7))
    smtp_sink.wait_for(5)
    assert "viewer@example.org" in [m["To"] for m in smtp_sink.messages[2:]]
