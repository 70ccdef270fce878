"""The content API: the same validation results as the CLI, bad input answered clearly."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from keryx.networks.rules import check_text
from tests.content.conftest import image_bytes
from tests.factories import make_token

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: object) -> object:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_check_returns_what_the_cli_prints_plus_the_unit(api, workspace) -> None:  # type: ignore[no-untyped-def]
    text = "Έλα στο #Σεμινάριο2026, 12 Δεκεμβρίου!"
    response = _post(
        api,
        f"/api/v1/workspaces/{workspace.slug}/compose/check",
        {"network": "bluesky", "text": text},
    )
    assert response.status_code == 200
    assert response.json() == {**check_text("bluesky", text).as_dict(), "unit": "graphemes"}


def test_check_counts_a_link_as_the_tracked_link_it_becomes(api, workspace, settings) -> None:  # type: ignore[no-untyped-def]
    response = _post(
        api,
        f"/api/v1/workspaces/{workspace.slug}/compose/check",
        {"network": "bluesky", "text": "Έλα στο #Σεμινάριο2026 https://example.org/smm"},
    )
    tracked = f"{settings.KERYX_BASE_URL}/r/0000000"  # the code is made when the post is saved
    published = f"Έλα στο #Σεμινάριο2026 {tracked}"
    assert response.json() == {**check_text("bluesky", published).as_dict(), "unit": "graphemes"}
    assert response.json()["length"] == 23 + len(tracked)
    assert response.json()["facets"][1] == {
        "type": "link",
        "value": tracked,
        "byteStart": len("Έλα στο #Σεμινάριο2026 ".encode()),
        "byteEnd": len(published.encode()),
    }


def test_check_with_an_account_uses_its_mastodon_instance_limit(api, workspace, accounts) -> None:  # type: ignore[no-untyped-def]
    account = accounts["mastodon"]
    account.server_limits = {"max_characters": 1000}
    account.save()
    response = _post(
        api,
        f"/api/v1/workspaces/{workspace.slug}/compose/check",
        {"account_id": account.pk, "text": "μ" * 700},
    )
    assert (response.json()["limit"], response.json()["valid"]) == (1000, True)


def test_check_an_unknown_network_is_a_clear_error(api, workspace) -> None:  # type: ignore[no-untyped-def]
    response = _post(
        api,
        f"/api/v1/workspaces/{workspace.slug}/compose/check",
        {"network": "myspace", "text": "x"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "network": [
            "Choose one of: facebook, instagram, linkedin, x, threads, mastodon, bluesky, webhook."
        ]
    }


def test_post_create_returns_each_variant_with_its_check(api, workspace, seminar, accounts) -> None:  # type: ignore[no-untyped-def]
    response = _post(
        api,
        f"/api/v1/workspaces/{workspace.slug}/posts",
        {
            "seminar_id": seminar.pk,
            "master_text": "α" * 290,
            "account_ids": [accounts["x"].pk, accounts["bluesky"].pk],
        },
    )
    assert response.status_code == 201
    body = response.json()
    checks = {v["network"]: v["check"] for v in body["variants"]}
    assert (checks["x"]["valid"], checks["x"]["length"], checks["x"]["errors"][0]["code"]) == (
        False,
        290,
        "text.too_long",
    )
    assert checks["bluesky"]["valid"] is True
    assert body["valid"] is False
    assert body["master_text"] == "α" * 290  # an over-long text is kept, not refused


def test_submit_with_a_broken_variant_says_which_rule(api, workspace, seminar, accounts) -> None:  # type: ignore[no-untyped-def]
    created = _post(
        api,
        f"/api/v1/workspaces/{workspace.slug}/posts",
        {"seminar_id": seminar.pk, "master_text": "α" * 290, "account_ids": [accounts["x"].pk]},
    ).json()
    response = api.post(f"/api/v1/workspaces/{workspace.slug}/posts/{created['id']}/submit")
    assert response.status_code == 422
    error = response.json()["error"]
    variant_id = created["variants"][0]["id"]
    assert error["fields"] == {
        f"variants.{variant_id}": [
            "X: X counts this post as 290 of 280 characters. Shorten it by 10 characters."
        ]
    }


def test_media_upload_as_multipart_and_its_network_problems(api, workspace) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("wide.jpg", image_bytes(1600, 600), content_type="image/jpeg")
    response = api.post(
        f"/api/v1/workspaces/{workspace.slug}/media", {"file": upload, "alt_text": "Πανό"}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["mime"], body["width"], body["height"]) == (
        "image",
        "image/jpeg",
        1600,
        600,
    )
    instagram = next(n for n in body["networks"] if n["network"] == "instagram")
    assert [p["code"] for p in instagram["errors"]] == ["media.image_too_wide"]
    assert instagram["fixable"] is True
    fixed = _post(
        api, f"/api/v1/workspaces/{workspace.slug}/media/{body['id']}/fix", {"network": "instagram"}
    )
    assert fixed.status_code == 201
    assert (fixed.json()["width"], fixed.json()["height"], fixed.json()["original_id"]) == (
        1146,
        600,
        body["id"],
    )


def test_media_upload_of_a_broken_file_names_the_rule(api, workspace) -> None:  # type: ignore[no-untyped-def]
    response = _post(
        api,
        f"/api/v1/workspaces/{workspace.slug}/media",
        {
            "filename": "photo.jpg",
            "content_base64": base64.b64encode(image_bytes(800, 600)[:900]).decode(),
        },
    )
    assert response.status_code == 422
    message = response.json()["error"]["fields"]["file"][0]
    assert message.startswith("The image file is damaged or incomplete")


def test_template_render_fills_greek_dates(api, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    created = _post(
        api,
        f"/api/v1/workspaces/{workspace.slug}/templates",
        {
            "name": "Ημερομηνία",
            "body": "Το {seminar.title} γίνεται {seminar.date} στις {seminar.time} ({speaker.name}).",
        },
    ).json()
    rendered = _post(
        api,
        f"/api/v1/workspaces/{workspace.slug}/templates/{created['id']}/render",
        {"seminar_id": seminar.pk},
    ).json()
    assert rendered == {
        "text": "Το Σεμινάριο Διαχείρισης Social Media 2026 γίνεται Σάββατο 12 Δεκεμβρίου 2026 στις 09:30 ({speaker.name}).",
        "missing": ["speaker.name"],
    }


def test_template_with_an_unknown_placeholder_is_refused(api, workspace) -> None:  # type: ignore[no-untyped-def]
    response = _post(
        api,
        f"/api/v1/workspaces/{workspace.slug}/templates",
        {"name": "Λάθος", "body": "Έλα στο {seminar.titel}"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["body"][0].startswith(
        "Unknown placeholder {seminar.titel}."
    )


def test_viewer_reads_posts_but_cannot_write(workspace, seminar, accounts, member) -> None:  # type: ignore[no-untyped-def]
    viewer = member("viewer")
    client = Client(headers={"Authorization": f"Bearer {make_token(viewer)}"})
    assert client.get(f"/api/v1/workspaces/{workspace.slug}/posts").status_code == 200
    response = _post(
        client,
        f"/api/v1/workspaces/{workspace.slug}/posts",
        {"seminar_id": seminar.pk, "master_text": "x", "account_ids": [accounts["x"].pk]},
    )
    assert response.status_code == 403


def test_template_render_in_english_uses_the_translation_and_registration_page(
    api, workspace, seminar, settings
) -> None:  # type: ignore[no-untyped-def]
    from keryx.seminars.models import SeminarTranslation

    SeminarTranslation.objects.create(
        seminar=seminar, language="en", title="Social Media Seminar 2026"
    )
    created = _post(
        api,
        f"/api/v1/workspaces/{workspace.slug}/templates",
        {
            "name": "EN",
            "language": "en",
            "body": "{seminar.title}, {seminar.date}: {registration_link}",
        },
    ).json()
    rendered = _post(
        api,
        f"/api/v1/workspaces/{workspace.slug}/templates/{created['id']}/render",
        {"seminar_id": seminar.pk},
    ).json()
    assert rendered == {
        "text": f"Social Media Seminar 2026, Saturday 12 December 2026: {settings.KERYX_BASE_URL}/s/{seminar.slug}/",
        "missing": [],
    }


def test_hashtag_set_keeps_one_spelling_of_a_tag_and_refuses_non_tags(api, workspace) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/workspaces/{workspace.slug}/hashtag-sets"
    created = _post(
        api, url, {"name": "Σεμινάριο", "hashtags": ["Σεμινάριο2026", "#σεμιναριο2026", "#SMM"]}
    )
    assert created.status_code == 201
    assert created.json()["hashtags"] == ["#Σεμινάριο2026", "#SMM"]
    refused = _post(api, url, {"name": "Λάθος", "hashtags": ["#2026"]})
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"]["hashtags"] == [
        "“#2026” is not a hashtag: use letters (any script), digits and _ only, with at least one letter."
    ]


def test_check_counts_the_link_card_where_the_network_puts_it_in_the_text(
    api, workspace, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_BASE_URL = "https://keryx.example.org"  # a host X counts as a URL
    url = f"/api/v1/workspaces/{workspace.slug}/compose/check"
    text = "α" * 270
    alone = _post(api, url, {"network": "x", "text": text}).json()
    with_card = _post(api, url, {"network": "x", "text": text, "link_url": "https://example.org"})
    assert (alone["valid"], alone["length"]) == (True, 270)
    # X has no card field: the link goes into the text and counts 23 (+ the newline).
    assert (with_card.json()["valid"], with_card.json()["length"]) == (False, 294)
    # Facebook shows it as a link preview beside the text: nothing added.
    facebook = _post(
        api, url, {"network": "facebook", "text": text, "link_url": "https://example.org"}
    )
    assert facebook.json()["length"] == 270
