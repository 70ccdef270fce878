"""A variant keeps what its author wrote next to what is published (with tracked links).

Real database, real links app: its receiver rewrites every saved variant and its transform
predicts the tracked links for the counters (docs/decisions/0309-variant-source-text.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.test import Client

from keryx.content.domain.posts import (
    PostInput,
    VariantInput,
    post_create,
    post_duplicate,
    post_update,
)
from keryx.content.domain.publishable import (
    publishable_text,
    register_text_transform,
    text_transforms,
    unregister_text_transform,
)
from keryx.content.domain.review import post_approve, post_submit
from keryx.content.enums import PostStatus, VariantStatus
from keryx.content.models import Post, Variant
from keryx.content.signals import variant_text_saved
from keryx.core.models import AuditEntry
from keryx.links.models import TrackedLink
from keryx.links.signals import on_variant_text_saved, predict_tracked_links
from tests.factories import make_seminar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _base_url(settings) -> None:  # type: ignore[no-untyped-def]
    # A domain, as in production: twitter-text (X's count, the previews) does not take an IP
    # address for a link.
    settings.KERYX_BASE_URL = "https://keryx.seminars.gr"


URL = "https://example.org/smm/register"
TEXT = f"Εγγραφές ανοιχτές: {URL} #Σεμινάριο2026"
# Networks that need no image, so a post without media can be approved.
PLAIN = ("x", "bluesky", "mastodon", "threads")


def _approved(editor_access, manager_access, seminar, accounts, text=TEXT, **kwargs) -> Post:  # type: ignore[no-untyped-def]
    post = post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(
            fields={"master_text": text}, account_ids=[accounts[n].pk for n in PLAIN], **kwargs
        ),
    )
    post_submit(access=editor_access, post=post)
    post_approve(access=manager_access, post=post)
    post.refresh_from_db()
    assert (post.status, post.revision) == (PostStatus.APPROVED, 1)
    return post


def _codes(post: Post) -> dict[str, str]:
    return dict(TrackedLink.objects.filter(post=post).values_list("network", "code"))


def _published(post: Post) -> dict[str, str]:
    return dict(post.variants.values_list("network", "text"))


def test_every_variant_keeps_the_written_text_and_publishes_its_own_tracked_link(
    editor_access, seminar, accounts, settings
) -> None:  # type: ignore[no-untyped-def]
    post = post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(fields={"master_text": TEXT}, account_ids=[accounts[n].pk for n in PLAIN]),
    )
    codes = _codes(post)
    assert set(codes) == set(PLAIN) and len(set(codes.values())) == 4
    for variant in post.variants.all():
        assert variant.source_text == TEXT
        assert variant.text == TEXT.replace(
            URL, f"{settings.KERYX_BASE_URL}/r/{codes[variant.network]}"
        )
        assert variant.text_edited is False


def test_changing_the_theme_and_phase_of_an_approved_post_with_links_keeps_it_approved(
    editor_access, manager_access, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    post = _approved(editor_access, manager_access, seminar, accounts)
    published, codes = _published(post), _codes(post)
    seen: list[str] = []

    def receiver(sender, variant, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(variant.network)

    variant_text_saved.connect(receiver)
    try:
        post_update(
            access=editor_access,
            post=post,
            data=PostInput(fields={"campaign_phase": "early_bird", "theme": "countdown"}),
        )
    finally:
        variant_text_saved.disconnect(receiver)
    post.refresh_from_db()
    assert (post.status, post.revision, post.campaign_phase, post.theme) == (
        PostStatus.APPROVED,
        1,
        "early_bird",
        "countdown",
    )
    assert set(post.variants.values_list("status", flat=True)) == {VariantStatus.APPROVED}
    assert (_published(post), _codes(post)) == (published, codes)
    assert seen == []  # nothing the author wrote changed: no rewrite either
    assert not AuditEntry.objects.filter(action="post.back_to_review", object_id=str(post.pk))
    update = AuditEntry.objects.get(action="post.update", object_id=str(post.pk))
    assert update.changes == {"campaign_phase": ["", "early_bird"], "theme": ["", "countdown"]}


def test_saving_the_composer_page_unchanged_keeps_an_approved_post_with_links_approved(
    editor, editor_access, manager_access, seminar, accounts, workspace
) -> None:  # type: ignore[no-untyped-def]
    post = _approved(editor_access, manager_access, seminar, accounts)
    published = _published(post)
    client = Client()
    client.force_login(editor)
    page = client.get(f"/w/{workspace.slug}/compose/posts/{post.pk}/").content.decode()
    # The text boxes hold what was written, not the tracked links.
    x = accounts["x"].pk
    assert f'name="v{x}-text" rows="6" data-variant-text lang="el">{TEXT}</textarea>' in page
    form = {
        "seminar": str(seminar.pk),
        "language": "el",
        "campaign_phase": "countdown",
        "master_text": TEXT,
        "sync_variants": "1",
        "accounts": [str(accounts[n].pk) for n in PLAIN],
    }
    for network in PLAIN:
        account = accounts[network].pk
        form[f"v{account}-text"] = TEXT
        form[f"v{account}-edited"] = "0"
        form[f"v{account}-first_comment"] = ""
        form[f"v{account}-link_url"] = ""
        form[f"v{account}-media_edited"] = "0"
    response = client.post(f"/w/{workspace.slug}/compose/posts/{post.pk}/", form)
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.status, post.revision, post.campaign_phase) == (
        PostStatus.APPROVED,
        1,
        "countdown",
    )
    assert _published(post) == published


def test_a_new_master_text_reaches_the_followers_with_their_existing_codes(
    editor_access, manager_access, seminar, accounts, settings
) -> None:  # type: ignore[no-untyped-def]
    post = _approved(editor_access, manager_access, seminar, accounts)
    codes = _codes(post)
    other = "https://example.org/programme"
    master = f"Τελευταίες θέσεις! {URL} — πρόγραμμα: {other}"
    post_update(access=editor_access, post=post, data=PostInput(fields={"master_text": master}))
    post.refresh_from_db()
    assert (post.status, post.revision) == (PostStatus.IN_REVIEW, 2)
    base = settings.KERYX_BASE_URL
    for variant in post.variants.all():
        links = {
            link.destination: link.code for link in TrackedLink.objects.filter(variant=variant)
        }
        assert links[URL] == codes[variant.network]  # one link per destination, reused
        assert variant.source_text == master
        assert variant.text == (
            f"Τελευταίες θέσεις! {base}/r/{links[URL]} — πρόγραμμα: {base}/r/{links[other]}"
        )


def test_a_variant_edited_by_hand_is_left_alone(editor_access, seminar, accounts, settings) -> None:  # type: ignore[no-untyped-def]
    post = post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(fields={"master_text": TEXT}, account_ids=[accounts[n].pk for n in PLAIN]),
    )
    own = "Μόνο στο Mastodon: https://example.org/mastodon-offer"
    mastodon = accounts["mastodon"].pk
    post_update(
        access=editor_access,
        post=post,
        data=PostInput(variants=[VariantInput(account_id=mastodon, text=own)]),
    )
    variant = post.variants.get(account_id=mastodon)
    code = TrackedLink.objects.get(
        variant=variant, destination="https://example.org/mastodon-offer"
    ).code
    published = variant.text
    assert (variant.source_text, variant.text_edited) == (own, True)
    assert published == f"Μόνο στο Mastodon: {settings.KERYX_BASE_URL}/r/{code}"

    post_update(
        access=editor_access, post=post, data=PostInput(fields={"master_text": "Νέο κείμενο"})
    )
    variant.refresh_from_db()
    assert (variant.source_text, variant.text, variant.text_edited) == (own, published, True)
    assert set(post.variants.exclude(pk=variant.pk).values_list("text", flat=True)) == {
        "Νέο κείμενο"
    }
    # Writing the same text by hand again changes nothing: "edited" is decided on the source.
    post.refresh_from_db()
    revision = post.revision
    post_update(
        access=editor_access,
        post=post,
        data=PostInput(variants=[VariantInput(account_id=mastodon, text=own)]),
    )
    post.refresh_from_db()
    assert post.revision == revision


def test_a_follower_given_the_master_text_by_hand_still_follows(
    editor_access, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    post = post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(fields={"master_text": TEXT}, account_ids=[accounts["x"].pk]),
    )
    post_update(
        access=editor_access,
        post=post,
        data=PostInput(variants=[VariantInput(account_id=accounts["x"].pk, text=TEXT)]),
    )
    variant = post.variants.get()
    assert (variant.source_text, variant.text_edited) == (TEXT, False)
    post.refresh_from_db()
    assert post.revision == 1


def test_the_first_comment_and_link_card_keep_their_source_too(
    editor_access, manager_access, seminar, accounts, settings
) -> None:  # type: ignore[no-untyped-def]
    bluesky = accounts["bluesky"].pk
    comment = f"Εγγραφή εδώ: {URL}"
    card = "https://example.org/card"
    post = _approved(
        editor_access,
        manager_access,
        seminar,
        accounts,
        variants=[VariantInput(account_id=bluesky, first_comment=comment, link_url=card)],
    )
    variant = post.variants.get(account_id=bluesky)
    links = dict(TrackedLink.objects.filter(variant=variant).values_list("destination", "code"))
    assert set(links) == {URL, card}  # the text's link and the comment's are one link
    base = settings.KERYX_BASE_URL
    assert (variant.source_first_comment, variant.source_link_url) == (comment, card)
    assert variant.first_comment == f"Εγγραφή εδώ: {base}/r/{links[URL]}"
    assert variant.link_url == f"{base}/r/{links[card]}"

    # The page sends back what was written: nothing changes.
    post_update(
        access=editor_access,
        post=post,
        data=PostInput(
            fields={"theme": "practical_tip"},
            variants=[VariantInput(account_id=bluesky, first_comment=comment, link_url=card)],
        ),
    )
    post.refresh_from_db()
    assert (post.status, post.revision) == (PostStatus.APPROVED, 1)
    # A new first comment alone is rewritten too (the signal is sent for it).
    post_update(
        access=editor_access,
        post=post,
        data=PostInput(
            variants=[
                VariantInput(account_id=bluesky, first_comment="Και εδώ: https://example.org/faq")
            ]
        ),
    )
    variant.refresh_from_db()
    faq = TrackedLink.objects.get(variant=variant, destination="https://example.org/faq")
    assert variant.first_comment == f"Και εδώ: {faq.short_url}"
    post.refresh_from_db()
    assert (post.status, post.revision) == (PostStatus.IN_REVIEW, 2)


def test_a_published_variant_does_not_block_a_new_theme(
    editor_access, manager_access, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    post = _approved(editor_access, manager_access, seminar, accounts)
    post.variants.filter(network="x").update(status=VariantStatus.PUBLISHED)
    post_update(access=editor_access, post=post, data=PostInput(fields={"theme": "countdown"}))
    post.refresh_from_db()
    assert (post.theme, post.status, post.revision) == ("countdown", PostStatus.APPROVED, 1)


def test_a_duplicate_copies_what_was_written_and_gets_its_own_links(
    editor_access, seminar, accounts, workspace, user, settings
) -> None:  # type: ignore[no-untyped-def]
    post = post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(
            fields={"master_text": TEXT},
            account_ids=[accounts["x"].pk],
            variants=[VariantInput(account_id=accounts["x"].pk, first_comment=f"Δες: {URL}")],
        ),
    )
    other = make_seminar(workspace, user, title="Εργαστήριο Instagram 2027")
    copy = post_duplicate(access=editor_access, post=post, seminar=other)
    original, duplicate = post.variants.get(), copy.variants.get()
    new_code = TrackedLink.objects.get(variant=duplicate).code
    assert new_code != TrackedLink.objects.get(variant=original).code
    assert (duplicate.source_text, duplicate.source_first_comment) == (TEXT, f"Δες: {URL}")
    short = f"{settings.KERYX_BASE_URL}/r/{new_code}"
    assert (duplicate.text, duplicate.first_comment) == (TEXT.replace(URL, short), f"Δες: {short}")


# --- the API -----------------------------------------------------------------------------


def _json(client: Client, method: str, path: str, body: object) -> dict:  # type: ignore[type-arg]
    response = getattr(client, method)(path, data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 201), response.content
    return response.json()  # type: ignore[no-any-return]


def test_the_api_shows_and_takes_what_was_written_and_shows_what_is_published(
    api, workspace, seminar, accounts, settings
) -> None:  # type: ignore[no-untyped-def]
    base = f"/api/v1/workspaces/{workspace.slug}/posts"
    bluesky = accounts["bluesky"].pk
    created = _json(
        api,
        "post",
        base,
        {
            "seminar_id": seminar.pk,
            "master_text": TEXT,
            "account_ids": [bluesky],
            "variants": [{"account_id": bluesky, "first_comment": f"Εδώ: {URL}"}],
        },
    )
    code = TrackedLink.objects.get(variant_id=created["variants"][0]["id"]).code
    short = f"{settings.KERYX_BASE_URL}/r/{code}"
    got = api.get(f"{base}/{created['id']}").json()
    variant = got["variants"][0]
    assert (variant["text"], variant["published_text"]) == (TEXT, TEXT.replace(URL, short))
    assert (variant["first_comment"], variant["published_first_comment"]) == (
        f"Εδώ: {URL}",
        f"Εδώ: {short}",
    )
    # The check is of the published text: Bluesky counts the tracked link's characters.
    assert variant["check"]["length"] == len(TEXT) - len(URL) + len(short)
    assert variant["check"]["facets"][0]["value"] == short

    # Sending back what GET showed, with a new theme, is no change; published_* is read-only.
    patched = _json(
        api,
        "patch",
        f"{base}/{created['id']}",
        {
            "theme": "countdown",
            "variants": [
                {
                    "account_id": bluesky,
                    "text": variant["text"],
                    "first_comment": variant["first_comment"],
                    "published_text": "ignored",
                }
            ],
        },
    )
    assert patched["revision"] == 1
    assert patched["variants"][0]["published_text"] == TEXT.replace(URL, short)
    assert patched["variants"][0]["text_edited"] is False


def test_the_live_check_of_a_saved_post_counts_its_own_tracked_link(
    editor, editor_access, seminar, accounts, workspace, settings
) -> None:  # type: ignore[no-untyped-def]
    bluesky = accounts["bluesky"]
    post = post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(fields={"master_text": TEXT}, account_ids=[bluesky.pk]),
    )
    short = TrackedLink.objects.get(post=post).short_url
    client = Client()
    client.force_login(editor)
    more = f"{TEXT} και https://example.org/new"
    response = client.post(
        f"/w/{workspace.slug}/compose/check/",
        {
            "post": str(post.pk),
            "seminar": str(seminar.pk),
            "language": "el",
            "master_text": more,
            "sync_variants": "1",
            "accounts": [str(bluesky.pk)],
            f"v{bluesky.pk}-edited": "0",
            f"v{bluesky.pk}-first_comment": f"Ή εδώ: {URL}",
        },
    )
    result = response.json()["variants"][str(bluesky.pk)]
    pending = f"{settings.KERYX_BASE_URL}/r/0000000"
    published = TEXT.replace(URL, short) + f" και {pending}"
    assert result["length"] == len(published)  # every character here is one grapheme
    assert f">{short}</a>" in result["preview"] and f">{pending}</a>" in result["preview"]
    assert f"Ή εδώ: {short}</p>" in result["preview"]  # the first comment as published
    assert "Links are shown as this version's tracked links" in result["preview"]
    assert TrackedLink.objects.filter(post=post).count() == 1  # a check saves nothing


# --- without the links app's hooks ---------------------------------------------------------


@pytest.fixture
def links_off() -> Iterator[None]:
    """The composer as it is without the links app: no receiver, no transform."""
    variant_text_saved.disconnect(dispatch_uid="keryx.links.variant_text_saved")
    unregister_text_transform(predict_tracked_links)
    try:
        yield
    finally:
        variant_text_saved.connect(
            on_variant_text_saved, dispatch_uid="keryx.links.variant_text_saved"
        )
        register_text_transform(predict_tracked_links)


def test_without_tracked_links_the_published_text_is_the_written_text(
    links_off, editor_access, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    assert predict_tracked_links not in text_transforms()
    assert publishable_text(TEXT, network="bluesky") == TEXT
    post = post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(fields={"master_text": TEXT}, account_ids=[accounts["bluesky"].pk]),
    )
    variant = post.variants.get()
    assert (variant.source_text, variant.text) == (TEXT, TEXT)
    assert TrackedLink.objects.count() == 0


def test_the_links_app_registers_its_transform_once() -> None:
    assert text_transforms().count(predict_tracked_links) == 1
    apps.get_app_config("links").ready()  # ready() may run again (e.g. in a test runner)
    assert text_transforms().count(predict_tracked_links) == 1


# --- rows from before the source fields ------------------------------------------------------


def _migrate_existing_rows() -> None:
    from importlib import import_module

    import_module("keryx.content.migrations.0004_variant_source_fields").fill_sources(apps, None)
    import_module("keryx.links.migrations.0003_variant_sources_from_master").sources_from_master(
        apps, None
    )


def test_the_migrations_give_existing_rows_their_source(
    editor_access, manager_access, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    comment = f"Δες: {URL}?utm_campaign=partner."
    post = _approved(
        editor_access,
        manager_access,
        seminar,
        accounts,
        text=f"{TEXT}\nΠρόγραμμα: https://example.org/programme?utm_source=x&day=1.",
        variants=[VariantInput(account_id=accounts["x"].pk, first_comment=comment)],
    )
    mastodon = post.variants.get(network="mastodon")
    # One follower last saved from an older master (the update of the variants was declined).
    Variant.objects.filter(pk=mastodon.pk).update(
        text=mastodon.text.replace("Εγγραφές ανοιχτές", "Εγγραφές")
    )
    published = {v.network: (v.text, v.first_comment) for v in Variant.objects.all()}
    Variant.objects.update(source_text="", source_first_comment="", source_link_url="")

    _migrate_existing_rows()
    sources = {v.network: (v.source_text, v.source_first_comment) for v in Variant.objects.all()}
    master = post.master_text
    assert sources == {
        # Followers whose text is the master with their own tracked links: the master.
        "x": (master, published["x"][1]),  # a first comment has no master: kept tracked
        "bluesky": (master, ""),
        "threads": (master, ""),
        # Not the master text: kept as it is published.
        "mastodon": (published["mastodon"][0], ""),
    }
    assert "/r/" in sources["x"][1]
    # Nothing is re-synced by an unrelated edit; the older follower is brought up to date once.
    post_update(access=editor_access, post=post, data=PostInput(fields={"theme": "countdown"}))
    post.refresh_from_db()
    assert (post.status, post.revision) == (PostStatus.IN_REVIEW, 2)
    assert {v.network: v.text for v in Variant.objects.exclude(network="mastodon")} == {
        n: published[n][0] for n in ("x", "bluesky", "threads")
    }
    post_approve(access=manager_access, post=post)
    post.refresh_from_db()
    post_update(access=editor_access, post=post, data=PostInput(fields={"theme": "thank_you"}))
    post.refresh_from_db()
    assert (post.status, post.revision) == (PostStatus.APPROVED, 2)
