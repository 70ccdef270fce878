"""Best time to post, CSV import/export, and the iCalendar feed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zoneinfo

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.enums import PostStatus, VariantStatus
from keryx.content.models import Post, Variant
from keryx.core.errors import ValidationFailed
from keryx.networks.models import MetricSnapshot
from keryx.publishing.domain import csvio, ical, schedule
from keryx.publishing.domain.besttime import best_times, settled_engagement, slot_of
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = pytest.mark.django_db
S = VariantStatus
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")


def test_best_times_fall_back_to_network_defaults_and_say_so(workspace) -> None:
    account = make_account(workspace, network="linkedin", name="li")
    result = best_times(account, now=dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC))  # a Monday
    assert (result.source, result.posts, result.time_zone) == ("defaults", 0, "Europe/Athens")
    # LinkedIn's default windows: Tuesday–Thursday 08:00–11:00 score 1, nights 0.
    assert result.scores[1 * 48 + 9 * 2] == 1.0
    assert result.scores[2 * 48 + 3 * 2] == 0.0
    assert len(result.suggestions) == 5
    assert all(s.astimezone(ATHENS).weekday() in (1, 2, 3) for s in result.suggestions)


def test_best_times_learn_from_the_accounts_own_recent_engagement(seminar, user, workspace) -> None:
    account = make_account(workspace, network="instagram", name="ig")
    now = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)
    good = dt.datetime(2026, 11, 25, 19, 0, tzinfo=ATHENS)  # Wednesday 19:00
    bad = dt.datetime(2026, 11, 24, 11, 0, tzinfo=ATHENS)  # Tuesday 11:00
    for week in range(6):
        for when, engagements in ((good, 90), (bad, 10)):
            at = when - dt.timedelta(weeks=week)
            variant = make_variant(
                make_post(seminar, user),
                account,
                status=S.PUBLISHED,
                scheduled_at=at,
                published_at=at,
            )
            # An early snapshot (not settled yet, not read), then the settled one at 50 hours.
            variant.remote_id = f"r{variant.pk}"
            variant.save(update_fields=["remote_id"])
            for hours, likes in ((3, 1), (50, engagements - 6)):
                MetricSnapshot.objects.create(
                    account=account,
                    remote_id=variant.remote_id,
                    taken_at=at + dt.timedelta(hours=hours),
                    likes=likes,
                    shares=2,
                    comments=None,  # not given by the network: counts as none
                    link_clicks=4,
                    impressions=1000,
                )
    result = best_times(account, now=now)
    assert (result.source, result.posts) == ("history", 12)
    scores = result.scores
    assert scores[slot_of(good, ATHENS)] == 1.0
    assert scores[slot_of(good, ATHENS)] > 3 * scores[slot_of(bad, ATHENS)]
    assert result.suggestions[0].astimezone(ATHENS).strftime("%a %H:%M") == "Wed 19:00"


def test_best_times_read_the_snapshots_the_metrics_poll_takes_once_settled(
    seminar, user, account, testnet, django_capture_on_commit_callbacks
) -> None:
    from keryx.accounts.access import workspace_access as wa
    from keryx.publishing.domain.metrics import metrics_poll
    from keryx.publishing.domain.schedule import variant_share_now

    variant = make_variant(make_post(seminar, user, text="Μετρήσεις"), account)
    with django_capture_on_commit_callbacks(execute=True):
        variant_share_now(
            access=wa(user, seminar.workspace, Perm.PUBLISH_SCHEDULE), variant_id=variant.pk
        )
    variant.refresh_from_db()
    assert metrics_poll() == 1  # a first snapshot at once: not settled, not counted
    assert settled_engagement(account, since=timezone.now() - dt.timedelta(days=1)) == []
    later = timezone.now() + dt.timedelta(hours=49)
    assert metrics_poll(now=later) == 1
    rows = settled_engagement(account, since=timezone.now() - dt.timedelta(days=1))
    assert [published for published, _e, _i in rows] == [variant.published_at]
    assert rows[0][2] is not None and rows[0][2] >= 500  # impressions
    assert best_times(account, now=later).posts == 1


CSV_OK = """scheduled_at;account;text;link;phase
{t1};mastodon:@keryx;Καλωσορίσατε στο σεμινάριο!;https://keryx.example/s;announcement
{t2};@keryx;'=Δεύτερη ανάρτηση;;
"""


def _when(days: int) -> str:
    return (timezone.now() + dt.timedelta(days=days)).astimezone(ATHENS).strftime("%Y-%m-%d %H:%M")


def test_csv_dry_run_saves_nothing_then_the_import_makes_drafts_and_they_can_be_scheduled(
    seminar, user, workspace
) -> None:
    make_account(workspace, network="mastodon", name="keryx")
    access = workspace_access(user, workspace, Perm.PUBLISH_SCHEDULE)
    data = ("\ufeff" + CSV_OK.format(t1=_when(3), t2=_when(4))).encode("utf-8")
    result = csvio.posts_import(access=access, seminar=seminar, data=data, dry_run=True)
    assert (result.rows, result.created) == (2, 0)
    assert [r["row"] for r in result.preview] == [2, 3]
    assert result.preview[1]["text"] == "=Δεύτερη ανάρτηση"
    assert not Post.objects.exists()
    result = csvio.posts_import(access=access, seminar=seminar, data=data, dry_run=False)
    assert result.created == 2
    # Drafts from the composer, with their planned times: they go through review.
    assert list(Variant.objects.order_by("scheduled_at").values_list("status", "text")) == [
        (S.DRAFT, "Καλωσορίσατε στο σεμινάριο!"),
        (S.DRAFT, "=Δεύτερη ανάρτηση"),
    ]
    assert (
        Post.objects.filter(
            campaign_phase="announcement", link_url="https://keryx.example/s", status="draft"
        ).count()
        == 1
    )
    # Once approved, one click puts them on the schedule at their planned times.
    Post.objects.update(status=PostStatus.APPROVED)
    Variant.objects.update(status=S.APPROVED)
    planned = schedule.planned_schedule(access=access, seminar_id=seminar.pk)
    assert len(planned.scheduled) == 2 and planned.passed == []
    assert set(Variant.objects.values_list("status", flat=True)) == {S.SCHEDULED}


def test_csv_with_a_broken_row_is_refused_whole_with_every_problem_listed(
    seminar, user, workspace
) -> None:
    make_account(workspace, network="mastodon", name="keryx")
    access = workspace_access(user, workspace, Perm.PUBLISH_SCHEDULE)
    text = (
        "scheduled_at,account,text,link\n"
        f"{_when(3)},@keryx,Σωστή γραμμή,\n"
        "5 Δεκεμβρίου,@keryx,Λάθος ώρα,\n"
        f"{_when(4)},@nobody,,ftp://x\n"
        "2020-01-01 10:00,@keryx,Παρελθόν,\n"
    )
    for dry_run in (True, False):
        with pytest.raises(ValidationFailed) as caught:
            csvio.posts_import(access=access, seminar=seminar, data=text, dry_run=dry_run)
        assert (
            caught.value.message
            == "3 of 4 rows have problems; nothing was imported. Fix them and try again."
        )
        assert caught.value.fields == {
            "rows[3].scheduled_at": [
                "Write the date and time as 2026-12-05 10:00 (in the seminar's time zone)."
            ],
            "rows[4].account": [
                "No connected account “@nobody”. Use @handle or network:@handle of an account of this workspace."
            ],
            "rows[4].text": ["The text is empty."],
            "rows[4].link": ["The link must be a full address starting with https://."],
            "rows[5].scheduled_at": ["This time has passed. Give a time from now on."],
        }
    assert not Post.objects.exists()


def test_csv_without_the_needed_columns_or_in_another_encoding_is_refused(
    seminar, user, workspace
) -> None:
    access = workspace_access(user, workspace, Perm.PUBLISH_SCHEDULE)
    with pytest.raises(ValidationFailed) as caught:
        csvio.posts_import(access=access, seminar=seminar, data="when,text\n", dry_run=True)
    assert caught.value.fields == {"file": ["Missing columns: scheduled_at, account."]}
    with pytest.raises(ValidationFailed) as caught:
        csvio.posts_import(
            access=access, seminar=seminar, data="κείμενο".encode("iso-8859-7"), dry_run=True
        )
    assert caught.value.fields == {
        "file": ["The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."]
    }


def test_an_editor_can_import_too(seminar, workspace, member) -> None:
    make_account(workspace, network="mastodon", name="keryx")
    editor = member("editor")
    access = workspace_access(editor, workspace, Perm.PUBLISH_SCHEDULE)
    when = _when(3)
    csvio.posts_import(
        access=access,
        seminar=seminar,
        data=f"scheduled_at,account,text\n{when},@keryx,Πρόχειρο\n",
        dry_run=False,
    )
    post = Post.objects.get()
    variant = post.variants.get()
    assert (
        post.status,
        variant.status,
        variant.scheduled_at.astimezone(ATHENS).strftime("%Y-%m-%d %H:%M"),
    ) == (
        PostStatus.DRAFT,
        S.DRAFT,
        when,
    )


def test_export_is_safe_for_spreadsheets_and_imports_again(seminar, user, workspace) -> None:
    account = make_account(workspace, network="mastodon", name="keryx")
    when = (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    make_variant(
        make_post(seminar, user, text="=1+1 δεν είναι τύπος"),
        account,
        status=S.SCHEDULED,
        scheduled_at=when,
    )
    access = workspace_access(user, workspace, Perm.CONTENT_VIEW)
    from keryx.publishing.queries import CalendarFilter, calendar_variants

    rows = csvio.export_rows(
        calendar_variants(access, CalendarFilter(seminar_id=seminar.pk)), seminar
    )
    text = csvio.export_csv(rows)
    parsed = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert parsed[0]["text"] == "'=1+1 δεν είναι τύπος"
    assert parsed[0]["account"] == "mastodon:@keryx"
    assert json.loads(csvio.export_json(rows))[0]["text"] == "=1+1 δεν είναι τύπος"
    Variant.objects.all().delete()
    result = csvio.posts_import(
        access=workspace_access(user, workspace, Perm.PUBLISH_SCHEDULE),
        seminar=seminar,
        data=text,
        dry_run=False,
    )
    assert result.created == 1
    assert Variant.objects.get().text == "=1+1 δεν είναι τύπος"
    assert Variant.objects.get().scheduled_at == when
    assert Variant.objects.get().status == S.DRAFT


def test_ical_feed_lists_the_posts_at_a_secret_address_that_can_be_replaced(
    seminar, user, workspace
) -> None:
    account = make_account(workspace, network="mastodon", name="keryx")
    when = dt.datetime(2026, 12, 5, 10, 0, tzinfo=ATHENS)
    make_variant(
        make_post(seminar, user, text="Ραντεβού στις 5/12"),
        account,
        status=S.SCHEDULED,
        scheduled_at=when,
    )
    access = workspace_access(user, workspace, Perm.PUBLISH_SCHEDULE)
    feed = ical.feed_rotate(access=access, seminar=seminar)
    response = Client().get(f"/ical/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.content)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert [str(e["summary"]) for e in events] == ["Mastodon: Ραντεβού στις 5/12"]
    assert events[0].decoded("dtstart") == when
    old = feed.token
    ical.feed_rotate(access=access, seminar=seminar)
    assert Client().get(f"/ical/{old}.ics").status_code == 404
