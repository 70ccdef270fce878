"""Recommendations on known data sets: every figure worked out by hand below, each shown with
its n and period, and "not enough data yet (n=…)" when the evidence is thin (decision 0911)."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.models import MediaItem, Post, PostMedia, Variant
from keryx.insights.domain.recommendations import (
    best_time,
    recommendations_for,
    under_reached_personas,
)
from keryx.insights.models import AnalysedText
from keryx.links.models import Click, TrackedLink
from keryx.networks.models import MetricSnapshot, NetworkAccount
from keryx.registrations.models import Registration
from keryx.seminars.models import Persona

pytestmark = pytest.mark.django_db

ATHENS = zoneinfo.ZoneInfo("Europe/Athens")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
_codes = itertools.count(1)
_people = itertools.count(1)


def _account(workspace: Any, network: str) -> NetworkAccount:
    return NetworkAccount.objects.create(
        workspace=workspace, network=network, name=f"Σεμινάριο {network}", handle=f"@{network}"
    )


def _registration(seminar: Any, code: str, **extra: Any) -> Registration:
    n = next(_people)
    return Registration.objects.create(
        seminar=seminar,
        name=f"Άτομο {n}",
        email=f"person{n}@example.org",
        language="el",
        status="registered",
        last_touch_code=code,
        first_touch_code=code,
        **extra,
    )


def _published_post(
    seminar: Any,
    account: NetworkAccount,
    *,
    theme: str,
    clicks: int,
    registrations: int,
    image: MediaItem | None = None,
    day: int = 1,
) -> Post:
    post = Post.objects.create(
        workspace=seminar.workspace, seminar=seminar, theme=theme, master_text="Ελάτε!"
    )
    if image is not None:
        PostMedia.objects.create(post=post, media=image)
    variant = Variant.objects.create(
        post=post,
        account=account,
        network=account.network,
        text="Ελάτε!",
        status="published",
        published_at=dt.datetime(2026, 11, day, 9, 0, tzinfo=dt.UTC),
    )
    link = TrackedLink.objects.create(
        workspace=seminar.workspace,
        seminar=seminar,
        code=f"rec{next(_codes)}",
        destination="https://example.org/seminar",
        network=account.network,
        post=post,
        variant=variant,
    )
    for i in range(clicks):
        Click.objects.create(
            link=link,
            at=dt.datetime(2026, 11, day, 10, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=i),
            kind="human",
            visitor=f"{link.code}-{i}",
        )
    for _ in range(registrations):
        _registration(seminar, link.code)
    return post


@pytest.fixture
def campaign(workspace: Any, seminar: Any) -> Any:
    """LinkedIn: 4 practical tips with an image, 10 clicks and 3 registrations each
    (4 posts, 40 clicks, 12 registrations). X: 3 countdown posts, text only, 5 clicks each,
    one registration in all (3, 15, 1). Mastodon: 2 countdown posts, text only, 4 clicks and 1
    registration each (2, 8, 2): too few posts to compare on its own. Clicks from 1 to 9
    November 2026."""
    image = MediaItem.objects.create(
        workspace=workspace,
        name="poster.png",
        kind="image",
        mime="image/png",
        bytes=1000,
        sha256="0" * 64,
        file="content/poster.png",
    )
    linkedin, x, mastodon = (_account(workspace, n) for n in ("linkedin", "x", "mastodon"))
    for day in (1, 2, 3, 4):
        _published_post(
            seminar,
            linkedin,
            theme="practical_tip",
            clicks=10,
            registrations=3,
            image=image,
            day=day,
        )
    for day, registrations in ((5, 1), (6, 0), (7, 0)):
        _published_post(
            seminar, x, theme="countdown", clicks=5, registrations=registrations, day=day
        )
    for day in (8, 9):
        _published_post(seminar, mastodon, theme="countdown", clicks=4, registrations=1, day=day)
    return seminar


def _by_key(access: Any, seminar: Any) -> dict[str, Any]:
    return {r.key: r for r in recommendations_for(access, seminar, now=NOW)}


def test_best_network_theme_and_format_per_post_with_evidence(
    campaign: Any, user: Any, workspace: Any
) -> None:
    access = workspace_access(user, workspace, Perm.ANALYTICS_VIEW)
    found = _by_key(access, campaign)

    network = found["best_network"]
    assert network.enough is True
    assert network.advice == (
        "LinkedIn: 3.0 registrations per post (4 posts), against 0.33 for the rest."
    )
    assert network.n == 9
    assert network.period == "1 November 2026 – 9 November 2026"
    assert network.rows == [
        ["LinkedIn", 4, 40, 12, 10.0, 3.0],
        ["Mastodon", 2, 8, 2, 4.0, 1.0],
        ["X", 3, 15, 1, 5.0, 0.33],
    ]

    theme = found["theme"]
    assert theme.enough is True
    # Countdown: X's 3 and Mastodon's 2 posts, 23 clicks, 3 registrations → 0.6 a post.
    assert theme.advice == (
        "Practical tip: 3.0 registrations per post (4 posts), against 0.6 for the rest."
    )
    assert theme.rows == [
        ["Practical tip", 4, 40, 12, 10.0, 3.0],
        ["Countdown", 5, 23, 3, 4.6, 0.6],
    ]

    fmt = found["format"]
    assert fmt.advice == (
        "With images: 3.0 registrations per post (4 posts), against 0.6 for the rest."
    )
    assert [row[0] for row in fmt.rows] == ["With images", "Text only"]


def test_thin_evidence_says_not_enough_data_yet_with_its_n(
    user: Any, workspace: Any, seminar: Any
) -> None:
    linkedin, x = _account(workspace, "linkedin"), _account(workspace, "x")
    _published_post(seminar, linkedin, theme="countdown", clicks=3, registrations=1)
    _published_post(seminar, x, theme="countdown", clicks=2, registrations=0)
    access = workspace_access(user, workspace, Perm.ANALYTICS_VIEW)
    found = _by_key(access, seminar)
    for key in ("best_network", "theme", "format"):
        assert found[key].enough is False
        assert found[key].n == 2
        assert found[key].advice == "Not enough data yet (n=2 posts; at least 6 needed)."
    assert found["best_time"].enough is False
    assert found["best_time"].advice.startswith(
        "Not enough data yet (n=0 posts; at least 10 needed)."
    )
    assert found["personas"].advice == (
        "The plan has no personas yet: add them to the seminar to compare."
    )
    assert found["trending"].advice == (
        "Nothing is trending about this seminar right now (n=0 texts in the last hour)."
    )


def test_best_time_is_the_accounts_best_hour_with_its_engagement(
    user: Any, workspace: Any, seminar: Any
) -> None:
    """Six posts on Tuesdays at 10:00 Athens time with 10 % engagement, six on Fridays at
    20:00 with 2 %: the best hour is Tuesday 10:00–11:00, 10 % against 6 % on average."""
    workspace.default_time_zone = "Europe/Athens"
    workspace.save()
    account = _account(workspace, "linkedin")
    tuesday = dt.datetime(2026, 10, 6, 10, 0, tzinfo=ATHENS)
    friday = dt.datetime(2026, 10, 9, 20, 0, tzinfo=ATHENS)
    for week in range(6):
        for start, engagements in ((tuesday, 10), (friday, 2)):
            at = start + dt.timedelta(weeks=week)
            post = Post.objects.create(workspace=workspace, seminar=seminar, master_text="x")
            variant = Variant.objects.create(
                post=post,
                account=account,
                network="linkedin",
                status="published",
                published_at=at,
                remote_id=f"urn:li:share:{week}{engagements}",
            )
            # The snapshot best time reads: the first one taken once the post has settled.
            MetricSnapshot.objects.create(
                account=account,
                remote_id=variant.remote_id,
                taken_at=at + dt.timedelta(days=2),
                likes=engagements,
                impressions=100,
            )
    access = workspace_access(user, workspace, Perm.ANALYTICS_VIEW)
    found = best_time(access, seminar, now=NOW)
    assert found.enough is True
    assert found.n == 12
    assert found.rows == [["LinkedIn · @linkedin", 12, "Tuesday 10:00–11:00", 10.0, 6.0]]
    assert found.advice == (
        "Post at these times: LinkedIn · @linkedin: Tuesday 10:00–11:00 (Europe/Athens)."
    )
    assert found.period == "6 October 2026 – 13 November 2026"


def test_an_under_reached_persona_and_where_to_find_them(
    user: Any, workspace: Any, seminar: Any
) -> None:
    """30 registrants with an age band: 5 aged 25–34 (4 came through X, 1 through LinkedIn),
    25 aged 35–44 through LinkedIn. The persona "young professionals" (25–34) fits 5 of 30 =
    17 % < 20 %: under-reached; X brought 80 % of people aged 25–34."""
    codes = {}
    for network in ("x", "linkedin"):
        link = TrackedLink.objects.create(
            workspace=workspace,
            seminar=seminar,
            code=f"p{network}",
            network=network,
            destination="https://example.org/s",
        )
        codes[network] = link.code
    for network in ("x", "x", "x", "x", "linkedin"):
        _registration(seminar, codes[network], age_band="25-34")
    for _ in range(25):
        _registration(seminar, codes["linkedin"], age_band="35-44")
    Persona.objects.create(seminar=seminar, name="Νέοι επαγγελματίες", age_band="25-34")
    Persona.objects.create(seminar=seminar, name="Στελέχη", age_band="35-44")
    found = under_reached_personas(seminar)
    assert found.enough is True
    assert found.n == 30
    assert found.rows[0][:5] == ["Νέοι επαγγελματίες", 17, 5, 30, "Under-reached"]
    assert found.rows[1][:5] == ["Στελέχη", 83, 25, 30, "Reached"]
    assert found.advice == (
        "Νέοι επαγγελματίες: 5 of 30 people (17 %) fit. "
        "X brought 80 % of people aged 25–34 (5 people)."
    )


def test_trending_topics_with_their_counts(user: Any, workspace: Any, seminar: Any) -> None:
    for minute in range(4):
        AnalysedText.objects.create(
            workspace=workspace,
            seminar=seminar,
            text="Τέλειο το #ΨηφιακόΜάρκετινγκ",
            posted_at=NOW - dt.timedelta(minutes=5 + minute),
            label="positive",
            score=0.8,
            source="inbox",
            language="el",
            form="el",
            hashtags=["ψηφιακομαρκετινγκ"],
            terms=[],
        )
    access = workspace_access(user, workspace, Perm.ANALYTICS_VIEW)
    found = _by_key(access, seminar)["trending"]
    assert found.enough is True
    assert found.n == 4
    assert found.rows[0][:2] == ["#ΨηφιακόΜάρκετινγκ", 4]
    assert found.period == "25 November 2026 13:00–14:00"  # the last hour, Athens time
    assert found.advice == "Post about #ΨηφιακόΜάρκετινγκ now: each is well above its own baseline."


def test_page_and_api_show_the_evidence(
    campaign: Any, owner_client: Client, api: Client, workspace: Any
) -> None:
    page = owner_client.get(
        reverse(
            "insights:recommendations",
            kwargs={"workspace": workspace.slug, "seminar_id": campaign.pk},
        )
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "LinkedIn: 3.0 registrations per post (4 posts)" in html
    assert "n=9" in html
    body = api.get(
        f"/api/v1/workspaces/{workspace.slug}/seminars/{campaign.pk}/recommendations"
    ).json()
    keys = [r["key"] for r in body]
    assert keys == ["best_time", "best_network", "theme", "format", "personas", "trending"]
    network = body[1]
    assert network["enough"] is True and network["n"] == 9 and network["needed"] == 3
    assert network["rows"][0] == ["LinkedIn", 4, 40, 12, 10.0, 3.0]


def test_a_moderator_cannot_see_recommendations(workspace: Any, seminar: Any, member: Any) -> None:
    client = Client()
    client.force_login(member("moderator"))
    url = reverse(
        "insights:recommendations", kwargs={"workspace": workspace.slug, "seminar_id": seminar.pk}
    )
    assert client.get(url).status_code == 403


def test_enough_posts_but_too_few_clicks_says_so_in_clicks(
    user: Any, workspace: Any, seminar: Any
) -> None:
    linkedin, x = _account(workspace, "linkedin"), _account(workspace, "x")
    for day in (1, 2, 3):
        _published_post(seminar, linkedin, theme="countdown", clicks=2, registrations=0, day=day)
        _published_post(seminar, x, theme="countdown", clicks=2, registrations=0, day=day + 3)
    access = workspace_access(user, workspace, Perm.ANALYTICS_VIEW)
    found = _by_key(access, seminar)["best_network"]
    assert found.enough is False
    assert found.n == 6
    assert found.advice == "Not enough data yet (n=12 clicks; at least 30 needed)."
    assert found.rows == [["LinkedIn", 3, 6, 0, 2.0, 0.0], ["X", 3, 6, 0, 2.0, 0.0]]


def test_a_persona_with_too_few_answers_is_not_judged(user: Any, seminar: Any) -> None:
    link = TrackedLink.objects.create(
        workspace=seminar.workspace,
        seminar=seminar,
        code="few",
        network="x",
        destination="https://example.org/s",
    )
    for _ in range(3):
        _registration(seminar, link.code, age_band="25-34")
    Persona.objects.create(seminar=seminar, name="Νέοι", age_band="35-44")
    found = under_reached_personas(seminar)
    assert found.enough is False
    assert found.advice == ("Not enough data yet (n=3 people with answers; at least 10 needed).")
    assert found.rows[0][:5] == ["Νέοι", 0, 0, 3, "—"]
