"""Every link in a post is a tracked link: each variant gets its own."""

from __future__ import annotations

import pytest

from keryx.content.models import Post, Variant
from keryx.links.domain.rewriting import plain_links, variant_links_rewrite
from keryx.links.models import TrackedLink
from keryx.networks.models import NetworkAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(workspace, seminar, user):  # type: ignore[no-untyped-def]
    return Post.objects.create(
        workspace=workspace, seminar=seminar, campaign_phase="early_bird", author=user
    )


def _variant(post: Post, network: str, text: str, **fields: str) -> Variant:
    account = NetworkAccount.objects.create(
        workspace=post.workspace, network=network, name=network, remote_id=f"{network}-1"
    )
    return Variant.objects.create(post=post, account=account, network=network, text=text, **fields)


def test_plain_links_leaves_out_sentence_punctuation_and_tracked_links(settings) -> None:  # type: ignore[no-untyped-def]
    base = settings.KERYX_BASE_URL
    text = (
        "Εγγραφές: https://example.org/s/x/. Δες (https://example.org/a_(b)) και "
        f"{base}/r/AbCdEfG; ή https://example.org/σελίδα;"
    )
    assert [url for _s, _e, url in plain_links(text)] == [
        "https://example.org/s/x/",
        "https://example.org/a_(b)",
        "https://example.org/σελίδα",
    ]


def test_each_variant_gets_its_own_tracked_link(post, seminar, settings) -> None:  # type: ignore[no-untyped-def]
    page = f"{settings.KERYX_BASE_URL}/s/{seminar.slug}/"
    x = _variant(post, "x", f"Κλείσε θέση: {page} #Σεμινάριο2026")
    bluesky = _variant(post, "bluesky", f"Κλείσε θέση: {page}")
    variant_links_rewrite(variant=x)
    variant_links_rewrite(variant=bluesky)
    x_link = TrackedLink.objects.get(variant=x)
    bluesky_link = TrackedLink.objects.get(variant=bluesky)
    assert x_link.code != bluesky_link.code
    assert x.text == f"Κλείσε θέση: {settings.KERYX_BASE_URL}/r/{x_link.code} #Σεμινάριο2026"
    x.refresh_from_db()
    assert x.text == f"Κλείσε θέση: {settings.KERYX_BASE_URL}/r/{x_link.code} #Σεμινάριο2026"
    assert (x_link.network, x_link.post, x_link.seminar, x_link.campaign_phase) == (
        "x",
        post,
        seminar,
        "early_bird",
    )
    assert (x_link.utm_source, x_link.utm_medium, x_link.utm_campaign, x_link.utm_content) == (
        "x",
        "social",
        f"{seminar.slug}_early_bird",
        f"post-{post.pk}",
    )
    assert x_link.destination == page
    assert bluesky_link.utm_source == "bluesky"


def test_rewriting_again_changes_nothing_and_reuses_the_link(post, settings) -> None:  # type: ignore[no-untyped-def]
    variant = _variant(post, "mastodon", "https://example.org/a και https://example.org/a")
    variant_links_rewrite(variant=variant)
    assert TrackedLink.objects.filter(variant=variant).count() == 1
    rewritten = variant.text
    assert variant_links_rewrite(variant=variant) == {}
    assert variant.text == rewritten
    # The master text comes back with the plain link: the same tracked link is used again.
    variant.source_text = variant.text = "Νέο κείμενο https://example.org/a"
    variant_links_rewrite(variant=variant)
    assert TrackedLink.objects.filter(variant=variant).count() == 1
    code = TrackedLink.objects.get(variant=variant).code
    assert variant.text == f"Νέο κείμενο {settings.KERYX_BASE_URL}/r/{code}"


def test_the_published_text_is_made_from_the_source_which_stays_as_written(post, settings) -> None:  # type: ignore[no-untyped-def]
    written = "Εγγραφές: https://example.org/a?utm_source=poster."
    variant = _variant(post, "bluesky", written)
    assert variant.source_text == written  # a variant saved without a source: its text
    variant_links_rewrite(variant=variant)
    variant.refresh_from_db()
    link = TrackedLink.objects.get(variant=variant)
    assert (variant.source_text, variant.text) == (written, f"Εγγραφές: {link.short_url}.")
    assert (link.destination, link.utm_source) == ("https://example.org/a", "poster")
    # A published text that drifted from its source is made again from the source.
    Variant.objects.filter(pk=variant.pk).update(text="κάτι άλλο")
    variant.refresh_from_db()
    assert variant_links_rewrite(variant=variant) == {"text": f"Εγγραφές: {link.short_url}."}


def test_predicted_text_uses_the_variants_codes_and_a_pending_one_for_new_links(
    post, settings
) -> None:  # type: ignore[no-untyped-def]
    from keryx.content.domain.publishable import Publishing, publishable_text
    from keryx.links.domain.rewriting import PENDING_CODE, predicted_text

    variant = _variant(post, "threads", "https://example.org/a")
    variant_links_rewrite(variant=variant)
    code = TrackedLink.objects.get(variant=variant).code
    base = settings.KERYX_BASE_URL
    text = f"Ξανά https://example.org/a?utm_medium=x, νέο https://example.org/b και {base}/r/Zz9"
    expected = f"Ξανά {base}/r/{code}, νέο {base}/r/{PENDING_CODE} και {base}/r/Zz9"
    assert predicted_text(text, Publishing(network="threads", variant_id=variant.pk)) == expected
    assert publishable_text(text, network="threads", variant_id=variant.pk) == expected
    assert (
        predicted_text(expected, Publishing(network="threads", variant_id=variant.pk)) == expected
    )
    assert publishable_text("https://example.org/a", network="x") == f"{base}/r/{PENDING_CODE}"
    assert PENDING_CODE == "0000000"
    assert TrackedLink.objects.count() == 1  # predicting saves nothing


