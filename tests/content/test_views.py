"""The compose pages: the composer, the live check, saving, and bad input that keeps every word."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from keryx.content.models import MediaItem, Post
from tests.content.conftest import image_bytes

pytestmark = pytest.mark.django_db

TEXT = "Καλημέρα! Έρχεται το #Σεμινάριο2026 https://example.org/smm"


@pytest.fixture
def editor_client(editor) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(editor)
    return client


def _form(seminar, accounts, **extra):  # type: ignore[no-untyped-def]
    data = {
        "seminar": str(seminar.pk),
        "language": "el",
        "master_text": TEXT,
        "sync_variants": "1",
        "accounts": [str(a.pk) for a in accounts.values()],
    }
    data.update(extra)
    return data


def test_compose_area_is_in_the_navigation(editor_client, workspace) -> None:  # type: ignore[no-untyped-def]
    response = editor_client.get(f"/w/{workspace.slug}/compose/")
    assert response.status_code == 200
    assert b'aria-current="page"' in response.content
    assert "Δεν υπάρχουν" not in response.content.decode()


def test_new_post_page_shows_a_counter_for_every_network(
    editor_client, workspace, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    response = editor_client.get(f"/w/{workspace.slug}/compose/new/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("data-counter") == 7
    assert 'src="/static/content/composer.js"' in html
    assert "<script>" not in html  # no inline scripts (CSP)


def test_live_check_returns_counters_and_previews_per_account(
    editor_client, workspace, seminar, accounts, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_BASE_URL = "https://keryx.seminars.gr"  # a domain: previews link it
    x, bluesky = accounts["x"], accounts["bluesky"]
    data = _form(seminar, {"x": x, "bluesky": bluesky})
    data[f"v{x.pk}-text"] = "α" * 281
    data[f"v{x.pk}-edited"] = "1"
    response = editor_client.post(f"/w/{workspace.slug}/compose/check/", data)
    assert response.status_code == 200
    result = response.json()
    assert set(result["variants"]) == {str(x.pk), str(bluesky.pk)}
    assert (result["variants"][str(x.pk)]["valid"], result["variants"][str(x.pk)]["length"]) == (
        False,
        281,
    )
    assert "X counts this post as 281 of 280 characters" in result["variants"][str(x.pk)]["status"]
    # The link counts as the tracked link it becomes (its code is made when the post is saved).
    tracked = "https://keryx.seminars.gr/r/0000000"
    assert result["variants"][str(bluesky.pk)]["length"] == 59 - len(
        "https://example.org/smm"
    ) + len(tracked)
    preview = result["variants"][str(bluesky.pk)]["preview"]
    assert '<span class="pv-tag">#Σεμινάριο2026</span>' in preview
    assert f'<a class="pv-link" href="{tracked}" rel="noopener noreferrer">{tracked}</a>' in preview
    assert result["valid"] is False


def test_saving_a_new_post_creates_it_with_all_networks(
    editor_client, workspace, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    response = editor_client.post(f"/w/{workspace.slug}/compose/new/", _form(seminar, accounts))
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/w/{workspace.slug}/compose/posts/{post.pk}/"
    assert post.variants.count() == 7
    page = editor_client.get(response["Location"]).content.decode()
    assert page.count("data-counter") == 7


def test_an_over_long_variant_is_saved_and_shown_with_the_rule_it_breaks(
    editor_client, workspace, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    x = accounts["x"]
    data = _form(seminar, {"x": x})
    data[f"v{x.pk}-text"] = "Πολύ μεγάλο " + "λ" * 300
    data[f"v{x.pk}-edited"] = "1"
    response = editor_client.post(f"/w/{workspace.slug}/compose/new/", data, follow=True)
    html = response.content.decode()
    assert "X counts this post as 312 of 280 characters. Shorten it by 32 characters." in html
    assert "Πολύ μεγάλο " + "λ" * 300 in html
    submit = editor_client.post(
        f"/w/{workspace.slug}/compose/posts/{Post.objects.get().pk}/submit/", follow=True
    ).content.decode()
    assert (
        "Some variants break their network&#x27;s rules. Fix them first; nothing was changed."
        in submit
    )


def test_a_broken_upload_names_the_rule_and_keeps_everything_written(
    editor_client, workspace, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    x = accounts["x"]
    data = _form(seminar, accounts, upload_alt="Η αίθουσα γεμάτη")
    data[f"v{x.pk}-text"] = "Ειδικά για το X"
    data[f"v{x.pk}-edited"] = "1"
    data["upload"] = SimpleUploadedFile(
        "photo.jpg", b"this is not a picture at all", content_type="image/jpeg"
    )
    response = editor_client.post(f"/w/{workspace.slug}/compose/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert Post.objects.count() == 0 and MediaItem.objects.count() == 0
    assert "This file is not an image or video Keryx can use." in html
    assert TEXT in html
    assert "Ειδικά για το X" in html
    assert 'value="Η αίθουσα γεμάτη"' in html


def test_one_click_fix_for_instagram_keeps_the_other_networks_on_the_original(
    editor_client, workspace, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    data = _form(
        seminar, {"instagram": accounts["instagram"], "x": accounts["x"]}, upload_alt="Πανό"
    )
    data["upload"] = SimpleUploadedFile(
        "banner.jpg", image_bytes(1600, 600), content_type="image/jpeg"
    )
    response = editor_client.post(f"/w/{workspace.slug}/compose/new/", data)
    post = Post.objects.get()
    page = editor_client.get(response["Location"]).content.decode()
    original = MediaItem.objects.get()
    assert "This image is too wide for Instagram" in page
    assert f'value="{accounts["instagram"].pk}:{original.pk}"' in page  # the fix button

    form = _form(seminar, {"instagram": accounts["instagram"], "x": accounts["x"]})
    form["media"] = [str(original.pk)]
    form[f"alt-{original.pk}"] = "Πανό"
    form["fix"] = f"{accounts['instagram'].pk}:{original.pk}"
    fixed = editor_client.post(
        f"/w/{workspace.slug}/compose/posts/{post.pk}/fix/", form, follow=True
    )
    html = fixed.content.decode()
    assert "Fixed (Instagram: cropped to 1.91:1). The original file is kept." in html
    assert "Instagram: Instagram" not in html
    assert "This image is too wide for Instagram" not in html
    derived = MediaItem.objects.exclude(pk=original.pk).get()
    assert (derived.width, derived.height, derived.original_id) == (1146, 600, original.pk)
    media = {
        v.network: list(v.media_links.values_list("media_id", flat=True))
        for v in post.variants.all()
    }
    assert media == {"instagram": [derived.pk], "x": [original.pk]}


def test_viewer_sees_the_post_but_not_the_editing_tools(
    workspace, seminar, accounts, member, editor_access
) -> None:  # type: ignore[no-untyped-def]
    from keryx.content.domain.posts import PostInput, post_create

    post = post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(fields={"master_text": TEXT}, account_ids=[accounts["x"].pk]),
    )
    client = Client()
    client.force_login(member("viewer"))
    page = client.get(f"/w/{workspace.slug}/compose/posts/{post.pk}/")
    assert page.status_code == 200
    assert "your role does not allow changing it" in page.content.decode()
    assert (
        client.post(
            f"/w/{workspace.slug}/compose/posts/{post.pk}/", _form(seminar, accounts)
        ).status_code
        == 403
    )


def test_send_for_review_saves_what_is_on_the_page_first(
    editor_client, workspace, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    some = {"bluesky": accounts["bluesky"], "mastodon": accounts["mastodon"]}
    editor_client.post(f"/w/{workspace.slug}/compose/new/", _form(seminar, some))
    post = Post.objects.get()
    changed = _form(seminar, some, master_text="Τελευταία αλλαγή πριν τον έλεγχο")
    response = editor_client.post(f"/w/{workspace.slug}/compose/posts/{post.pk}/submit/", changed)
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.status, post.master_text) == ("in_review", "Τελευταία αλλαγή πριν τον έλεγχο")
    assert set(post.variants.values_list("text", flat=True)) == {"Τελευταία αλλαγή πριν τον έλεγχο"}
