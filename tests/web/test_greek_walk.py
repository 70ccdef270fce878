"""Every page of the UI, in Greek, as every role: no English left where a translation exists,
and no server error (issue 16).

The check is driven by the catalogues, not by a list typed by hand: every English msgid of
every app's Greek catalogue that has a different Greek translation is looked for in the visible
text of each page. To avoid false alarms it only looks for msgids of two words or more, or of
one word of six letters or more; it drops text that is the demo's own data (titles, posts,
names: they may be English on purpose), text marked as another language (``lang="en"``, the
language switch) and code. The pages come from the URL resolver: every named pattern, with its
arguments filled from the demo workspace ``keryx demo`` creates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import keryx
from keryx.accounts.access import workspace_access
from keryx.accounts.models import Membership, User
from keryx.accounts.roles import Perm, Role
from keryx.analytics.domain.demo import demo_campaigns
from keryx.analytics.models import AdCampaign
from keryx.content.domain.demo import demo_content
from keryx.content.models import HashtagSet, KeywordList, MediaItem, Post, Template, Variant
from keryx.links.domain.demo import demo_audience
from keryx.links.models import TrackedLink
from keryx.networks.models import NetworkAccount
from keryx.registrations.domain.tokens import (
    confirm_token_make,
    manage_token_make,
)
from keryx.registrations.models import Registration
from keryx.seminars.domain.demo import demo_create
from keryx.seminars.models import Persona, Session, Speaker

pytestmark = pytest.mark.django_db

SOURCE = Path(keryx.__file__).parent
SKIPPED_PREFIXES = ("api/", "admin/", "accounts/", "media/", "r/", "^r/")
# The audit log's action codes and field names get display labels in the privacy work
# (issue 15); until that lands the audit page is left out of this walk.
SKIPPED_NAMES = {"web:audit"}
# Text inside these is code or data, not interface.
SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea", "svg", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|<[^>]+>")


# --- the catalogues ------------------------------------------------------------------------


def _fragments(msgid: str) -> Iterator[str]:
    """The literal pieces of a msgid between its placeholders and tags."""
    for piece in PLACEHOLDER.split(msgid):
        piece = " ".join(piece.split()).strip(" .,:;·—–-()«»“”\"'")
        if piece:
            yield piece


def _worth_checking(text: str) -> bool:
    words = text.split()
    return len(words) >= 2 or (len(words) == 1 and sum(ch.isalpha() for ch in text) >= 6)


def _entries() -> Iterator[tuple[str, polib.POEntry]]:
    for po_path in sorted(SOURCE.glob("*/locale/el/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_path)):
            yield po_path.parents[3].name, entry


def english_with_greek() -> dict[str, str]:
    """English text → the catalogue it comes from, for every translated entry, except English
    that Greek itself uses (a term a Greek translation keeps: "Check-in", "Google Calendar")."""
    greek_blob = "\n".join(
        text
        for _app, entry in _entries()
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if text
    )
    found: dict[str, str] = {}
    for app, entry in _entries():
        if True:
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            pairs = [(entry.msgid, entry.msgstr)]
            if entry.msgid_plural:
                plural = entry.msgstr_plural
                pairs = [(entry.msgid, plural.get(0, "")), (entry.msgid_plural, plural.get(1, ""))]
            for english, greek in pairs:
                if not greek or greek == english or english in greek_blob:
                    continue
                whole = " ".join(english.split())
                if not PLACEHOLDER.search(english):
                    if _worth_checking(whole):
                        found.setdefault(whole, app)
                    continue
                # With placeholders: only fragments long enough to be unmistakable.
                for fragment in _fragments(english):
                    if len(fragment.split()) >= 3 and fragment not in greek_blob:
                        found.setdefault(fragment, app)
    return found


# --- visible text --------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """Text nodes and a few attributes a reader sees, minus code and other-language parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    @property
    def hidden(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        skip = tag in SKIPPED_TAGS or (lang is not None and not lang.startswith("el"))
        if not (self.hidden or skip):
            for name in ATTRIBUTES:
                if values.get(name):
                    self.texts.append(str(values[name]))
            if (
                tag == "input"
                and values.get("type") in {"submit", "button"}
                and values.get("value")
            ):
                self.texts.append(str(values["value"]))
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.texts.append(data)


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [" ".join(t.split()) for t in parser.texts]


def user_data_blob() -> str:
    """Every text value stored in the database: what users (here: the demo) wrote."""
    values: list[str] = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            values.extend(_strings(row))
    return "\n".join(" ".join(v.split()) for v in values)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


# --- the pages -----------------------------------------------------------------------------


def named_routes() -> Iterator[tuple[str, str, URLPattern]]:
    def walk(
        patterns: list[URLPattern | URLResolver], prefix: str, ns: str
    ) -> Iterator[tuple[str, str, URLPattern]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                namespace = ns + (f"{p.namespace}:" if p.namespace else "")
                yield from walk(p.url_patterns, prefix + str(p.pattern), namespace)
            elif p.name:
                yield prefix + str(p.pattern), ns + p.name, p

    yield from walk(get_resolver().url_patterns, "", "")


@dataclass
class DemoWorld:
    workspace: str
    values: dict[str, list[Any]]
    routes: dict[str, dict[str, list[Any]]]


def demo_world() -> DemoWorld:
    demo = demo_create()
    users = {Role(role): User.objects.get(email=email) for role, email in demo.logins.items()}
    demo_content(demo.seminar, users)
    demo_audience(demo.seminar, users)
    demo_campaigns(demo.seminar, users)
    seminar = demo.seminar
    registration = Registration.objects.filter(seminar=seminar).order_by("pk").first()
    assert registration is not None
    variants = list(Variant.objects.filter(post__seminar=seminar).order_by("pk"))
    states: dict[str, Variant] = {}
    for variant in variants:
        states.setdefault(variant.status, variant)
    values: dict[str, list[Any]] = {
        "workspace": [seminar.workspace.slug],
        "seminar_id": [seminar.pk],
        "post_id": list(Post.objects.filter(seminar=seminar).values_list("pk", flat=True)),
        "variant_id": [v.pk for v in states.values()],
        "registration_id": [registration.pk],
        "media_id": list(MediaItem.objects.values_list("pk", flat=True)),
        "link_id": list(TrackedLink.objects.values_list("pk", flat=True)[:1]),
        "account_id": list(NetworkAccount.objects.values_list("pk", flat=True)[:1]),
        "member_id": list(Membership.objects.values_list("pk", flat=True)[:1]),
        "slug": [seminar.slug],
        "area": ["inbox"],
        "network": ["mastodon", "bluesky", "webhook"],
        "fmt": ["svg"],
        "campaign_id": list(AdCampaign.objects.values_list("pk", flat=True)[:1]),
        "chart": ["registrations"],
    }
    routes = {
        "content:template_edit": {"pk": list(Template.objects.values_list("pk", flat=True))},
        "content:hashtag_set_edit": {"pk": list(HashtagSet.objects.values_list("pk", flat=True))},
        "content:keyword_list_edit": {"pk": list(KeywordList.objects.values_list("pk", flat=True))},
        "registrations:confirm": {"token": [confirm_token_make(registration.public_id)]},
        "registrations:manage": {"token": [manage_token_make(registration.public_id)]},
        "registrations:manage_cancel": {"token": [manage_token_make(registration.public_id)]},
    }
    for kind, model in (("personas", Persona), ("sessions", Session), ("speakers", Speaker)):
        pks = list(model.objects.filter(seminar=seminar).values_list("pk", flat=True)[:1])
        for name in ("seminars:child_edit", "seminars:child_new"):
            entry = routes.setdefault(name, {"kind": []})
            if name == "seminars:child_new" or pks:
                entry["kind"].append(kind)
            if name == "seminars:child_edit" and pks:
                entry.setdefault("pk", []).extend(pks)
    from django.utils import timezone

    from keryx.insights.models import CrisisAlert

    alert = CrisisAlert.objects.create(
        workspace=seminar.workspace,
        seminar=seminar,
        kind="crisis",
        detected_at=timezone.now(),
        window_start=timezone.now() - dt.timedelta(minutes=30),
        mentions=42,
        negative_share=0.7,
        expected=5.0,
    )
    values["alert_id"] = [alert.pk]

    from keryx.inbox.domain.demo import demo_inbox
    from keryx.inbox.models import Conversation, Reply

    demo_inbox(seminar, users)
    values["conversation_id"] = list(
        Conversation.objects.filter(workspace=seminar.workspace).values_list("pk", flat=True)[:2]
    )
    values["reply_id"] = list(Reply.objects.values_list("pk", flat=True)[:1])

    # A live room with a poll and a question, and the demo's surveys with an invitation.
    from keryx.live.domain.participants import participant_join
    from keryx.live.domain.polls import poll_create
    from keryx.live.domain.questions import question_ask
    from keryx.live.domain.rooms import room_open
    from keryx.surveys.domain.demo import demo_surveys
    from keryx.surveys.models import Invitation, Survey

    owner = users[Role.OWNER]
    room = room_open(
        access=workspace_access(owner, seminar.workspace, Perm.LIVE_MODERATE), seminar=seminar
    )
    poll = poll_create(
        access=workspace_access(owner, seminar.workspace, Perm.LIVE_MODERATE),
        room=room,
        kind="single",
        question="Πώς σας φαίνεται η ενότητα;",
        options=["Καλά", "Πολύ καλά"],
    )
    question = question_ask(
        room=room,
        participant=participant_join(seminar=seminar),
        text="Θα μοιραστείτε τις διαφάνειες;",
    )
    demo_surveys(seminar, users)
    # Snapshots over time, a rating poll, and an A/B test of two versions for one network.
    from collections import defaultdict

    from keryx.analytics.domain.demo import demo_metrics
    from keryx.analytics.models import AbTest

    demo_metrics(seminar, users)
    per_network: dict[str, list[Variant]] = defaultdict(list)
    for variant in variants:
        per_network[variant.network].append(variant)
    pair = next(vs for vs in per_network.values() if len(vs) >= 2)
    ab = AbTest.objects.create(
        workspace=seminar.workspace,
        seminar=seminar,
        name="Κάλεσμα ή ερώτηση;",
        kind="text",
        goal="clicks",
        variant_a=pair[0],
        variant_b=pair[1],
        winner="b",
    )
    values["test_id"] = [ab.pk]
    surveys = list(Survey.objects.filter(workspace=seminar.workspace).order_by("pk"))
    invitation = Invitation.objects.order_by("pk").first()
    values.update(
        code=[room.code, *(s.public_code for s in surveys[:1])],
        room_id=[room.pk],
        poll_id=[poll.pk],
        question_id=[question.pk],
        survey_id=[s.pk for s in surveys[:2]],
        what=["questions"],
    )
    if invitation is not None:
        values["token"] = [invitation.token]
    # A generated report and a schedule (the reports page, its polled row and download).
    from keryx.analytics.domain.reports import report_generate, report_request
    from keryx.analytics.domain.schedules import schedule_create

    analytics = workspace_access(owner, seminar.workspace, Perm.ANALYTICS_EDIT)
    report = report_request(access=analytics, seminar=seminar, fmt="html", language="el")
    report_generate(report_id=report.pk)
    schedule = schedule_create(
        access=analytics, seminar=seminar, frequency="weekly", fmt="pdf", language="el"
    )
    values.update(report_id=[report.pk], schedule_id=[schedule.pk])

    # The demo's community: its staff pages by id, its attendees' entry page by its code.
    from keryx.community.domain.demo import demo_community
    from keryx.community.models import Announcement, Material, Member, Reply, Thread

    community = demo_community(seminar, users)
    values["code"].append(community.code)
    values.update(
        thread_id=list(Thread.objects.values_list("pk", flat=True)[:1]),
        reply_id=list(Reply.objects.values_list("pk", flat=True)[:1]),
        material_id=list(Material.objects.values_list("pk", flat=True)[:1]),
        announcement_id=list(Announcement.objects.values_list("pk", flat=True)[:1]),
    )
    routes["community:member_remove"] = {
        "member_id": list(Member.objects.values_list("pk", flat=True)[:1])
    }
    User.objects.update(language="el")
    return DemoWorld(seminar.workspace.slug, values, routes)


def urls_of(world: DemoWorld) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, url) for every page that can be filled in; the names that could not."""
    pages: list[tuple[str, str]] = []
    unfilled: list[str] = []
    for route, name, pattern in named_routes():
        if route.startswith(SKIPPED_PREFIXES) or name in SKIPPED_NAMES:
            continue
        wanted = list(pattern.pattern.regex.groupindex)
        options = {**{k: world.values.get(k, []) for k in wanted}, **world.routes.get(name, {})}
        if any(not options.get(k) for k in wanted):
            unfilled.append(name)
            continue
        combos: list[dict[str, Any]] = [{}]
        for key in wanted:
            combos = [{**c, key: v} for c in combos for v in options[key]]
        if name == "seminars:child_edit":  # each kind with its own object
            combos = combos[:1]
        for kwargs in combos:
            from django.urls import reverse

            pages.append((name, reverse(name, kwargs=kwargs)))
    return pages, unfilled


@dataclass(frozen=True)
class Finding:
    role: str
    url: str
    english: str
    catalogue: str

    def __str__(self) -> str:
        return f"{self.role} {self.url}: “{self.english}” ({self.catalogue} catalogue)"


def english_on(html: str, catalogue: dict[str, str], blob: str) -> list[tuple[str, str]]:
    texts = [t for t in visible_texts(html) if t and t not in blob]
    page = "\n".join(texts)
    hits = []
    for english, app in catalogue.items():
        # A whole word or phrase: not part of a longer word, an address (seminar.bsky.social),
        # a template field ({seminar.title}) or a code.
        if english in page and re.search(
            rf"(?<![\w.@/{{_-]){re.escape(english)}(?![\w}}_]|[.@/-]\w)", page
        ):
            hits.append((english, app))
    return hits


def test_visible_text_skips_code_other_languages_and_scripts() -> None:
    html = (
        '<p>Μία <b>φορά</b></p><script>var x = "Save changes";</script>'
        '<button lang="en">English</button><code>Save changes</code>'
        '<input placeholder="Search here"><img alt="Company logo">'
    )
    assert visible_texts(html) == ["Μία", "φορά", "Search here", "Company logo"]


def test_every_page_in_greek_as_every_role_has_no_english_and_no_error() -> None:
    world = demo_world()
    catalogue = english_with_greek()
    assert len(catalogue) > 500  # the catalogues were read
    blob = user_data_blob()
    pages, unfilled = urls_of(world)
    assert len(pages) > 60
    # Pages the walk cannot reach with the demo's data (tokens and one-off objects it has
    # none of); listed so that a new page that cannot be filled is noticed.
    assert sorted(unfilled) == [
        "content:library_delete",
        "networks:choose",
        "publishing:resume",
        "registrations:email_resend",
        "seminars:child_delete",
        "surveys:testimonial_library",
        "web:api_token_revoke",
    ]
    errors: list[str] = []
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for role in Role:
        user = Membership.objects.get(workspace__slug=world.workspace, role=role).user
        client = Client(headers={"Accept-Language": "el"}, raise_request_exception=False)
        client.force_login(user)
        for _name, url in pages:
            response = client.get(url)
            if response.status_code >= 500:
                errors.append(f"{role.value} {url}: {response.status_code}")
                continue
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for english, app in english_on(response.content.decode(), catalogue, blob):
                if (url, english) not in seen:
                    seen.add((url, english))
                    findings.append(Finding(role.value, url, english, app))
    assert errors == []
    assert [str(f) for f in findings] == []
