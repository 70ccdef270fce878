"""Probe findings 3 and 5: an approval applies to the revision the approver saw, and an edit
made on a stale copy of a post is refused with a merge view (form) or 409 (API)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from keryx.content.domain.posts import PostInput, post_create, post_update
from keryx.content.domain.review import post_submit
from keryx.content.enums import PostStatus
from keryx.content.models import Post, Review
from tests.factories import make_token

pytestmark = pytest.mark.django_db

TEXT = "Καλημέρα! Έρχεται το #Σεμινάριο2026"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> Client:  # type: ignore[no-untyped-def]
    return Client(headers={"Authorization": f"Bearer {make_token(user)}"})


@pytest.fixture
def post(editor_access, seminar, accounts):  # type: ignore[no-untyped-def]
    return post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(
            fields={"master_text": TEXT, "link_url": "https://example.org/a"},
            account_ids=[accounts["x"].pk, accounts["mastodon"].pk],
        ),
    )


def _url(post: Post, tail: str = "") -> str:
    return f"/api/v1/workspaces/{post.workspace.slug}/posts/{post.pk}{tail}"


def _edit(editor_access, post: Post, **fields: str) -> Post:  # type: ignore[no-untyped-def]
    return post_update(access=editor_access, post=post, data=PostInput(fields=fields))


# --- 3: approve a revision, not a post ------------------------------------------------------


def test_api_approve_of_a_revision_edited_since_is_refused_with_409(
    post, editor_access, manager
) -> None:  # type: ignore[no-untyped-def]
    post_submit(access=editor_access, post=post)
    api = _api(manager)
    seen = api.get(_url(post)).json()
    assert (seen["revision"], seen["version"]) == (1, 1)
    _edit(editor_access, post, master_text="Άλλο κείμενο που δεν είδε κανείς")

    response = api.post(_url(post, "/approve"), {"revision": 1}, content_type="application/json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "stale_revision"
    assert error["data"] == {"revision": 2, "version": 2}
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW and not Review.objects.filter(post=post).exists()

    ok = api.post(_url(post, "/approve"), {"revision": 2}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == PostStatus.APPROVED


def test_api_approve_without_the_revision_is_invalid(post, editor_access, manager) -> None:  # type: ignore[no-untyped-def]
    post_submit(access=editor_access, post=post)
    response = _api(manager).post(_url(post, "/approve"), {}, content_type="application/json")
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["revision"]


def test_the_open_approve_form_does_not_approve_a_newer_revision(
    post, editor_access, manager
) -> None:  # type: ignore[no-untyped-def]
    post_submit(access=editor_access, post=post)
    client = _client(manager)
    page = client.get(f"/w/{post.workspace.slug}/compose/posts/{post.pk}/").content.decode()
    assert '<input type="hidden" name="revision" value="1">' in page
    _edit(editor_access, post, link_url="https://evil.example/b")

    response = client.post(
        f"/w/{post.workspace.slug}/compose/posts/{post.pk}/approve/",
        {"revision": "1", "note": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    with translation.override("en"):
        messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "The post changed after you opened it: you reviewed version 1 and it is now version 2. "
        "Read the new version, then approve it."
    ]
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW and not Review.objects.filter(post=post).exists()


# --- 5: optimistic locking ------------------------------------------------------------------


def test_api_patch_with_a_stale_version_is_refused_and_keeps_the_first_change(
    post, editor, manager
) -> None:  # type: ignore[no-untyped-def]
    first, second = _api(editor), _api(manager)
    ok = first.patch(
        _url(post),
        {"version": 1, "link_url": "https://example.org/new"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = second.patch(
        _url(post),
        {"version": 1, "master_text": "Δεύτερη αλλαγή", "link_url": "https://example.org/a"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    assert stale.json()["error"]["data"] == {"revision": 2, "version": 2}
    post.refresh_from_db()
    assert (post.link_url, post.master_text, post.version) == (
        "https://example.org/new",
        TEXT,
        2,
    )


def test_a_descriptive_change_moves_the_version_but_not_the_revision(post, editor_access) -> None:  # type: ignore[no-untyped-def]
    post = _edit(editor_access, post, theme="countdown")
    assert (post.revision, post.version) == (1, 2)


def _form(post: Post, accounts, **extra: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        "seminar": str(post.seminar_id),
        "language": "el",
        "master_text": TEXT,
        "link_url": "https://example.org/a",
        "sync_variants": "1",
        "accounts": [str(accounts["x"].pk), str(accounts["mastodon"].pk)],
        "version": "1",
    }
    data.update(extra)
    return data


def test_the_form_shows_theirs_and_yours_and_lets_the_user_choose(
    post, editor, editor_access, manager, accounts
) -> None:  # type: ignore[no-untyped-def]
    _edit(editor_access, post, link_url="https://example.org/theirs")  # version 2
    client = _client(manager)
    url = f"/w/{post.workspace.slug}/compose/posts/{post.pk}/"
    mine = _form(post, accounts, master_text="Το δικό μου κείμενο")

    response = client.post(url, mine, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "changed since you opened it" in html
    rows = {r["field"]: (r["theirs"], r["yours"]) for r in response.context["merge"]}
    assert rows == {
        "master_text": (TEXT, "Το δικό μου κείμενο"),
        "link_url": ("https://example.org/theirs", "https://example.org/a"),
    }
    assert '<input type="hidden" name="version" value="2">' in html
    post.refresh_from_db()
    assert (post.master_text, post.version) == (TEXT, 2)  # nothing saved

    # The user keeps their link-less change of text but takes the other person's link.
    chosen = {**mine, "version": "2", "merge-link_url": "theirs", "merge-master_text": "yours"}
    saved = client.post(url, chosen)
    assert saved.status_code == 302
    post.refresh_from_db()
    assert (post.master_text, post.link_url, post.version) == (
        "Το δικό μου κείμενο",
        "https://example.org/theirs",
        3,
    )
