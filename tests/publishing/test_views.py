"""The Calendar area's pages and the calendar's event feed, as a browser session uses them."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.enums import VariantStatus
from keryx.content.models import Post, Variant
from keryx.publishing.domain import pause
from keryx.publishing.models import Dispatch, PostingSlot
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = pytest.mark.django_db
S = VariantStatus
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")


def _cal(workspace) -> str:  # type: ignore[no-untyped-def]
    return f"/w/{workspace.slug}/calendar/"


def test_calendar_page_shows_the_pause_and_offers_actions_by_role(
    owner_client, workspace, user, seminar, member
) -> None:
    page = owner_client.get(_cal(workspace), {"seminar": seminar.pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="calendar"' in text and "Emergency pause" in text
    pause.pause_start(
        access=workspace_access(user, workspace, Perm.PUBLISH_PAUSE), reason="Θλιβερά νέα"
    )
    text = owner_client.get(_cal(workspace)).content.decode()
    assert "Publishing is paused for the whole workspace." in text and "Θλιβερά νέα" in text
    viewer = Client()
    viewer.force_login(member("viewer"))
    text = viewer.get(_cal(workspace)).content.decode()
    assert "Θλιβερά νέα" in text
    assert "Resume publishing" not in text and "Emergency pause" not in text
    assert 'data-can-schedule=""' in text


def test_event_feed_gives_wall_clock_times_in_the_chosen_zone_with_colours(
    owner_client, workspace, user, seminar
) -> None:
    account = make_account(workspace, network="instagram", name="ig")
    when = dt.datetime(2026, 12, 5, 10, 0, tzinfo=ATHENS)
    variant = make_variant(
        make_post(seminar, user, text="Καλημέρα"), account, status=S.SCHEDULED, scheduled_at=when
    )
    url = f"/api/v1/workspaces/{workspace.slug}/calendar/events"
    window = {"start": "2026-11-30T00:00:00Z", "end": "2027-01-11T00:00:00Z", "seminar": seminar.pk}
    events = owner_client.get(url, window).json()
    assert [
        (e["id"], e["start"], e["backgroundColor"], e["extendedProps"]["state"]) for e in events
    ] == [(str(variant.pk), "2026-12-05T10:00:00", "#c13584", "scheduled")]
    assert (
        owner_client.get(url, {**window, "tz": "UTC"}).json()[0]["start"] == "2026-12-05T08:00:00"
    )
    assert owner_client.get(url, {**window, "network": "x"}).json() == []
    Dispatch.objects.create(
        variant=variant, workspace=workspace, idempotency_key="k", held_at=timezone.now()
    )
    held = owner_client.get(url, {**window, "state": "held"}).json()
    assert [e["extendedProps"]["stateLabel"] for e in held] == ["Held by a pause"]


def test_dragging_reschedules_through_the_api_with_the_session_and_csrf(
    workspace, user, seminar
) -> None:
    account = make_account(workspace, network="mastodon")
    soon = (
        (timezone.now() + dt.timedelta(days=5))
        .astimezone(ATHENS)
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )
    variant = make_variant(make_post(seminar, user), account, status=S.SCHEDULED, scheduled_at=soon)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get(_cal(workspace))
    token = browser.cookies["csrftoken"].value
    url = f"/api/v1/workspaces/{workspace.slug}/variants/{variant.pk}/schedule"
    moved = (soon + dt.timedelta(days=1)).replace(tzinfo=None).isoformat()
    refused = browser.post(
        url, json.dumps({"scheduled_at": moved}), content_type="application/json"
    )
    assert refused.status_code in (401, 403)
    ok = browser.post(
        url,
        json.dumps({"scheduled_at": moved, "time_zone": "Europe/Athens"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert ok.status_code == 200, ok.content
    variant.refresh_from_db()
    assert variant.scheduled_at == soon + dt.timedelta(days=1)
    past = browser.post(
        url,
        json.dumps({"scheduled_at": "2020-01-01T10:00:00"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert past.status_code == 422
    assert past.json()["error"]["fields"]["scheduled_at"][0].startswith("This time has passed (")


def test_resuming_leads_to_the_held_posts_and_each_can_be_decided(
    owner_client, workspace, user, seminar
) -> None:
    account = make_account(workspace, network="mastodon")
    item = pause.pause_start(
        access=workspace_access(user, workspace, Perm.PUBLISH_PAUSE), reason="Παύση"
    )
    variant = make_variant(
        make_post(seminar, user, text="Κρατημένο"),
        account,
        status=S.SCHEDULED,
        scheduled_at=timezone.now(),
    )
    Dispatch.objects.create(
        variant=variant,
        workspace=workspace,
        idempotency_key="k",
        held_at=timezone.now(),
        held_by=item,
    )
    response = owner_client.post(f"{_cal(workspace)}pause/{item.pk}/resume/")
    assert (
        response.status_code == 302
        and response["Location"] == f"{_cal(workspace)}held/?pause={item.pk}"
    )
    text = owner_client.get(response["Location"]).content.decode()
    assert "Κρατημένο" in text and "Nothing it held has been published" in text
    when = (timezone.now() + dt.timedelta(days=2)).astimezone(ATHENS).strftime("%Y-%m-%dT%H:%M")
    owner_client.post(
        f"{_cal(workspace)}held/{variant.pk}/", {"action": "reschedule", "scheduled_at": when}
    )
    variant.refresh_from_db()
    assert variant.scheduled_at.astimezone(ATHENS).strftime("%Y-%m-%dT%H:%M") == when
    assert Dispatch.objects.get(pk=variant.pk).held_at is None


def test_variant_page_and_actions_respect_roles(
    owner_client, workspace, user, seminar, member
) -> None:
    account = make_account(workspace, network="mastodon")
    PostingSlot.objects.create(
        workspace=workspace,
        account=account,
        weekday=2,
        local_time=dt.time(9),
        time_zone="Europe/Athens",
    )
    variant = make_variant(make_post(seminar, user, text="Σελίδα"), account)
    url = f"{_cal(workspace)}variants/{variant.pk}/"
    assert "Add to queue" in owner_client.get(url).content.decode()
    viewer = Client()
    viewer.force_login(member("viewer"))
    assert "Add to queue" not in viewer.get(url).content.decode()
    assert viewer.post(f"{url}act/", {"action": "queue"}).status_code == 403
    assert owner_client.post(f"{url}act/", {"action": "queue"}).status_code == 302
    variant.refresh_from_db()
    assert variant.scheduled_at.astimezone(ATHENS).weekday() == 2
    bad = owner_client.post(
        f"{url}act/", {"action": "schedule", "scheduled_at": "2020-01-01T10:00"}
    )
    assert bad.status_code == 422
    assert "This time has passed" in bad.content.decode()


def test_slots_page_saves_weekly_slots_and_shows_best_times(owner_client, workspace) -> None:
    account = make_account(workspace, network="linkedin", name="li")
    url = f"{_cal(workspace)}slots/"
    response = owner_client.post(
        url,
        {
            "account": account.pk,
            "time_zone": "Europe/Athens",
            "day1": "09:00, 13:30",
            "day3": "10:00",
        },
    )
    assert response.status_code == 302
    assert list(
        account.posting_slots.order_by("weekday", "local_time").values_list("weekday", "local_time")
    ) == [
        (1, dt.time(9)),
        (1, dt.time(13, 30)),
        (3, dt.time(10)),
    ]
    text = owner_client.get(url, {"account": account.pk}).content.decode()
    assert "Too little history yet" in text and 'class="heatmap"' in text
    bad = owner_client.post(
        url, {"account": account.pk, "time_zone": "Europe/Athens", "day1": "9 το πρωί"}
    )
    assert "Write times as 09:00, 13:30." in bad.content.decode()


def test_import_page_checks_first_and_imports_nothing_from_a_broken_file(
    owner_client, workspace, seminar
) -> None:
    make_account(workspace, network="mastodon", name="keryx")
    url = f"{_cal(workspace)}seminars/{seminar.pk}/import-export/"
    when = (timezone.now() + dt.timedelta(days=3)).astimezone(ATHENS).strftime("%Y-%m-%d %H:%M")
    broken = f"scheduled_at,account,text\n{when},@keryx,Καλή\nαύριο,@keryx,Κακή\n".encode()
    text = owner_client.post(
        url, {"file": SimpleUploadedFile("posts.csv", broken), "step": "check"}
    ).content.decode()
    assert "1 of 2 rows have problems; nothing was imported." in text
    assert "Write the date and time as 2026-12-05 10:00" in text
    good = f"scheduled_at,account,text\n{when},@keryx,Καλή\n".encode()
    text = owner_client.post(
        url, {"file": SimpleUploadedFile("posts.csv", good), "step": "check"}
    ).content.decode()
    assert "All 1 rows are good." in text or "1 row is good." in text
    assert not Post.objects.exists()
    csv_text = good.decode()
    response = owner_client.post(url, {"csv_text": csv_text, "step": "import"})
    assert response.status_code == 302
    assert Variant.objects.get().status == S.DRAFT
    export = owner_client.get(f"{_cal(workspace)}seminars/{seminar.pk}/export/")
    assert export["Content-Disposition"].endswith('.csv"')
    assert "Καλή" in export.content.decode("utf-8-sig")
