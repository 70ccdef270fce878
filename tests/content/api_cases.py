from __future__ import annotations

import base64
import io

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.domain.library import hashtag_set_save, keyword_list_save, template_save
from keryx.content.domain.media import media_upload
from keryx.content.domain.posts import MediaChoice, PostInput, post_create
from keryx.content.domain.review import post_submit
from keryx.networks.models import NetworkAccount
from tests.api.cases import World, case, world_builder
from tests.content.conftest import image_bytes
from tests.factories import make_member

V1 = "/api/v1"
TINY_PNG = base64.b64encode(image_bytes(10, 10, "PNG")).decode()


def W(w: World) -> str:
    return f"{V1}/workspaces/{w.ws}"


def P(w: World, key: str = "draft") -> str:
    return f"{W(w)}/posts/{w.objects[key].pk}"


def _media(access, width: int, height: int, name: str):  # type: ignore[no-untyped-def]
    data = image_bytes(width, height)
    return media_upload(
        access=access, handle=io.BytesIO(data), size=len(data), name=name, alt_text="Εικόνα"
    )


@world_builder
def _content(world: World) -> None:
    access = workspace_access(world.owner, world.workspace, Perm.CONTENT_EDIT)
    accounts = {
        n: NetworkAccount.objects.create(
            workspace=world.workspace, network=n, name=f"Κόσμος {n}", handle=n
        )
        for n in ("bluesky", "mastodon", "instagram")
    }
    world.objects["accounts"] = accounts
    wide = _media(access, 1600, 600, "banner.jpg")
    world.objects["wide"] = wide
    world.objects["spare"] = _media(access, 800, 800, "spare.jpg")
    text = {"master_text": "Καλημέρα από το #Σεμινάριο2026"}
    world.objects["draft"] = post_create(
        access=access,
        seminar=world.seminar,
        data=PostInput(fields=text, account_ids=[accounts["bluesky"].pk, accounts["mastodon"].pk]),
    )
    world.objects["fixpost"] = post_create(
        access=access,
        seminar=world.seminar,
        data=PostInput(
            fields=text,
            account_ids=[accounts["instagram"].pk],
            media=[MediaChoice(media_id=wide.pk, alt_text="Πανό")],
        ),
    )
    author = make_member(world.workspace, "editor", email="author@example.org")
    author_access = workspace_access(author, world.workspace, Perm.CONTENT_EDIT)
    review = post_create(
        access=author_access,
        seminar=world.seminar,
        data=PostInput(fields=text, account_ids=[accounts["bluesky"].pk]),
    )
    post_submit(access=author_access, post=review)
    world.objects["review"] = review
    tags = hashtag_set_save(access=access, name="Βασικά", hashtags=["#Σεμινάριο2026"])
    world.objects["hashtags"] = tags
    world.objects["keywords"] = keyword_list_save(
        access=access, name="Λέξεις", keywords=["social media"], language="el"
    )
    world.objects["template"] = template_save(
        access=access,
        fields={
            "name": "Ανακοίνωση",
            "body": "Έρχεται το {seminar.title}!",
            "hashtag_set_id": tags.pk,
        },
    )


