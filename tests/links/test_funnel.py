"""post → click → registration → check-in, per network and per post."""

from __future__ import annotations

import pytest
from django.test import Client

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.models import Post
from keryx.links.attribution import touches_of
from keryx.links.funnel import funnel_of
from keryx.links.models import TrackedLink
from keryx.links.queries import links_of
from keryx.links.redirect.recorder import RECORDER
from keryx.registrations.domain.checkin import registration_check_in
from keryx.registrations.domain.registrations import registration_cancel, registration_confirm
from keryx.registrations.domain.tokens import confirm_token_make
from tests.links.conftest import BROWSER
from tests.registrations.helpers import publish, register

pytestmark = pytest.mark.django_db


def _click(link: TrackedLink, address: str, agent: str = BROWSER) -> None:
    Client().get(f"/r/{link.code}", HTTP_USER_AGENT=agent, REMOTE_ADDR=address)


@pytest.fixture
def campaign(make_link, user, workspace, seminar):  # type: ignore[no-untyped-def]
    """Two posts: post A shared on X and Bluesky, post B on Facebook; a poster's QR code."""
    publish(seminar, user)
    post_a = Post.objects.create(workspace=workspace, seminar=seminar, master_text="Έρχεται!")
    post_b = Post.objects.create(workspace=workspace, seminar=seminar, master_text="Ομιλητές")
    links = {
        "x": make_link(network="x"),
        "bluesky": make_link(network="bluesky"),
        "facebook": make_link(network="facebook"),
        "qrcode": make_link(network="qrcode", label="Αφίσα"),
    }
    TrackedLink.objects.filter(pk__in=[links["x"].pk, links["bluesky"].pk]).update(post=post_a)
    TrackedLink.objects.filter(pk=links["facebook"].pk).update(post=post_b)
    # X: three people, one of them twice; a preview fetcher. Bluesky: one person, Cardyb.
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.3"):
        _click(links["x"], address)
    _click(links["x"], "198.51.100.1", "Twitterbot/1.0")
    _click(links["bluesky"], "203.0.113.4")
    _click(links["bluesky"], "198.51.100.2", "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1)")
    _click(links["facebook"], "203.0.113.5")
    RECORDER.flush()
    access = workspace_access(user, workspace, Perm.REGISTRATIONS_CHECKIN)
    # Registrations: two from X (one confirmed and checked in), one first from Bluesky then X,
    # one cancelled from Facebook, one with no link at all.
    one = register(
        seminar,
        "one@example.org",
        first_touch_code=links["x"].code,
        last_touch_code=links["x"].code,
    )
    registration_confirm(token=confirm_token_make(one.public_id), seminar=seminar)
    registration_check_in(access=access, registration=one)
    register(
        seminar,
        "two@example.org",
        first_touch_code=links["x"].code,
        last_touch_code=links["x"].code,
    )
    register(
        seminar,
        "three@example.org",
        first_touch_code=links["bluesky"].code,
        last_touch_code=links["x"].code,
    )
    four = register(
        seminar,
        "four@example.org",
        first_touch_code=links["facebook"].code,
        last_touch_code=links["facebook"].code,
    )
    registration_cancel(
        access=workspace_access(user, workspace, Perm.REGISTRATIONS_MANAGE), registration=four
    )
    register(seminar, "five@example.org")
    return {"links": links, "post_a": post_a, "post_b": post_b}


def _row(rows, key):  # type: ignore[no-untyped-def]
    found = [r for r in rows if r.key == key]
    assert len(found) == 1, [r.key for r in rows]
    return found[0]


def _numbers(row):  # type: ignore[no-untyped-def]
    return (
        row.clicks,
        row.visitors,
        row.registrations,
        row.confirmations,
        row.check_ins,
        row.cancellations,
    )


def test_funnel_per_network_counts_people_and_credits_the_last_touch(
    campaign, user, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    funnel = funnel_of(workspace_access(user, workspace), seminar)
    assert [r.key for r in funnel.networks] == ["facebook", "x", "bluesky", "none"]
    assert _numbers(_row(funnel.networks, "x")) == (4, 3, 3, 1, 1, 0)
    assert _numbers(_row(funnel.networks, "bluesky")) == (1, 1, 0, 0, 0, 0)
    assert _numbers(_row(funnel.networks, "facebook")) == (1, 1, 1, 0, 0, 1)
    assert _numbers(_row(funnel.networks, "none")) == (0, 0, 1, 0, 0, 0)
    assert _row(funnel.networks, "x").registration_rate == 100.0
    assert _row(funnel.networks, "x").check_in_rate == 33.3
    assert _numbers(funnel.total) == (6, 5, 5, 1, 1, 1)
    assert (funnel.previews, funnel.bots, funnel.untracked) == (2, 0, 0)


def test_funnel_per_post_adds_up_the_post_variants(campaign, user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    funnel = funnel_of(workspace_access(user, workspace), seminar)
    post_a = _row(funnel.posts, str(campaign["post_a"].pk))
    assert _numbers(post_a) == (5, 4, 3, 1, 1, 0)
    assert post_a.label == "Έρχεται!"
    assert post_a.networks == ["bluesky", "x"]
    assert _numbers(_row(funnel.posts, str(campaign["post_b"].pk))) == (1, 1, 1, 0, 0, 1)
    assert funnel.posts[0].key == str(campaign["post_a"].pk)


def test_funnel_first_touch_credits_the_link_that_came_first(
    campaign, user, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    funnel = funnel_of(workspace_access(user, workspace), seminar, touch="first")
    assert _row(funnel.networks, "x").registrations == 2
    assert _row(funnel.networks, "bluesky").registrations == 1


def test_funnel_chart_has_one_group_per_network(campaign, user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    chart = funnel_of(workspace_access(user, workspace), seminar).chart()
    assert chart["labels"] == ["Facebook", "X", "Bluesky"]
    assert [d["key"] for d in chart["datasets"]] == [
        "clicks",
        "visitors",
        "registrations",
        "confirmations",
        "check_ins",
    ]
    assert chart["datasets"][0]["data"] == [1, 4, 1]


def test_link_list_counts_clicks_and_registrations_per_link(
    campaign, user, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    rows = {link.network: link for link in links_of(workspace_access(user, workspace), seminar)}
    x = rows["x"]
    assert (x.human_clicks, x.unique_visitors, x.preview_clicks, x.registrations, x.check_ins) == (
        4,
        3,
        1,
        3,
        1,
    )
    assert (rows["qrcode"].human_clicks, rows["qrcode"].registrations) == (0, 0)


def test_touches_of_a_registration_resolve_to_link_network_post_and_campaign(
    campaign, seminar
) -> None:  # type: ignore[no-untyped-def]
    from keryx.registrations.models import Registration

    first, last = touches_of(Registration.objects.get(email="three@example.org"))
    assert first is not None and last is not None
    assert (first.network, first.post_id) == ("bluesky", campaign["post_a"].pk)
    assert (last.link, last.network, last.campaign) == (campaign["links"]["x"], "x", seminar.slug)
    assert touches_of(Registration.objects.get(email="five@example.org")) == (None, None)


def test_a_code_of_another_workspace_credits_nothing(make_link, user, seminar) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_seminar, make_user, make_workspace

    stranger = make_user("stranger@example.org")
    other = make_seminar(make_workspace(stranger, "Other"), stranger)
    foreign = make_link(network="x")
    publish(other, stranger)
    registration = register(other, "a@example.org", last_touch_code=foreign.code)
    assert touches_of(registration)[1].link is None  # type: ignore[union-attr]
