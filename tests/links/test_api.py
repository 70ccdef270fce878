from __future__ import annotations

import json

import pytest
from django.test import Client

from keryx.links.models import TrackedLink
from keryx.links.redirect.recorder import RECORDER
from tests.links.conftest import BROWSER
from tests.registrations.helpers import publish, register

pytestmark = pytest.mark.django_db


def _url(workspace, seminar, tail: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/workspaces/{workspace.slug}/seminars/{seminar.pk}{tail}"


def test_create_a_link_with_the_channel_defaults(api, workspace, seminar, settings) -> None:  # type: ignore[no-untyped-def]
    response = api.post(
        _url(workspace, seminar, "/links"),
        data=json.dumps({"network": "qrcode", "label": "Αφίσα", "campaign_phase": "countdown"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    link = TrackedLink.objects.get(pk=body["id"])
    page = f"{settings.KERYX_BASE_URL}/s/{seminar.slug}/"
    assert body["short_url"] == f"{settings.KERYX_BASE_URL}/r/{link.code}"
    assert body["destination"] == page
    assert body["redirects_to"] == (
        f"{page}?utm_source=qrcode&utm_medium=print&utm_campaign={seminar.slug}_countdown"
        f"&kx={link.code}"
    )
    assert (body["human_clicks"], body["registrations"], body["post_id"]) == (0, 0, None)


def test_a_bad_destination_is_answered_with_the_field_and_what_to_do(
    api, workspace, seminar
) -> None:  # type: ignore[no-untyped-def]
    response = api.post(
        _url(workspace, seminar, "/links"),
        data=json.dumps({"destination": "ftp://example.org/file", "network": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "Some fields are not valid. Nothing was saved.",
        "fields": {
            "destination": ["Enter a full web address starting with https:// (or http://)."]
        },
    }
    assert TrackedLink.objects.count() == 0


def test_update_and_delete_a_link(api, make_link, workspace) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    url = f"/api/v1/workspaces/{workspace.slug}/links/{link.pk}"
    response = api.patch(
        url, data=json.dumps({"utm_content": "v2"}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["utm_content"] == "v2"
    assert response.json()["code"] == link.code
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    assert Client().get(f"/r/{link.code}").status_code == 404


def test_qr_code_downloads_as_png_and_svg(api, make_link, workspace) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="qrcode")
    url = f"/api/v1/workspaces/{workspace.slug}/links/{link.pk}/qr"
    png = api.get(f"{url}?format=png")
    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert png["Content-Disposition"] == f'attachment; filename="keryx-{link.code}.png"'
    svg = api.get(url)
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<?xml")
    assert api.get(f"{url}?format=gif").status_code == 422


def test_clicks_summary_and_funnel(api, make_link, user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="linkedin")
    for address in ("203.0.113.1", "203.0.113.2"):
        Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=address)
    Client().get(f"/r/{link.code}", HTTP_USER_AGENT="LinkedInBot/1.0")
    Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER, HTTP_DNT="1")
    RECORDER.flush()
    publish(seminar, user)
    register(seminar, "a@example.org", last_touch_code=link.code, first_touch_code=link.code)

    clicks = api.get(f"/api/v1/workspaces/{workspace.slug}/links/{link.pk}/clicks").json()
    assert {
        k: clicks[k]
        for k in (
            "human_clicks",
            "unique_visitors",
            "preview_clicks",
            "bot_clicks",
            "untracked_clicks",
        )
    } == {
        "human_clicks": 2,
        "unique_visitors": 2,
        "preview_clicks": 1,
        "bot_clicks": 0,
        "untracked_clicks": 1,
    }
    assert [(d["human"], d["visitors"], d["preview"], d["untracked"]) for d in clicks["days"]] == [
        (2, 2, 1, 1)
    ]
    assert clicks["agents"] == [{"kind": "preview", "agent": "linkedinbot", "clicks": 1}]

    funnel = api.get(_url(workspace, seminar, "/funnel")).json()
    assert funnel["touch"] == "last"
    assert funnel["networks"] == [
        {
            "key": "linkedin",
            "label": "LinkedIn",
            "networks": [],
            "clicks": 2,
            "visitors": 2,
            "registrations": 1,
            "confirmations": 0,
            "check_ins": 0,
            "cancellations": 0,
            "registration_rate": 50.0,
            "confirmation_rate": 0.0,
            "check_in_rate": 0.0,
        }
    ]
    assert (funnel["previews"], funnel["bots"], funnel["untracked"]) == (1, 0, 1)
    assert api.get(_url(workspace, seminar, "/funnel?touch=middle")).status_code == 422
