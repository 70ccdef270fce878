"""The content library: templates with placeholders, hashtag sets, keyword lists."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.models import HashtagSet, KeywordList, Template
from keryx.core.domain.audit import audit_record, changes_between, snapshot
from keryx.core.domain.validation import ErrorCollector
from keryx.core.errors import ValidationFailed
from keryx.core.text import hashtag_key, is_valid_hashtag, normalize_hashtag
from keryx.seminars.models import Seminar, Session, Speaker

PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)?)\}")
TEMPLATE_FIELDS = ("name", "theme", "campaign_phase", "language", "body", "hashtag_set")


@dataclass(frozen=True)
class Fill:
    """What a template becomes for one seminar (and speaker or session)."""

    text: str
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    seminar: Seminar
    language: str
    speaker: Speaker | None
    session: Session | None


def _seminar_title(ctx: Context) -> str:
    if ctx.language != ctx.seminar.language:
        other = ctx.seminar.translations.filter(language=ctx.language).first()
        if other is not None:
            return other.title
    return ctx.seminar.title


def _seminar_summary(ctx: Context) -> str:
    if ctx.language != ctx.seminar.language:
        other = ctx.seminar.translations.filter(language=ctx.language).first()
        if other is not None and other.summary:
            return other.summary
    return ctx.seminar.summary


def _when(value: dt.datetime, ctx: Context, fmt_el: str, fmt_en: str) -> str:
    local = value.astimezone(ctx.seminar.tz)
    with translation.override(ctx.language):
        return str(dateformat.format(local, fmt_el if ctx.language == "el" else fmt_en))


def _registration_link(ctx: Context) -> str:
    """The seminar's public registration page, once the registrations app provides one."""
    for name in ("registrations:page",):
        try:
            path = reverse(name, kwargs={"slug": ctx.seminar.slug})
        except NoReverseMatch:
            continue
        return settings.KERYX_BASE_URL + path
    return ""


def _days_left(ctx: Context) -> str:
    today = timezone.now().astimezone(ctx.seminar.tz).date()
    return str(max((ctx.seminar.starts_at.astimezone(ctx.seminar.tz).date() - today).days, 0))


PLACEHOLDERS: dict[str, tuple[Any, Callable[[Context], str]]] = {
    "seminar.title": (
        gettext_lazy("the seminar's title (in the template's language)"),
        _seminar_title,
    ),
    "seminar.summary": (gettext_lazy("the one-line summary"), _seminar_summary),
    "seminar.date": (
        gettext_lazy("the day, e.g. Saturday 12 December 2026"),
        lambda c: _when(c.seminar.starts_at, c, "l j E Y", "l j F Y"),
    ),
    "seminar.time": (
        gettext_lazy("the start time, e.g. 09:30"),
        lambda c: _when(c.seminar.starts_at, c, "H:i", "H:i"),
    ),
    "seminar.venue": (
        gettext_lazy("venue and city"),
        lambda c: ", ".join(p for p in (c.seminar.venue_name, c.seminar.venue_city) if p),
    ),
    "seminar.city": (gettext_lazy("the city"), lambda c: c.seminar.venue_city),
    "seminar.online_url": (gettext_lazy("the online room link"), lambda c: c.seminar.online_url),
    "seminar.stream_url": (gettext_lazy("the live stream link"), lambda c: c.seminar.stream_url),
    "seminar.hashtags": (
        gettext_lazy("the official hashtags"),
        lambda c: " ".join(c.seminar.hashtags or []),
    ),
    "seminar.days_left": (gettext_lazy("days until the seminar"), _days_left),
    "speaker.name": (
        gettext_lazy("the chosen speaker's name"),
        lambda c: c.speaker.name if c.speaker else "",
    ),
    "speaker.job_title": (
        gettext_lazy("the speaker's job title"),
        lambda c: c.speaker.job_title if c.speaker else "",
    ),
    "speaker.organisation": (
        gettext_lazy("the speaker's organisation"),
        lambda c: c.speaker.organisation if c.speaker else "",
    ),
    "session.title": (
        gettext_lazy("the chosen agenda session"),
        lambda c: c.session.title if c.session else "",
    ),
    "session.time": (
        gettext_lazy("when that session starts"),
        lambda c: _when(c.session.starts_at, c, "H:i", "H:i") if c.session else "",
    ),
    "registration_link": (gettext_lazy("the registration page link"), _registration_link),
}


def placeholders_in(body: str) -> list[str]:
    return list(dict.fromkeys(PLACEHOLDER.findall(body)))


def template_render(
    *,
    template: Template,
    seminar: Seminar,
    speaker: Speaker | None = None,
    session: Session | None = None,
    language: str | None = None,
) -> Fill:
    """Fill the placeholders; one without a value stays as written and is listed as missing."""
    ctx = Context(
        seminar=seminar, language=language or template.language, speaker=speaker, session=session
    )
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        entry = PLACEHOLDERS.get(name)
        value = entry[1](ctx) if entry else ""
        if not value:
            missing.append(name)
            return match.group(0)
        return value

    text = PLACEHOLDER.sub(fill, template.body)
    if template.hashtag_set is not None and template.hashtag_set.hashtags:
        tags = [t for t in template.hashtag_set.hashtags if t not in text]
        if tags:
            text = text.rstrip() + "\n\n" + " ".join(tags)
    return Fill(text=text, missing=list(dict.fromkeys(missing)))