case("content_posts_list", "get", lambda w: f"{W(w)}/posts")
case(
    "content_posts_create",
    "post",
    lambda w: f"{W(w)}/posts",
    lambda w: {
        "seminar_id": w.seminar.pk,
        "master_text": "Νέα ανάρτηση",
        "account_ids": [w.objects["accounts"]["bluesky"].pk],
    },
)
case("content_posts_get", "get", P)
case("content_posts_update", "patch", P, lambda w: {"master_text": "Άλλο κείμενο"})
case("content_posts_delete", "delete", P)
case(
    "content_posts_duplicate",
    "post",
    lambda w: f"{P(w)}/duplicate",
    lambda w: {"seminar_id": w.seminar.pk},
)
case("content_posts_submit", "post", lambda w: f"{P(w)}/submit")
case(
    "content_posts_approve",
    "post",
    lambda w: f"{P(w, 'review')}/approve",
    lambda w: {"note": "", "revision": w.objects["review"].revision},
)
case(
    "content_posts_request_changes",
    "post",
    lambda w: f"{P(w, 'review')}/request-changes",
    lambda w: {"note": "Πιο σύντομο"},
)
case("content_comments_list", "get", lambda w: f"{P(w)}/comments")
case("content_comments_create", "post", lambda w: f"{P(w)}/comments", lambda w: {"body": "Ωραίο!"})
case(
    "content_variant_media_fix",
    "post",
    lambda w: (
        f"{P(w, 'fixpost')}/variants/{w.objects['fixpost'].variants.get().pk}/media/{w.objects['wide'].pk}/fix"
    ),
)
case(
    "content_check",
    "post",
    lambda w: f"{W(w)}/compose/check",
    lambda w: {"network": "x", "text": "Γεια"},
)
case("content_media_list", "get", lambda w: f"{W(w)}/media")
case(
    "content_media_upload",
    "post",
    lambda w: f"{W(w)}/media",
    lambda w: {"filename": "tiny.png", "content_base64": TINY_PNG, "alt_text": "Μικρή"},
)
case("content_media_get", "get", lambda w: f"{W(w)}/media/{w.objects['spare'].pk}")
case(
    "content_media_update",
    "patch",
    lambda w: f"{W(w)}/media/{w.objects['spare'].pk}",
    lambda w: {"alt_text": "Νέα περιγραφή"},
)
case("content_media_delete", "delete", lambda w: f"{W(w)}/media/{w.objects['spare'].pk}")
case(
    "content_media_fix",
    "post",
    lambda w: f"{W(w)}/media/{w.objects['wide'].pk}/fix",
    lambda w: {"network": "instagram"},
)
case("content_themes_list", "get", lambda w: f"{W(w)}/content/themes")
case("content_placeholders_list", "get", lambda w: f"{W(w)}/content/placeholders")
case("content_templates_list", "get", lambda w: f"{W(w)}/templates")
case(
    "content_templates_create",
    "post",
    lambda w: f"{W(w)}/templates",
    lambda w: {"name": "Ευχαριστώ", "body": "Ευχαριστούμε για το {seminar.title}!"},
)
T = lambda w: f"{W(w)}/templates/{w.objects['template'].pk}"  # noqa: E731
case("content_templates_get", "get", T)
case("content_templates_update", "patch", T, lambda w: {"name": "Νέο όνομα"})
case("content_templates_delete", "delete", T)
case(
    "content_templates_render",
    "post",
    lambda w: f"{T(w)}/render",
    lambda w: {"seminar_id": w.seminar.pk},
)
case("content_hashtag_sets_list", "get", lambda w: f"{W(w)}/hashtag-sets")
case(
    "content_hashtag_sets_create",
    "post",
    lambda w: f"{W(w)}/hashtag-sets",
    lambda w: {"name": "Νέο", "hashtags": ["#Αθήνα"]},
)
case(
    "content_hashtag_sets_update",
    "put",
    lambda w: f"{W(w)}/hashtag-sets/{w.objects['hashtags'].pk}",
    lambda w: {"name": "Βασικά", "hashtags": ["#Σεμινάριο2026", "#SMM"]},
)
case(
    "content_hashtag_sets_delete",
    "delete",
    lambda w: f"{W(w)}/hashtag-sets/{w.objects['hashtags'].pk}",
)
case("content_keyword_lists_list", "get", lambda w: f"{W(w)}/keyword-lists")
case(
    "content_keyword_lists_create",
    "post",
    lambda w: f"{W(w)}/keyword-lists",
    lambda w: {"name": "Νέα", "language": "en", "keywords": ["seminar"]},
)
case(
    "content_keyword_lists_update",
    "put",
    lambda w: f"{W(w)}/keyword-lists/{w.objects['keywords'].pk}",
    lambda w: {"name": "Λέξεις", "language": "el", "keywords": ["μέτρηση"]},
)
case(
    "content_keyword_lists_delete",
    "delete",
    lambda w: f"{W(w)}/keyword-lists/{w.objects['keywords'].pk}",
)
case("content_policy_get", "get", lambda w: f"{W(w)}/content/policy")
case(
    "content_policy_update",
    "patch",
    lambda w: f"{W(w)}/content/policy",
    lambda w: {"required_approvals": 2},
)
