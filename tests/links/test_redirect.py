"""``/r/<code>`` through Django (the ASGI router's answers are compared in test_router.py)."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

import pytest
from django.test import Client

from keryx.links.models import Click
from keryx.links.redirect.recorder import RECORDER
from tests.links.conftest import BROWSER

pytestmark = pytest.mark.django_db


def test_redirect_sends_the_visitor_on_with_utm_and_the_code(make_link, seminar, settings) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="bluesky")
    response = Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    assert response["Location"] == (
        f"{settings.KERYX_BASE_URL}/s/{seminar.slug}/?utm_source=bluesky&utm_medium=social"
        f"&utm_campaign={seminar.slug}&kx={link.code}"
    )
    assert response["Cache-Control"] == "private, no-store"
    first, last = response.cookies["kx_first"], response.cookies["kx_last"]
    assert (first.value, last.value) == (link.code, link.code)
    assert (first["max-age"], first["path"], first["samesite"], first["httponly"]) == (
        2592000,
        "/",
        "Lax",
        True,
    )


def test_redirect_keeps_the_first_touch_cookie_and_moves_the_last(make_link) -> None:  # type: ignore[no-untyped-def]
    first_link, second_link = make_link(network="x"), make_link(network="facebook")
    client = Client()
    client.get(f"/r/{first_link.code}", HTTP_USER_AGENT=BROWSER)
    response = client.get(f"/r/{second_link.code}", HTTP_USER_AGENT=BROWSER)
    assert "kx_first" not in response.cookies
    assert response.cookies["kx_last"].value == second_link.code
    assert client.cookies["kx_first"].value == first_link.code


def test_permanent_link_answers_301(make_link) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x", permanent=True)
    assert Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER).status_code == 301


def test_external_destination_gets_no_code_and_no_cookies(make_link) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x", destination="https://partner.example.org/")
    response = Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    assert response["Location"] == (
        f"https://partner.example.org/?utm_source=x&utm_medium=social&utm_campaign={link.utm_campaign}"
    )
    assert not response.cookies


def test_a_person_is_recorded_anonymised_without_user_agent(make_link) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    Client().get(
        f"/r/{link.code}",
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR="203.0.113.57",
        HTTP_REFERER="https://t.co/AbCdEf",
    )
    assert Click.objects.count() == 0  # nothing written on the request path
    assert RECORDER.flush() == 1
    click = Click.objects.get()
    assert (click.link_id, click.kind, click.agent, click.ip, click.user_agent, click.referrer) == (
        link.pk,
        "human",
        "",
        "203.0.113.0",
        "",
        "t.co",
    )
    assert len(click.visitor) == 32
    assert abs(click.at - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=30)


def test_the_same_visitor_on_the_same_day_is_one_unique_visitor(make_link) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    for address in ("203.0.113.57", "203.0.113.57", "198.51.100.4"):
        Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=address)
    RECORDER.flush()
    assert Click.objects.filter(kind="human").count() == 3
    assert Click.objects.values("visitor").distinct().count() == 2


def test_a_preview_fetcher_is_flagged_not_counted_as_a_person(make_link) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="mastodon")
    response = Client().get(
        f"/r/{link.code}",
        HTTP_USER_AGENT="http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.social/)",
    )
    assert response.status_code == 302  # it still gets the page, to draw its card
    Client().head(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    RECORDER.flush()
    assert sorted(Click.objects.values_list("kind", "agent", "user_agent")) == [
        ("bot", "head", BROWSER),
        ("preview", "mastodon", "http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.social/)"),
    ]


@pytest.mark.parametrize(
    ("headers", "query"),
    [({"HTTP_DNT": "1"}, ""), ({"HTTP_SEC_GPC": "1"}, ""), ({}, "?kx_notrack=1")],
)
def test_do_not_track_redirects_and_only_counts(
    make_link, seminar, settings, headers, query
) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    response = Client().get(f"/r/{link.code}{query}", HTTP_USER_AGENT=BROWSER, **headers)
    assert response.status_code == 302
    assert "kx=" not in response["Location"]
    assert not response.cookies
    RECORDER.flush()
    click = Click.objects.get()
    assert (click.kind, click.visitor, click.ip, click.user_agent, click.referrer) == (
        "anonymous",
        "",
        None,
        "",
        "",
    )
    # Only the day: kept as noon of the seminar's day.
    local = click.at.astimezone(zoneinfo.ZoneInfo(seminar.time_zone))
    assert (local.hour, local.minute, local.second) == (12, 0, 0)


@pytest.mark.parametrize("code", ["zzzzzzz", "x' OR 1=1", "abc", "%F0%9F%98%80", "a" * 80])
def test_an_unknown_or_forged_code_gets_the_friendly_page_and_counts_nothing(
    make_link, code: str
) -> None:  # type: ignore[no-untyped-def]
    make_link(network="x")
    response = Client().get(f"/r/{code}", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 404
    assert "This link does not exist" in response.content.decode()
    assert RECORDER.pending() == 0


def test_the_not_found_page_speaks_greek(make_link) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/r/zzzzzzz", HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 404
    assert "Αυτός ο σύνδεσμος δεν υπάρχει" in response.content.decode()


def test_someone_guessing_codes_is_slowed_down(make_link) -> None:  # type: ignore[no-untyped-def]
    # A fresh /24 (the counter is per anonymised address): the count lives in the cache,
    # which in the Redis run outlives this test and is shared with any earlier run.
    block = secrets.randbelow(65536)
    client = Client(REMOTE_ADDR=f"10.{block >> 8}.{block & 255}.9")
    statuses = [client.get(f"/r/guess{n:03d}").status_code for n in range(62)]
    assert statuses[:60] == [404] * 60
    assert statuses[60:] == [429, 429]
    assert 1 <= int(client.get("/r/guess999")["Retry-After"]) <= 601