def _check_placeholders(body: str, errors: ErrorCollector) -> None:
    unknown = [p for p in placeholders_in(body) if p not in PLACEHOLDERS]
    if unknown:
        errors.add(
            "body",
            _("Unknown placeholder %(names)s. Use one of: %(known)s.")
            % {
                "names": ", ".join("{" + u + "}" for u in unknown),
                "known": ", ".join("{" + k + "}" for k in PLACEHOLDERS),
            },
        )


@transaction.atomic
def template_save(
    *, access: Access, fields: Mapping[str, Any], template: Template | None = None
) -> Template:
    access.require(Perm.CONTENT_EDIT)
    creating = template is None
    target = template or Template(workspace=access.workspace, created_by=access.user)
    before = snapshot(target, TEMPLATE_FIELDS)
    errors = ErrorCollector()
    for key, value in fields.items():
        if key == "hashtag_set_id":
            found = (
                HashtagSet.objects.filter(workspace=access.workspace, pk=value).first()
                if value
                else None
            )
            if value and found is None:
                errors.add("hashtag_set_id", _("Choose a hashtag set of this workspace."))
            target.hashtag_set = found
        elif key in TEMPLATE_FIELDS:
            setattr(target, key, value.strip() if isinstance(value, str) else value)
    errors.check(target, exclude=["workspace", "created_by", "hashtag_set"])
    _check_placeholders(target.body, errors)
    errors.raise_if_any()
    target.save()
    audit_record(
        action="template.create" if creating else "template.update",
        actor=access.user,
        workspace=access.workspace,
        obj=target,
        changes=changes_between(before, snapshot(target, TEMPLATE_FIELDS)),
    )
    return target


def _delete(access: Access, obj: Template | HashtagSet | KeywordList, action: str) -> None:
    access.require(Perm.CONTENT_EDIT)
    audit_record(action=action, actor=access.user, workspace=access.workspace, obj=obj)
    obj.delete()


@transaction.atomic
def template_delete(*, access: Access, template: Template) -> None:
    _delete(access, template, "template.delete")


def _clean_hashtags(values: list[str], errors: ErrorCollector) -> list[str]:
    tags: list[str] = []
    for raw in values:
        if not str(raw).strip():
            continue
        tag = normalize_hashtag(str(raw))
        if not is_valid_hashtag(tag):
            errors.add(
                "hashtags",
                _(
                    "“%(tag)s” is not a hashtag: use letters (any script), digits and _ only, "
                    "with at least one letter."
                )
                % {"tag": raw},
            )
        elif hashtag_key(tag) not in {hashtag_key(t) for t in tags}:
            tags.append(tag)  # #Σεμινάριο and #σεμιναριο are one tag: the first spelling stays
    return tags


@transaction.atomic
def hashtag_set_save(
    *, access: Access, name: str, hashtags: list[str], item: HashtagSet | None = None
) -> HashtagSet:
    access.require(Perm.CONTENT_EDIT)
    creating = item is None
    target = item or HashtagSet(workspace=access.workspace)
    before = snapshot(target, ("name", "hashtags"))
    errors = ErrorCollector()
    target.name = name.strip()
    target.hashtags = _clean_hashtags(hashtags, errors)
    if not target.hashtags and not errors.fields:
        errors.add("hashtags", _("Add at least one hashtag."))
    errors.check(target, exclude=["workspace", "hashtags"])
    errors.raise_if_any()
    target.save()
    audit_record(
        action="hashtag_set.create" if creating else "hashtag_set.update",
        actor=access.user,
        workspace=access.workspace,
        obj=target,
        changes=changes_between(before, snapshot(target, ("name", "hashtags"))),
    )
    return target


@transaction.atomic
def hashtag_set_delete(*, access: Access, item: HashtagSet) -> None:
    _delete(access, item, "hashtag_set.delete")


@transaction.atomic
def keyword_list_save(
    *,
    access: Access,
    name: str,
    keywords: list[str],
    language: str,
    item: KeywordList | None = None,
) -> KeywordList:
    access.require(Perm.CONTENT_EDIT)
    creating = item is None
    target = item or KeywordList(workspace=access.workspace)
    before = snapshot(target, ("name", "language", "keywords"))
    target.name = name.strip()
    target.language = language
    target.keywords = list(dict.fromkeys(k.strip() for k in keywords if k.strip()))
    errors = ErrorCollector()
    if not target.keywords:
        errors.add("keywords", _("Add at least one keyword."))
    if any(len(k) > 100 for k in target.keywords):
        errors.add("keywords", _("Keep each keyword under 100 characters."))
    errors.check(target, exclude=["workspace", "keywords"])
    errors.raise_if_any()
    target.save()
    audit_record(
        action="keyword_list.create" if creating else "keyword_list.update",
        actor=access.user,
        workspace=access.workspace,
        obj=target,
        changes=changes_between(before, snapshot(target, ("name", "language", "keywords"))),
    )
    return target


@transaction.atomic
def keyword_list_delete(*, access: Access, item: KeywordList) -> None:
    _delete(access, item, "keyword_list.delete")


def ensure_valid_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(fields={"language": [_("Choose Greek or English.")]})
