"""Probe finding 7: bad input answers 4xx with the API's error shape, never 500."""

from __future__ import annotations

import json

import pytest

from keryx.accounts.models import Workspace
from keryx.content.models import Post, Template
from keryx.seminars.models import Persona

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def _send(api, method: str, url: str, body: object):  # type: ignore[no-untyped-def]
    return getattr(api, method)(url, json.dumps(body), content_type="application/json")


def _error(response, status: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content[:300]
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "fields"}
    return error


def test_template_theme_null_is_422(api, workspace) -> None:  # type: ignore[no-untyped-def]
    template = Template.objects.create(workspace=workspace, name="Αντίστροφη", body="Καλή αρχή!")
    url = f"{V1}/workspaces/{workspace.slug}/templates/{template.pk}"
    error = _error(_send(api, "patch", url, {"theme": None}), 422)
    assert error["fields"] == {"theme": ["This field cannot be null."]}
    template.refresh_from_db()
    assert template.theme == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Ομάδα", "default_language": "zz"}, "default_language"),
        ({"name": "Ομάδα", "slug": "!!!"}, "slug"),
        ({"name": "Ομάδα", "default_time_zone": "Mars/Base"}, "default_time_zone"),
    ],
)
def test_workspace_create_with_bad_fields_is_422(api, body, field) -> None:  # type: ignore[no-untyped-def]
    before = Workspace.objects.count()
    error = _error(_send(api, "post", f"{V1}/workspaces", body), 422)
    assert field in error["fields"]  # type: ignore[operator]
    assert Workspace.objects.count() == before


def test_workspace_time_zone_mars_is_refused_on_update(api, workspace) -> None:  # type: ignore[no-untyped-def]
    url = f"{V1}/workspaces/{workspace.slug}"
    error = _error(_send(api, "patch", url, {"default_time_zone": "Mars/Base"}), 422)
    assert list(error["fields"]) == ["default_time_zone"]  # type: ignore[arg-type]
    workspace.refresh_from_db()
    assert workspace.default_time_zone == "Europe/Athens"


@pytest.mark.parametrize("url", ["https://intranet/hook", "https://localhost.:8299/"])
def test_webhook_urls_that_are_not_public_addresses_are_422(api, workspace, url) -> None:  # type: ignore[no-untyped-def]
    body = {"network": "webhook", "name": "Ομάδα", "url": url, "secret": "s" * 24}
    response = _send(api, "post", f"{V1}/workspaces/{workspace.slug}/network-accounts", body)
    error = _error(response, 422)
    assert error["fields"] == {"base_url": ["Enter a valid URL."]}


def test_a_json_body_over_10_mib_is_413(api) -> None:  # type: ignore[no-untyped-def]
    response = _send(api, "post", f"{V1}/workspaces", {"name": "x" * (10 * 1024 * 1024 + 10)})
    error = _error(response, 413)
    assert error["code"] == "too_large"


def test_nul_characters_are_refused_in_every_text(api, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    ws = f"{V1}/workspaces/{workspace.slug}"
    cases = [
        ("post", f"{ws}/seminars/{seminar.pk}/personas", {"name": "Ελ\u0000ένη"}, "name"),
        ("post", f"{ws}/templates", {"name": "Τ", "body": "a\u0000b"}, "body"),
        ("post", f"{ws}/hashtag-sets", {"name": "x\u0000", "hashtags": ["#a"]}, "name"),
        ("post", f"{ws}/keyword-lists", {"name": "k", "keywords": ["a\u0000"]}, "keywords[0]"),
        (
            "post",
            f"{ws}/posts",
            {"seminar_id": seminar.pk, "account_ids": [], "master_text": "a\u0000"},
            "master_text",
        ),
        ("patch", f"{ws}/seminars/{seminar.pk}", {"title": "T\u0000"}, "title"),
    ]
    for method, url, body, field in cases:
        error = _error(_send(api, method, url, body), 422)
        assert error["fields"] == {field: ["Remove the NUL character (\\u0000) from this text."]}
    assert not Persona.objects.filter(seminar=seminar).exists()
    assert not Post.objects.exists()