def test_link_card_and_first_comment_are_rewritten_too(post) -> None:  # type: ignore[no-untyped-def]
    variant = _variant(
        post,
        "instagram",
        "Χωρίς σύνδεσμο",
        first_comment="Εγγραφή: https://partner.example.org/?utm_campaign=partner",
        link_url="https://partner.example.org/",
    )
    changed = variant_links_rewrite(variant=variant)
    assert set(changed) == {"first_comment", "link_url"}
    link = TrackedLink.objects.get(variant=variant)  # one destination, one link
    assert (link.destination, link.utm_campaign) == ("https://partner.example.org/", "partner")
    assert variant.link_url == link.short_url
    assert variant.first_comment == f"Εγγραφή: {link.short_url}"


def test_variant_text_without_links_is_left_alone(post) -> None:  # type: ignore[no-untyped-def]
    variant = _variant(post, "threads", "Μόνο κείμενο, χωρίς http:// σύνδεσμο")
    assert variant_links_rewrite(variant=variant) == {}
    assert TrackedLink.objects.count() == 0


def test_the_composer_signal_rewrites_each_new_variant(user, workspace, seminar, settings) -> None:  # type: ignore[no-untyped-def]
    from keryx.accounts.access import workspace_access
    from keryx.accounts.roles import Perm
    from keryx.content.domain.posts import PostInput, post_create

    accounts = [
        NetworkAccount.objects.create(workspace=workspace, network=n, name=n, handle=f"s_{n}")
        for n in ("x", "bluesky")
    ]
    page = f"{settings.KERYX_BASE_URL}/s/{seminar.slug}/"
    access = workspace_access(user, workspace, Perm.CONTENT_EDIT)
    post = post_create(
        access=access,
        seminar=seminar,
        data=PostInput(
            fields={"master_text": f"Εγγραφές ανοιχτές: {page}"},
            account_ids=[a.pk for a in accounts],
        ),
    )
    texts = dict(post.variants.values_list("network", "text"))
    links = {link.network: link for link in TrackedLink.objects.filter(post=post)}
    assert set(links) == {"x", "bluesky"}
    assert texts == {
        network: f"Εγγραφές ανοιχτές: {link.short_url}" for network, link in links.items()
    }
    assert post.master_text == f"Εγγραφές ανοιχτές: {page}"  # the master stays plain


def test_the_posts_link_is_each_variants_own_tracked_link_card(user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    """The composer's post-level link goes to every network as that network's own tracked
    link, follows the post when it changes, and gives way to a variant's own link."""
    from keryx.accounts.access import workspace_access
    from keryx.accounts.roles import Perm
    from keryx.content.domain.posts import PostInput, VariantInput, post_create, post_update

    accounts = {
        n: NetworkAccount.objects.create(workspace=workspace, network=n, name=n, handle=f"s_{n}")
        for n in ("facebook", "linkedin")
    }
    access = workspace_access(user, workspace, Perm.CONTENT_EDIT)
    post = post_create(
        access=access,
        seminar=seminar,
        data=PostInput(
            fields={"master_text": "Εγγραφές ανοιχτές", "link_url": "https://example.org/smm"},
            account_ids=[a.pk for a in accounts.values()],
        ),
    )

    def cards() -> dict[str, tuple[str, str, str]]:
        out = {}
        for v in Variant.objects.filter(post=post):
            link = TrackedLink.objects.filter(
                variant=v, destination=v.source_link_url or post.link_url
            )
            found = link.first()
            out[v.network] = (v.source_link_url, v.link_url, found.short_url if found else "")
        return out

    first = cards()
    assert {network: (source, published) for network, (source, published, _) in first.items()} == {
        "facebook": ("", first["facebook"][2]),
        "linkedin": ("", first["linkedin"][2]),
    }
    assert first["facebook"][1] != first["linkedin"][1]  # each network its own code
    assert all("/r/" in published for _, published, _ in first.values())

    # The post's link changes: every variant follows, with new tracked links.
    post_update(
        access=access, post=post, data=PostInput(fields={"link_url": "https://example.org/new"})
    )
    post.refresh_from_db()
    moved = cards()
    assert {
        TrackedLink.objects.get(code=p.rsplit("/", 1)[-1]).destination for _, p, _ in moved.values()
    } == {"https://example.org/new"}

    # A variant with a link of its own keeps it; removing the post's link empties the others.
    post_update(
        access=access,
        post=post,
        data=PostInput(
            fields={"link_url": ""},
            variants=[
                VariantInput(account_id=accounts["linkedin"].pk, link_url="https://example.org/li")
            ],
        ),
    )
    post.refresh_from_db()
    last = cards()
    assert last["facebook"][:2] == ("", "")
    assert last["linkedin"][0] == "https://example.org/li"
    assert TrackedLink.objects.get(code=last["linkedin"][1].rsplit("/", 1)[-1]).destination == (
        "https://example.org/li"
    )
