"""Posts written once and adapted per network account."""

from __future__ import annotations

import unicodedata

import pytest

from keryx.content.domain.checks import variant_check
from keryx.content.domain.posts import (
    MediaChoice,
    PostInput,
    VariantInput,
    post_create,
    post_delete,
    post_duplicate,
    post_update,
)
from keryx.content.domain.review import post_approve, post_submit
from keryx.content.enums import PostStatus, VariantStatus
from keryx.content.models import Variant
from keryx.content.signals import variant_text_saved
from keryx.core.errors import Conflict, ValidationFailed
from keryx.core.models import AuditEntry
from tests.factories import make_seminar

pytestmark = pytest.mark.django_db

GREEK = "Έρχεται το Σεμινάριο Διαχείρισης Social Media! #Σεμινάριο2026"


def _create(access, seminar, accounts, text=GREEK, **kwargs):  # type: ignore[no-untyped-def]
    return post_create(
        access=access,
        seminar=seminar,
        data=PostInput(
            fields={"master_text": text},
            account_ids=[a.pk for a in accounts.values()],
            **kwargs,
        ),
    )


def test_post_create_makes_one_variant_per_account_from_the_master(
    editor_access, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    post = _create(editor_access, seminar, accounts)
    variants = list(post.variants.order_by("network"))
    assert [v.network for v in variants] == sorted(accounts)
    assert {v.text for v in variants} == {GREEK}
    assert {v.status for v in variants} == {VariantStatus.DRAFT}
    assert post.author == editor_access.user
    assert AuditEntry.objects.filter(action="post.create", object_id=str(post.pk)).count() == 1


def test_post_create_stores_decomposed_accents_composed(editor_access, seminar, accounts) -> None:  # type: ignore[no-untyped-def]
    decomposed = unicodedata.normalize("NFD", "Καλημέρα")
    post = _create(editor_access, seminar, {"x": accounts["x"]}, text=decomposed)
    assert post.master_text == "Καλημέρα"
    assert len(post.master_text) == 8


def test_post_create_without_accounts_is_refused(editor_access, seminar) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        post_create(
            access=editor_access,
            seminar=seminar,
            data=PostInput(fields={"master_text": GREEK}, account_ids=[]),
        )
    assert caught.value.fields == {
        "account_ids": ["Choose at least one network account to post to."]
    }


def test_post_create_refuses_another_workspaces_account(
    editor_access, seminar, accounts, user
) -> None:  # type: ignore[no-untyped-def]
    from keryx.networks.models import NetworkAccount
    from tests.factories import make_user, make_workspace

    other = make_workspace(make_user("someone@example.org"), "Άλλοι")
    foreign = NetworkAccount.objects.create(workspace=other, network="x", name="Ξένος")
    with pytest.raises(ValidationFailed) as caught:
        post_create(
            access=editor_access,
            seminar=seminar,
            data=PostInput(fields={"master_text": GREEK}, account_ids=[foreign.pk]),
        )
    assert "account_ids" in caught.value.fields


def test_master_change_updates_only_variants_not_edited_by_hand(
    editor_access, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    post = _create(editor_access, seminar, accounts)
    own = "Μόνο για το X: έρχεται! #Σεμινάριο2026"
    post_update(
        access=editor_access,
        post=post,
        data=PostInput(variants=[VariantInput(account_id=accounts["x"].pk, text=own)]),
    )
    x = post.variants.get(network="x")
    assert (x.text, x.text_edited) == (own, True)

    post_update(
        access=editor_access, post=post, data=PostInput(fields={"master_text": "Νέο κείμενο"})
    )
    texts = dict(post.variants.values_list("network", "text"))
    assert texts.pop("x") == own
    assert set(texts.values()) == {"Νέο κείμενο"}


def test_master_change_declined_leaves_every_variant(editor_access, seminar, accounts) -> None:  # type: ignore[no-untyped-def]
    post = _create(editor_access, seminar, accounts)
    post_update(
        access=editor_access,
        post=post,
        data=PostInput(fields={"master_text": "Νέο κείμενο"}, sync_variants=False),
    )
    assert set(post.variants.values_list("text", flat=True)) == {GREEK}


def test_variant_back_to_master_follows_it_again(editor_access, seminar, accounts) -> None:  # type: ignore[no-untyped-def]
    post = _create(editor_access, seminar, accounts)
    bluesky = accounts["bluesky"].pk
    post_update(
        access=editor_access,
        post=post,
        data=PostInput(variants=[VariantInput(account_id=bluesky, text="Άλλο")]),
    )
    post_update(
        access=editor_access,
        post=post,
        data=PostInput(variants=[VariantInput(account_id=bluesky, edited=False)]),
    )
    variant = post.variants.get(account_id=bluesky)
    assert (variant.text, variant.text_edited) == (GREEK, False)


def test_variant_text_saved_signal_is_sent_for_new_and_changed_texts(
    editor_access, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[str, str]] = []

    def receiver(sender, variant, **kwargs):  # type: ignore[no-untyped-def]
        assert sender is Variant
        seen.append((variant.network, variant.text))

    variant_text_saved.connect(receiver)
    try:
        post = _create(editor_access, seminar, {"x": accounts["x"], "bluesky": accounts["bluesky"]})
        assert sorted(seen) == [("bluesky", GREEK), ("x", GREEK)]
        seen.clear()
        post_update(
            access=editor_access,
            post=post,
            data=PostInput(
                variants=[VariantInput(account_id=accounts["x"].pk, text="Δες το πρόγραμμα")]
            ),
        )
        assert seen == [("x", "Δες το πρόγραμμα")]
        seen.clear()
        post_update(
            access=editor_access,
            post=post,
            data=PostInput(fields={"campaign_phase": "countdown"}),
        )
        assert seen == []  # nothing that is published changed
        # The post's link is the link card of every variant without its own: all are sent.
        post_update(
            access=editor_access,
            post=post,
            data=PostInput(fields={"link_url": "https://example.org"}),
        )
        assert sorted(network for network, _ in seen) == ["bluesky", "x"]
    finally:
        variant_text_saved.disconnect(receiver)


def test_media_follow_the_post_until_chosen_for_one_network(
    editor_access, seminar, accounts, upload
) -> None:  # type: ignore[no-untyped-def]
    first, second = upload(), upload(800, 1000)
    post = _create(
        editor_access,
        seminar,
        accounts,
        media=[MediaChoice(media_id=first.pk, alt_text="Η αίθουσα")],
    )
    assert {
        tuple(v.media_links.values_list("media_id", "alt_text")) for v in post.variants.all()
    } == {((first.pk, "Η αίθουσα"),)}
    instagram = accounts["instagram"].pk
    post_update(
        access=editor_access,
        post=post,
        data=PostInput(
            variants=[
                VariantInput(
                    account_id=instagram,
                    media=[MediaChoice(media_id=second.pk, alt_text="Πορτρέτο")],
                )
            ]
        ),
    )
    post_update(
        access=editor_access,
        post=post,
        data=PostInput(media=[MediaChoice(media_id=first.pk, alt_text="Η κεντρική αίθουσα")]),
    )
    links = {
        v.network: list(v.media_links.values_list("media_id", "alt_text"))
        for v in post.variants.all()
    }
    assert links.pop("instagram") == [(second.pk, "Πορτρέτο")]
    assert set(map(tuple, links.values())) == {((first.pk, "Η κεντρική αίθουσα"),)}


def test_editing_an_approved_post_sends_it_back_to_review(
    editor_access, manager_access, seminar, accounts, upload
) -> None:  # type: ignore[no-untyped-def]
    photo = upload()
    post = _create(
        editor_access, seminar, accounts, media=[MediaChoice(media_id=photo.pk, alt_text="Αίθουσα")]
    )
    post_submit(access=editor_access, post=post)
    post_approve(access=manager_access, post=post)
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    assert set(post.variants.values_list("status", flat=True)) == {VariantStatus.APPROVED}

    post_update(
        access=editor_access, post=post, data=PostInput(fields={"master_text": GREEK + " 🎉"})
    )
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW
    assert post.revision == 2
    assert set(post.variants.values_list("status", flat=True)) == {VariantStatus.IN_REVIEW}
    assert (
        AuditEntry.objects.filter(action="post.back_to_review", object_id=str(post.pk)).count() == 1
    )


def test_saving_without_changes_keeps_an_approved_post_approved(
    editor_access, manager_access, seminar, accounts, upload
) -> None:  # type: ignore[no-untyped-def]
    photo = upload()
    post = _create(
        editor_access, seminar, accounts, media=[MediaChoice(media_id=photo.pk, alt_text="Αίθουσα")]
    )
    post_submit(access=editor_access, post=post)
    post_approve(access=manager_access, post=post)
    post_update(access=editor_access, post=post, data=PostInput(fields={"master_text": GREEK}))
    post.refresh_from_db()
    assert (post.status, post.revision) == (PostStatus.APPROVED, 1)


def test_published_variant_cannot_be_changed_or_deleted(editor_access, seminar, accounts) -> None:  # type: ignore[no-untyped-def]
    post = _create(editor_access, seminar, {"x": accounts["x"]})
    post.variants.update(status=VariantStatus.PUBLISHED)
    with pytest.raises(Conflict):
        post_update(
            access=editor_access,
            post=post,
            data=PostInput(variants=[VariantInput(account_id=accounts["x"].pk, text="Αλλαγή")]),
        )
    assert post.variants.get().text == GREEK
    with pytest.raises(Conflict):
        post_delete(access=editor_access, post=post)


def test_duplicate_to_another_seminar_copies_texts_media_and_accounts(
    editor_access, seminar, accounts, upload, workspace, user
) -> None:  # type: ignore[no-untyped-def]
    photo = upload()
    post = _create(
        editor_access, seminar, accounts, media=[MediaChoice(media_id=photo.pk, alt_text="Αίθουσα")]
    )
    post_update(
        access=editor_access,
        post=post,
        data=PostInput(variants=[VariantInput(account_id=accounts["x"].pk, text="Για το X")]),
    )
    other = make_seminar(workspace, user, title="Εργαστήριο Instagram 2027")
    copy = post_duplicate(access=editor_access, post=post, seminar=other)
    assert (copy.seminar, copy.status, copy.duplicated_from) == (other, PostStatus.DRAFT, post)
    assert copy.variants.count() == 7
    assert copy.variants.get(network="x").text == "Για το X"
    assert copy.variants.get(network="bluesky").text == GREEK
    assert list(
        copy.variants.get(network="instagram").media_links.values_list("media_id", flat=True)
    ) == [photo.pk]


def test_variant_check_uses_the_mastodon_instance_limit(editor_access, seminar, accounts) -> None:  # type: ignore[no-untyped-def]
    mastodon = accounts["mastodon"]
    mastodon.server_limits = {"configuration": {"statuses": {"max_characters": 1000}}}
    mastodon.save()
    post = _create(editor_access, seminar, {"mastodon": mastodon}, text="α" * 600)
    check = variant_check(post.variants.get())
    assert (check.length, check.limit, check.valid) == (600, 1000, True)


def test_the_posts_link_counts_in_the_x_variant_and_blocks_review_when_too_long(
    editor_access, seminar, accounts, settings
) -> None:  # type: ignore[no-untyped-def]
    """The composer passed an X text of 270 characters and the post's link went into it at
    publish time, 294 in all: X refused it. Now the check counts the link where it goes."""
    settings.KERYX_BASE_URL = "https://keryx.example.org"  # a host X counts as a URL
    from keryx.content.domain.checks import post_checks
    from keryx.content.domain.review import post_submit

    post = post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(
            fields={"master_text": "α" * 270, "link_url": "https://example.org/smm"},
            account_ids=[accounts["x"].pk, accounts["facebook"].pk],
        ),
    )
    checks = {v.network: post_checks(post)[v.pk] for v in post.variants.all()}
    assert (checks["x"].valid, checks["x"].length) == (False, 294)
    assert checks["facebook"].valid  # a link preview there, not text
    with pytest.raises(ValidationFailed):
        post_submit(access=editor_access, post=post)


def test_the_posts_link_cannot_change_under_a_published_variant(
    editor_access, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    post = post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(
            fields={"master_text": "Εγγραφές", "link_url": "https://example.org/a"},
            account_ids=[accounts["x"].pk, accounts["facebook"].pk],
        ),
    )
    x = post.variants.get(network="x")
    sent = x.link_url
    Variant.objects.filter(pk=x.pk).update(status=VariantStatus.PUBLISHED)
    with pytest.raises(Conflict):
        post_update(
            access=editor_access,
            post=post,
            data=PostInput(fields={"link_url": "https://example.org/b"}),
        )
    x.refresh_from_db()
    post.refresh_from_db()
    assert (post.link_url, x.link_url) == ("https://example.org/a", sent)  # nothing changed
