"""Every model of a Keryx app that holds personal fields is covered by a registry entry.

The heuristic finds personal fields by type (e-mail and IP address fields) and by name (names,
handles, user agents, person-written texts). A model it flags must either be declared in some
app's ``personal_data.py`` or be in ``NOT_PERSONAL`` with the reason it holds no personal data.
New apps (live, surveys, community, inbox…) are checked the same way as soon as they are
installed.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

from keryx.core import personal_data

PERSONAL_NAMES = frozenset(
    {
        "name",
        "first_name",
        "last_name",
        "full_name",
        "display_name",
        "email",
        "phone",
        "ip",
        "ip_address",
        "user_agent",
        "handle",
        "handles",
        "author",
        "author_name",
        "author_handle",
        "nickname",
        "bio",
        "photo",
        "avatar_url",
        "body",
        "text",
        "note",
        "comment",
        "message",
        "answer",
        "question",
        "reason",
    }
)

# Models the heuristic flags that hold no personal data, and why.
NOT_PERSONAL: dict[str, str] = {
    "inbox.rule": "name labels an inbox rule the team wrote",
    "inbox.savedreply": "text is a reply template the team wrote (placeholders, no one's data)",
    "accounts.workspace": "name is the team's name",
    "analytics.abtest": "name labels an A/B test of two post versions",
    "analytics.adcampaign": "name is the ad campaign's name in the ad platform",
    "content.hashtagset": "name labels a set of hashtags",
    "content.keywordlist": "name labels a list of keywords",
    "content.template": "name and body are a post template the team wrote for the seminar",
    "content.variant": "text is the organisation's post on a network (authorship: a user id)",
    "live.poll": "question is the moderator's poll question, written for the room",
    "live.polloption": "text is an answer option the moderator wrote",
    "surveys.question": "text is the survey's question, written by the team",
    "content.mediaitem": "name is the uploaded file's name; the library holds the seminar's "
    "images (a speaker's photo is the speaker's, declared by seminars)",
    "content.post": "author is a user id; the user is anonymised on erasure",
    "seminars.persona": "a made-up audience persona, not a person",
    "community.announcement": "title and body are the team's announcement (author: a user id)",
}


def personal_fields(model: type[models.Model]) -> list[str]:
    found = []
    for field in model._meta.concrete_fields:
        if isinstance(field, models.EmailField | models.GenericIPAddressField):
            found.append(field.name)
        elif field.name in PERSONAL_NAMES and (not field.is_relation or field.name == "author"):
            # A foreign key to a user is not personal by itself (the user is anonymised),
            # except an author: what a person wrote is about them.
            found.append(field.name)
    return found


def keryx_models() -> list[type[models.Model]]:
    return [
        m for m in apps.get_models() if m.__module__.startswith("keryx.") and not m._meta.abstract
    ]


def test_every_model_with_personal_fields_is_covered_or_explained() -> None:
    covered = {m._meta.label_lower for m in personal_data.covered_models()}
    missing = {
        m._meta.label_lower: personal_fields(m)
        for m in keryx_models()
        if personal_fields(m)
        and m._meta.label_lower not in covered
        and m._meta.label_lower not in NOT_PERSONAL
    }
    assert missing == {}, (
        "Declare these models in their app's personal_data.py (or explain in NOT_PERSONAL): "
        f"{missing}"
    )


def test_the_allow_list_names_only_real_uncovered_models() -> None:
    labels = {m._meta.label_lower for m in keryx_models()}
    covered = {m._meta.label_lower for m in personal_data.covered_models()}
    assert set(NOT_PERSONAL) <= labels
    assert set(NOT_PERSONAL) & covered == set()


def test_every_declared_field_exists_on_its_model() -> None:
    for kind in personal_data.kinds():
        names = {f.name for f in kind.model._meta.get_fields()} | {
            f.attname for f in kind.model._meta.concrete_fields
        }
        assert set(kind.fields) <= names, (kind.key, set(kind.fields) - names)
        assert kind.key == kind.model._meta.label_lower
        if kind.workspace_field is not None:
            assert kind.model._default_manager.filter(**{kind.workspace_field: 0}).query


def test_the_declared_kinds_of_the_existing_apps() -> None:
    assert {k.key for k in personal_data.kinds()} >= {
        "accounts.user",
        "accounts.membership",
        "accounts.apitoken",
        "registrations.registration",
        "registrations.consent",
        "registrations.registrantemail",
        "links.click",
        "notifications.notification",
        "content.comment",
        "content.review",
        "publishing.attempt",
        "publishing.pause",
        "networks.networkaccount",
        "seminars.speaker",
        "core.auditentry",
        "account.emailaddress",
        "axes.accessattempt",
        "sessions.session",
    }


def test_a_new_model_with_an_email_field_is_caught() -> None:
    class Attendee(models.Model):
        email = models.EmailField()
        score = models.IntegerField()

        class Meta:
            app_label = "privacy"
            managed = False

        def __str__(self) -> str:
            return self.email

    try:
        assert personal_fields(Attendee) == ["email"]
    finally:
        apps.all_models["privacy"].pop("attendee", None)
        apps.clear_cache()
