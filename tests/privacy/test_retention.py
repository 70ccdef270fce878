"""Retention: expired personal data is erased the kind's way, per workspace, reported per run."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from keryx.cli import main
from keryx.links.models import Click, TrackedLink
from keryx.privacy.domain.retention import retention_enforce, retention_set
from keryx.privacy.models import RetentionRun
from keryx.privacy.tasks import enforce_retention
from keryx.registrations.models import Consent, Registration
from keryx.seminars.models import Seminar
from tests.factories import make_seminar, make_user, make_workspace
from tests.registrations.helpers import publish, register

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 6, 1, 12, 0, tzinfo=dt.UTC)


def _ended(seminar: Seminar, days_ago: int) -> None:
    end = NOW - dt.timedelta(days=days_ago)
    Seminar.objects.filter(pk=seminar.pk).update(starts_at=end - dt.timedelta(hours=6), ends_at=end)


def _click(link: TrackedLink, days_ago: int) -> Click:
    return Click.objects.create(
        link=link,
        at=NOW - dt.timedelta(days=days_ago),
        kind="human",
        visitor="a" * 32,
        ip="192.0.2.0",
        referrer="facebook.com",
    )


def test_old_clicks_lose_their_ip_data_and_are_still_counted(user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    link = TrackedLink.objects.create(
        workspace=workspace, seminar=seminar, code="ret1", destination="https://example.org/"
    )
    old, recent = _click(link, 400), _click(link, 300)

    report = retention_enforce(now=NOW)

    assert report.removed == {"links.click": 1}
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip, old.visitor, old.referrer) == (None, "", "")
    assert (recent.ip, recent.visitor) == ("192.0.2.0", "a" * 32)
    assert Click.objects.count() == 2
    assert retention_enforce(now=NOW).removed == {}  # safe to run twice


def test_registrations_go_24_months_after_the_seminar_unless_the_workspace_says(
    user, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    publish(seminar, user)
    kept = register(seminar, "kept@example.org", name="Κρατημένη")
    other_owner = make_user("other@example.org")
    other_ws = make_workspace(other_owner, "Άλλη")
    other_seminar = make_seminar(other_ws, other_owner)
    publish(other_seminar, other_owner)
    gone = register(other_seminar, "gone@example.org", name="Χαμένη")
    _ended(seminar, 700)
    _ended(other_seminar, 700)
    retention_set(workspace_id=other_ws.pk, kind_key="registrations.registration", days=365)

    dry = retention_enforce(now=NOW, dry_run=True)
    assert dry.removed == {"registrations.registration": 1}
    assert Registration.objects.get(pk=gone.pk).name == "Χαμένη"

    report = retention_enforce(now=NOW)
    assert report.removed == {"registrations.registration": 1}
    assert Registration.objects.get(pk=gone.pk).name == ""
    assert Registration.objects.get(pk=kept.pk).name == "Κρατημένη"
    assert Consent.objects.filter(registration=kept).count() == 1
    assert Registration.objects.count() == 2

    _ended(seminar, 800)
    assert Consent.objects.filter(registration=gone).count() == 0
    assert retention_enforce(now=NOW).removed == {
        "registrations.consent": 1,
        "registrations.registration": 1,
    }
    runs = list(RetentionRun.objects.order_by("id").values_list("dry_run", flat=True))
    assert runs[:2] == [True, False]


def test_the_command_and_the_nightly_job_report_what_they_removed(
    capsys: pytest.CaptureFixture[str], user, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    link = TrackedLink.objects.create(
        workspace=workspace, seminar=seminar, code="ret2", destination="https://example.org/"
    )
    Click.objects.create(
        link=link,
        at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        kind="human",
        ip="192.0.2.0",
    )
    assert main(["privacy", "retention", "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "dry_run": True,
        "removed": {"links.click": 1},
    }
    assert Click.objects.get().ip == "192.0.2.0"
    assert enforce_retention.call_local() == {"links.click": 1}
    assert Click.objects.get().ip is None
    assert RetentionRun.objects.filter(dry_run=False).get().removed == {"links.click": 1}
