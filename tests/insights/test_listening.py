"""Listening in the app: stored analysed texts, trends against their own baseline, keyword
suggestions, crisis alerts (in the app, by e-mail, to a webhook) and crisis mode."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
import respx
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from keryx.accounts.roles import Role
from keryx.content.enums import PostStatus, VariantStatus
from keryx.content.models import Post
from keryx.insights.domain.alerts import alerts_scan
from keryx.insights.domain.texts import text_record
from keryx.insights.domain.trends import trending
from keryx.insights.enums import AlertKind, Source
from keryx.insights.models import AnalysedText, CrisisAlert, ListeningSettings
from keryx.notifications.models import Notification
from keryx.publishing.domain.claim import active_pause
from tests.factories import make_member
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 14, 12, 0, tzinfo=dt.UTC)
HOOK = "https://hooks.slack.com/services/T000/B000/XXXX"


def record(workspace, text: str, at: dt.datetime, **extra) -> AnalysedText:  # type: ignore[no-untyped-def]
    return text_record(workspace=workspace, text=text, posted_at=at, network="x", **extra)


def test_text_record_analyses_once_per_network_id(workspace, seminar) -> None:
    first = record(
        workspace, "Τέλειο #Σεμινάριο2026 για βίντεο!", NOW, external_id="1", seminar=seminar
    )
    again = record(workspace, "something else", NOW, external_id="1")
    assert again.pk == first.pk
    assert AnalysedText.objects.count() == 1
    assert (first.label, first.language, first.form) == ("positive", "el", "el")
    assert first.hashtags == ["σεμιναριο2026"]
    assert first.source == Source.INBOX


def test_hashtags_match_across_case_and_accents(workspace) -> None:
    for tag in ("#Σεμινάριο", "#σεμιναριο", "#ΣΕΜΙΝΑΡΙΟ"):
        row = record(workspace, f"Καλημέρα {tag}", NOW)
        assert row.hashtags == ["σεμιναριο"]


def test_trending_compares_each_key_with_its_own_baseline(workspace) -> None:
    # "#keryx" is always busy (6 an hour for a week); "#reels" is usually quiet (1 a day).
    for hour in range(1, 24 * 7):
        at = NOW - dt.timedelta(hours=hour, minutes=30)
        for i in range(6):
            record(workspace, f"Νέα από το #keryx {i}", at)
        if hour % 24 == 0:
            record(workspace, "Μιλάμε για #reels", at)
    for i in range(6):
        record(workspace, f"#keryx ενημέρωση {i}", NOW - dt.timedelta(minutes=10 + i))
        record(workspace, f"Φοβερό το #Reels! {i}", NOW - dt.timedelta(minutes=5 + i))
    found = trending(AnalysedText.objects.filter(workspace=workspace), now=NOW)
    hashtags = [t for t in found if t.kind == "hashtag"]
    assert [t.label for t in hashtags] == ["#Reels"]
    reels = hashtags[0]
    assert (reels.count, reels.expected) == (6, round((6 + 1) / 168, 2))  # 6 in the past week
    assert reels.positive == 6


def test_keywords_api_suggests_from_the_description_and_what_is_trending(
    api, workspace, seminar
) -> None:
    seminar.description = (
        "Στρατηγική περιεχομένου για μικρές επιχειρήσεις: βίντεο μικρής διάρκειας, "
        "αναλυτικά στοιχεία και διαφήμιση στα κοινωνικά δίκτυα."
    )
    seminar.save()
    now = timezone.now()
    for i in range(5):
        record(
            workspace, f"Τέλειο το #workshop! {i}", now - dt.timedelta(minutes=i), seminar=seminar
        )
    url = f"/api/v1/workspaces/{workspace.slug}/seminars/{seminar.pk}/keywords"
    response = api.get(url)
    assert response.status_code == 200
    body = response.json()
    texts = [k["text"] for k in body]
    assert "στρατηγική περιεχομένου" in [t.casefold() for t in texts]
    assert {"text": "#workshop", "source": "trending"}.items() <= next(
        k for k in body if k["source"] == "trending"
    ).items()


def test_sentiment_api_labels_texts(api, workspace) -> None:
    response = api.post(
        f"/api/v1/workspaces/{workspace.slug}/insights/sentiment",
        data=json.dumps({"texts": ["poli kalo!", "The link does not work"]}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [(r["label"], r["language"], r["form"]) for r in response.json()] == [
        ("positive", "el", "greeklish"),
        ("negative", "en", "en"),
    ]


def _quiet_morning(workspace, until: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    """Two hours of a question every ten minutes: the history a baseline is learnt from."""
    for minute in range(0, 120, 10):
        record(workspace, "Τι ώρα ξεκινάει;", until - dt.timedelta(minutes=120 - minute))


def _negative_surge(workspace, start: dt.datetime, minutes: int = 20) -> None:  # type: ignore[no-untyped-def]
    _quiet_morning(workspace, start)
    for minute in range(minutes):
        for second in (0, 20, 40):
            record(
                workspace,
                "Απαράδεκτο, ακύρωσαν την ομιλία χωρίς ενημέρωση",
                start + dt.timedelta(minutes=minute, seconds=second),
            )


@respx.mock
def test_a_crisis_is_one_alert_in_app_by_email_and_to_the_webhook(
    workspace, user, django_capture_on_commit_callbacks
) -> None:
    moderator = make_member(workspace, Role.MODERATOR, email="mod@example.org")
    make_member(workspace, Role.VIEWER, email="viewer@example.org")
    ListeningSettings.objects.create(workspace=workspace, webhook_url=HOOK)
    hook = respx.post(HOOK).mock(return_value=httpx.Response(200, text="ok"))
    start = NOW - dt.timedelta(minutes=30)
    _negative_surge(workspace, start)
    with django_capture_on_commit_callbacks(execute=True):
        raised = alerts_scan(workspace, now=NOW)
    assert [a.kind for a in raised] == [AlertKind.CRISIS]
    alert = raised[0]
    assert start <= alert.detected_at <= start + dt.timedelta(minutes=30)
    assert alert.negative_share == 1.0
    notes = Notification.objects.filter(kind="insights.crisis")
    assert sorted(n.recipient.email for n in notes) == sorted([user.email, moderator.email])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([user.email, moderator.email])
    assert hook.call_count == 1
    payload = json.loads(hook.calls[0].request.content)
    assert workspace.default_language == "el"  # the webhook speaks the workspace's language
    assert payload["kind"] == "crisis"
    assert payload["text"].startswith("Πιθανή κρίση: 20 αναφορές, 100% αρνητικές\n")
    alert.refresh_from_db()
    assert alert.webhook_status == "200"
    # The next scans find the same surge: still one alert.
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_scan(workspace, now=NOW + dt.timedelta(minutes=1)) == []
        assert alerts_scan(workspace, now=NOW + dt.timedelta(minutes=5)) == []
    assert CrisisAlert.objects.count() == 1
    assert hook.call_count == 1


def test_a_positive_spike_is_a_spike_not_a_crisis(workspace) -> None:
    start = NOW - dt.timedelta(minutes=20)
    _quiet_morning(workspace, start)
    for minute in range(20):
        for second in (0, 20, 40):
            record(
                workspace,
                "Καταπληκτική ομιλία! 👏",
                start + dt.timedelta(minutes=minute, seconds=second),
            )
    raised = alerts_scan(workspace, now=NOW)
    assert [a.kind for a in raised] == [AlertKind.SPIKE]
    assert Notification.objects.filter(kind="insights.spike").count() == 1


def test_crisis_mode_one_click_pauses_scheduled_posts_and_the_holding_statement_waits(
    owner_client, workspace, seminar, user
) -> None:
    account = make_account(workspace, network="mastodon", base_url="https://mastodon.example")
    scheduled = make_variant(
        make_post(seminar, user, text="Αύριο στις 10!"),
        account,
        status=VariantStatus.SCHEDULED,
        scheduled_at=timezone.now() + dt.timedelta(hours=1),
    )
    _negative_surge(workspace, timezone.now() - dt.timedelta(minutes=20))
    alert = alerts_scan(workspace)[0]
    page = owner_client.get(
        reverse("insights:alert", kwargs={"workspace": workspace.slug, "alert_id": alert.pk})
    )
    assert b'id="crisis-mode"' in page.content
    response = owner_client.post(
        reverse("insights:crisis_mode", kwargs={"workspace": workspace.slug, "alert_id": alert.pk})
    )
    assert response.status_code == 302
    pause = active_pause(workspace.pk, seminar.pk)
    assert pause is not None
    assert pause.reason == "Λειτουργία κρίσης: 20 αναφορές, 100% αρνητικές"
    alert.refresh_from_db()
    holding = Post.objects.get(pk=alert.holding_post_id)
    assert holding.status == PostStatus.IN_REVIEW
    assert (
        "Γνωρίζουμε τα σχόλιά σας" in holding.master_text or "We have seen" in holding.master_text
    )
    assert list(holding.variants.values_list("status", flat=True)) == [VariantStatus.IN_REVIEW]
    scheduled.refresh_from_db()
    assert scheduled.status == VariantStatus.SCHEDULED  # held at publish time, not dropped
    page = owner_client.get(
        reverse("insights:alert", kwargs={"workspace": workspace.slug, "alert_id": alert.pk})
    )
    assert b'id="crisis-mode"' not in page.content
    assert "Holding statement sent for approval" in page.content.decode()
    # A second click changes nothing.
    owner_client.post(
        reverse("insights:crisis_mode", kwargs={"workspace": workspace.slug, "alert_id": alert.pk})
    )
    assert Post.objects.filter(master_text=holding.master_text).count() == 1


def test_trending_page_shows_trends_and_topics_with_evidence(owner_client, workspace) -> None:
    now = timezone.now()
    for i in range(5):
        record(workspace, f"Φοβερό το #Reels workshop! {i}", now - dt.timedelta(minutes=i))
    page = owner_client.get(reverse("insights:trending", kwargs={"workspace": workspace.slug}))
    assert page.status_code == 200
    body = page.content.decode()
    assert "#Reels" in body
    assert "Evidence: 5 texts in the last hour" in body


def test_viewer_cannot_start_crisis_mode_and_outsiders_see_nothing(client, workspace) -> None:  # type: ignore[no-untyped-def]
    viewer = make_member(workspace, Role.VIEWER, email="v@example.org")
    _negative_surge(workspace, timezone.now() - dt.timedelta(minutes=20))
    alert = alerts_scan(workspace)[0]
    client.force_login(viewer)
    url = reverse(
        "insights:crisis_mode", kwargs={"workspace": workspace.slug, "alert_id": alert.pk}
    )
    assert client.post(url).status_code == 403
    alert.refresh_from_db()
    assert alert.crisis_mode_at is None


def test_alert_settings_accept_a_public_https_webhook_only(owner_client, workspace) -> None:
    url = reverse("insights:settings", kwargs={"workspace": workspace.slug})
    response = owner_client.post(url, {"webhook_url": "http://localhost:8008/hook"})
    assert response.status_code == 200
    assert not ListeningSettings.objects.filter(workspace=workspace).exists()
    response = owner_client.post(url, {"webhook_url": HOOK, "alert_spikes": ""})
    assert response.status_code == 302
    saved = ListeningSettings.objects.get(workspace=workspace)
    assert (saved.webhook_url, saved.alert_spikes) == (HOOK, False)


def test_erasing_a_handle_blanks_author_and_words_but_keeps_the_counts(workspace) -> None:
    from keryx.core.personal_data import Subject, kinds

    record(workspace, "Χάλια ο ήχος", NOW, author_handle="@maria", external_id="9")
    record(workspace, "Τέλειο!", NOW, author_handle="@nikos")
    kind = next(k for k in kinds() if k.key == "insights.analysedtext")
    found = kind.find(Subject(network_handles=("maria",)))
    assert [t.text for t in found] == ["Χάλια ο ήχος"]
    assert kind.erase(found) == 1
    rows = sorted(AnalysedText.objects.values_list("author_handle", "text", "label"))
    assert rows == [("", "", "negative"), ("@nikos", "Τέλειο!", "positive")]


def test_demo_listening_has_a_rising_hashtag(workspace, seminar) -> None:
    from keryx.insights.domain.demo import demo_listening

    now = timezone.now()
    stored = demo_listening(seminar, now=now)
    assert AnalysedText.objects.filter(seminar=seminar).count() == stored
    found = trending(AnalysedText.objects.filter(workspace=workspace), now=now)
    assert found[0].kind == "hashtag" and found[0].key == "reelsworkshop"
    assert found[0].count == 14
