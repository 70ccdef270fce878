"""Writing posts: the master text, one variant per network account, media with alt texts.

A variant starts as a copy of the master (text and media) and follows it until someone edits
it by hand. Any change to what would be published raises the post's revision; an approved
post (or one in review) then goes back to review, with its variants.

Everything here reads and writes what the author wrote (``Variant.source_text`` …): the
published fields (``text`` …) are the source again, after ``variant_text_saved`` let other
apps (tracked links) change them. So an edit that does not change what the author wrote does
not change the post (docs/decisions/0309-variant-source-text.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.enums import LOCKED_VARIANT_STATUSES, PostStatus, VariantStatus
from keryx.content.models import (
    SOURCE_FIELDS,
    MediaItem,
    Post,
    PostMedia,
    Template,
    Variant,
    VariantMedia,
)
from keryx.content.signals import variant_text_saved
from keryx.core.domain.audit import audit_record, changes_between, snapshot
from keryx.core.domain.validation import ErrorCollector
from keryx.core.errors import Conflict, ValidationFailed
from keryx.core.text import normalize_post_text
from keryx.networks.models import AccountStatus, NetworkAccount
from keryx.networks.rules import NETWORK_KEYS
from keryx.seminars.models import Seminar

POST_FIELDS = ("seminar", "campaign_phase", "theme", "language", "master_text", "link_url")
# Fields that only describe the post: a change is audited but is not a new revision (nothing
# the networks get changes, so an approval still holds).
DESCRIPTIVE_POST_FIELDS = frozenset({"campaign_phase", "theme", "language"})
# What the author wrote in a variant: the fields compared to decide whether it changed.
VARIANT_FIELDS = tuple(SOURCE_FIELDS.values())


@dataclass(frozen=True)
class MediaChoice:
    media_id: int
    alt_text: str = ""


@dataclass
class VariantInput:
    """What to change in the variant for ``account_id``; ``None`` leaves a part as it is."""

    account_id: int
    text: str | None = None
    # False: follow the master text again. True: keep this text even when the master changes.
    edited: bool | None = None
    first_comment: str | None = None
    link_url: str | None = None
    media: Sequence[MediaChoice] | None = None
    media_edited: bool | None = None


@dataclass
class PostInput:
    """A post's fields (only those given change), its media, accounts and variant edits."""

    fields: dict[str, Any] = field(default_factory=dict)
    media: Sequence[MediaChoice] | None = None
    account_ids: Sequence[int] | None = None
    # Update the variants that were not edited by hand when the master text or media change.
    sync_variants: bool = True
    variants: Sequence[VariantInput] = ()
    template_id: int | None = None
    # The version the editor started from; a save refuses when the post moved on since
    # (``None``: last write wins, for callers that hold no copy).
    expected_version: int | None = None


class StaleEdit(Conflict):
    """Someone saved the post after this editor opened it (optimistic locking)."""

    code = "stale_version"

    def __init__(self, post: Post, seen: int) -> None:
        super().__init__(
            _(
                "This post was changed since you opened it (you started from version "
                "%(seen)s; it is now version %(now)s). Nothing was saved."
            )
            % {"seen": seen, "now": post.version},
            data={"revision": post.revision, "version": post.version},
        )
        self.post = post


def _clean_text(value: str) -> str:
    # One form for storage and counting: NFC (decomposed accents become one character) and
    # Unix newlines. Trailing spaces at the very end are dropped.
    return normalize_post_text(value.replace("\r\n", "\n").replace("\r", "\n")).rstrip()


def usable_accounts(access: Access) -> list[NetworkAccount]:
    """The workspace's connected accounts the composer offers; the test network's too only
    where it is switched on (``KERYX_ENABLE_TEST_NETWORK``: tests, benchmarks, demos)."""
    from django.conf import settings

    from keryx.networks.registry import network_keys

    keys = network_keys(listed=False) if settings.KERYX_ENABLE_TEST_NETWORK else NETWORK_KEYS
    return list(
        NetworkAccount.objects.filter(workspace=access.workspace, network__in=keys).exclude(
            status=AccountStatus.DISCONNECTED
        )
    )


def _accounts(access: Access, ids: Sequence[int], errors: ErrorCollector) -> list[NetworkAccount]:
    found = {a.pk: a for a in usable_accounts(access) if a.pk in set(ids)}
    if len(found) != len(set(ids)):
        errors.add(
            "account_ids",
            _("Choose connected network accounts of this workspace."),
        )
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def _media(
    access: Access, choices: Sequence[MediaChoice], errors: ErrorCollector, key: str
) -> list[tuple[MediaItem, str]]:
    ids = [c.media_id for c in choices]
    found = {m.pk: m for m in MediaItem.objects.filter(workspace=access.workspace, pk__in=ids)}
    if len(found) != len(set(ids)):
        errors.add(key, _("Choose files from this workspace's media library."))
    seen: set[int] = set()
    result = []
    for choice in choices:
        if choice.media_id in found and choice.media_id not in seen:
            seen.add(choice.media_id)
            result.append((found[choice.media_id], choice.alt_text.strip()))
    return result


def _media_state(links: Sequence[PostMedia] | Sequence[VariantMedia]) -> list[list[Any]]:
    return [[link.media_id, link.alt_text] for link in links]


def _set_post_media(post: Post, media: list[tuple[MediaItem, str]]) -> None:
    post.media_links.all().delete()
    PostMedia.objects.bulk_create(
        PostMedia(post=post, media=m, position=i, alt_text=alt or m.alt_text)
        for i, (m, alt) in enumerate(media)
    )


def _set_variant_media(variant: Variant, media: list[tuple[MediaItem, str]]) -> None:
    variant.media_links.all().delete()
    VariantMedia.objects.bulk_create(
        VariantMedia(variant=variant, media=m, position=i, alt_text=alt)
        for i, (m, alt) in enumerate(media)
    )


def _post_media(post: Post) -> list[tuple[MediaItem, str]]:
    return [(link.media, link.alt_text) for link in post.media_links.select_related("media")]


def _variant_snapshot(variant: Variant) -> dict[str, Any]:
    state = snapshot(variant, VARIANT_FIELDS)
    state["media"] = _media_state(list(variant.media_links.all()))
    return state


def _check_locked(variant: Variant, changed: bool) -> None:
    if changed and variant.status in LOCKED_VARIANT_STATUSES:
        raise Conflict(
            _(
                "The %(network)s variant is %(status)s and can no longer be changed. "
                "Duplicate the post to write a new one."
            )
            % {
                "network": variant.account.get_network_display(),
                "status": variant.get_status_display(),
            }
        )


@transaction.atomic
def post_create(*, access: Access, seminar: Seminar, data: PostInput) -> Post:
    """A new draft post for ``seminar`` with a variant for each chosen account."""
    access.require(Perm.CONTENT_EDIT)
    post = Post(workspace=access.workspace, seminar=seminar, author=access.user)
    if seminar.workspace_id != access.workspace.pk:
        raise ValidationFailed(fields={"seminar": [_("Choose a seminar of this workspace.")]})
    post.language = seminar.language
    _apply(access, post, data, creating=True)
    audit_record(
        action="post.create",
        actor=access.user,
        workspace=access.workspace,
        obj=post,
        changes={
            **{k: [None, v] for k, v in snapshot(post, POST_FIELDS).items()},
            "networks": [None, sorted(post.variants.values_list("network", flat=True))],
        },
    )
    return post


@transaction.atomic
def post_update(*, access: Access, post: Post, data: PostInput) -> Post:
    """Change a post and its variants, all or nothing."""
    access.require(Perm.CONTENT_EDIT)
    post = Post.objects.select_for_update().get(pk=post.pk, workspace=access.workspace)
    if data.expected_version is not None and data.expected_version != post.version:
        raise StaleEdit(post, data.expected_version)
    _apply(access, post, data, creating=False)
    return post


def _apply(access: Access, post: Post, data: PostInput, *, creating: bool) -> None:
    errors = ErrorCollector()
    before = snapshot(post, POST_FIELDS) if not creating else {}
    before_media = _media_state(list(post.media_links.all())) if not creating else []
    fields = dict(data.fields)
    if "seminar" in fields:
        seminar = fields["seminar"]
        if not isinstance(seminar, Seminar) or seminar.workspace_id != access.workspace.pk:
            errors.add("seminar", _("Choose a seminar of this workspace."))
            fields.pop("seminar")
    for key, value in fields.items():
        if key in POST_FIELDS:
            setattr(post, key, _clean_text(value) if key == "master_text" else value)
    if data.template_id is not None:
        template = Template.objects.filter(workspace=access.workspace, pk=data.template_id).first()
        if template is None:
            errors.add("template_id", _("Choose a template of this workspace."))
        post.template = template
    errors.check(post, exclude=["workspace", "author", "template", "duplicated_from", "seminar"])
    media = _media(access, data.media, errors, "media") if data.media is not None else None
    accounts = _accounts(access, data.account_ids, errors) if data.account_ids is not None else None
    if creating and not accounts:
        errors.add("account_ids", _("Choose at least one network account to post to."))
    inputs = {v.account_id: v for v in data.variants}
    variant_media: dict[int, list[tuple[MediaItem, str]]] = {}
    for index, given in enumerate(data.variants):
        if given.media is not None:
            variant_media[given.account_id] = _media(
                access, given.media, errors, f"variants[{index}].media"
            )
        if given.link_url:
            errors.check(
                Variant(link_url=given.link_url),
                prefix=f"variants[{index}].",
                exclude=["post", "account", "text", "network"],
            )
    errors.raise_if_any()

    # Every saved change moves the version; a change of the post's own fields does it in
    # this save, a change of media or variants in _content_changed's (no extra write).
    bumped = not creating and bool(changes_between(before, snapshot(post, POST_FIELDS)))
    if bumped:
        post.version += 1
    post.save()
    if media is not None:
        _set_post_media(post, media)
    master_media = _post_media(post)

    existing = {v.account_id: v for v in post.variants.select_related("account")}
    wanted = [a.pk for a in accounts] if accounts is not None else list(existing)
    changed_anything = False
    for account_id, old in list(existing.items()):
        if account_id not in wanted:
            _check_locked(old, True)
            old.delete()
            changed_anything = True
    account_by_id = {a.pk: a for a in accounts or []}
    touched_source: list[Variant] = []
    for account_id in wanted:
        found = existing.get(account_id)
        new = found is None
        if found is not None:
            variant = found
        else:
            account = account_by_id[account_id]
            variant = Variant(
                post=post,
                account=account,
                network=account.network,
                status=VariantStatus.DRAFT if creating else _status_for_new(post),
            )
        item = inputs.get(account_id)
        state = {} if new else _variant_snapshot(variant)
        _apply_variant(variant, item, post, sync=data.sync_variants or new)
        if item is not None and item.media is not None:
            chosen = variant_media.get(account_id, [])
            variant.media_edited = (
                item.media_edited
                if item.media_edited is not None
                else [(m.pk, a) for m, a in chosen] != [(m.pk, a) for m, a in master_media]
            )
            variant.save()
            _set_variant_media(variant, chosen)
        else:
            variant.save()
            if new or (not variant.media_edited and data.sync_variants and media is not None):
                _set_variant_media(variant, master_media)
        after = _variant_snapshot(variant)
        if new or after != state:
            _check_locked(variant, not new)
            changed_anything = True
        if new or any(after.get(f) != state.get(f) for f in VARIANT_FIELDS):
            touched_source.append(variant)

    post_changes = changes_between(before, snapshot(post, POST_FIELDS)) if not creating else {}
    if "link_url" in post_changes:
        # The post's link is the link card of every variant without its own: each of those
        # is published (and tracked) anew, and one already published cannot change.
        touched = {v.pk for v in touched_source}
        for variant in post.variants.select_related("account"):
            if variant.source_link_url or variant.pk in touched:
                continue
            _check_locked(variant, True)
            variant.post = post
            touched_source.append(variant)
    if _media_state(list(post.media_links.all())) != before_media and not creating:
        post_changes["media"] = [before_media, _media_state(list(post.media_links.all()))]
    if not creating and (changed_anything or set(post_changes) - DESCRIPTIVE_POST_FIELDS):
        _content_changed(access, post, post_changes, bump_version=not bumped)
    elif post_changes:
        audit_record(
            action="post.update",
            actor=access.user,
            workspace=access.workspace,
            obj=post,
            changes=post_changes,
        )
    for variant in touched_source:
        variant_text_saved.send(sender=Variant, variant=variant)


def _status_for_new(post: Post) -> str:
    return (
        VariantStatus.IN_REVIEW
        if post.status in {PostStatus.IN_REVIEW, PostStatus.APPROVED}
        else VariantStatus.DRAFT
    )


def _apply_variant(variant: Variant, item: VariantInput | None, post: Post, *, sync: bool) -> None:
    text = variant.source_text
    if item is not None and item.edited is False:
        text = post.master_text
        variant.text_edited = False
    elif item is not None and item.text is not None:
        text = _clean_text(item.text)
        variant.text_edited = text != post.master_text if item.edited is None else item.edited
    elif item is not None and item.edited is True:
        variant.text_edited = True
    elif not variant.text_edited and sync:
        text = post.master_text
    if variant.pk is None and not variant.text_edited:
        text = post.master_text
    _write(variant, "text", text)
    if item is not None and item.first_comment is not None:
        _write(variant, "first_comment", item.first_comment.strip())
    if item is not None and item.link_url is not None:
        _write(variant, "link_url", item.link_url.strip())


def _write(variant: Variant, field: str, value: str) -> None:
    """What the author wrote in ``field``. A new value is published as written until
    ``variant_text_saved`` lets other apps change it (tracked links); an unchanged one keeps
    what is published."""
    source = SOURCE_FIELDS[field]
    if variant.pk is None or getattr(variant, source) != value:
        setattr(variant, source, value)
        setattr(variant, field, value)


def _content_changed(
    access: Access, post: Post, changes: dict[str, Any], *, bump_version: bool = True
) -> None:
    """Something that would be published changed: a new revision, and back to review."""
    post.revision += 1
    update = ["revision", "updated_at"]
    if bump_version:
        post.version += 1
        update.append("version")
    back = post.status == PostStatus.APPROVED
    if back:
        post.status = PostStatus.IN_REVIEW
        update.append("status")
    post.save(update_fields=update)
    if post.status == PostStatus.IN_REVIEW:
        post.variants.exclude(status__in=LOCKED_VARIANT_STATUSES).exclude(
            status=VariantStatus.IN_REVIEW
        ).update(status=VariantStatus.IN_REVIEW)
    audit_record(
        action="post.update",
        actor=access.user,
        workspace=access.workspace,
        obj=post,
        changes={**changes, "revision": [post.revision - 1, post.revision]},
    )
    if back:
        audit_record(
            action="post.back_to_review",
            actor=access.user,
            workspace=access.workspace,
            obj=post,
            changes={"status": [PostStatus.APPROVED, PostStatus.IN_REVIEW]},
        )
        from keryx.content.domain.review import notify_reviewers

        notify_reviewers(access=access, post=post, edited=True)


@transaction.atomic
def post_delete(*, access: Access, post: Post) -> None:
    access.require(Perm.CONTENT_EDIT)
    if post.variants.filter(status__in=LOCKED_VARIANT_STATUSES).exists():
        raise Conflict(
            _("Part of this post is already published or being published; it cannot be deleted.")
        )
    audit_record(action="post.delete", actor=access.user, workspace=access.workspace, obj=post)
    post.delete()


@transaction.atomic
def post_duplicate(*, access: Access, post: Post, seminar: Seminar) -> Post:
    """A new draft for ``seminar`` (this or another) with the same texts, media and accounts.

    A post written from a template gets the template filled anew for the new seminar when its
    master text was still exactly the filled template.
    """
    access.require(Perm.CONTENT_EDIT)
    if seminar.workspace_id != access.workspace.pk:
        raise ValidationFailed(fields={"seminar": [_("Choose a seminar of this workspace.")]})
    from keryx.content.domain.library import template_render

    master = post.master_text
    refill = False
    if post.template is not None:
        old = template_render(template=post.template, seminar=post.seminar).text
        if _clean_text(old) == post.master_text:
            master = template_render(template=post.template, seminar=seminar).text
            refill = True
    copy = Post.objects.create(
        workspace=access.workspace,
        seminar=seminar,
        campaign_phase=post.campaign_phase,
        theme=post.theme,
        language=post.language,
        master_text=_clean_text(master),
        link_url=post.link_url,
        author=access.user,
        template=post.template,
        duplicated_from=post,
    )
    _set_post_media(copy, _post_media(post))
    for variant in post.variants.select_related("account").prefetch_related("media_links__media"):
        # What the author wrote is copied; the copy gets its own tracked links.
        text = variant.source_text if variant.text_edited and not refill else copy.master_text
        new = Variant.objects.create(
            post=copy,
            account=variant.account,
            network=variant.network,
            source_text=text,
            text=text,
            text_edited=variant.text_edited and not refill,
            media_edited=variant.media_edited,
            source_first_comment=variant.source_first_comment,
            first_comment=variant.source_first_comment,
            source_link_url=variant.source_link_url,
            link_url=variant.source_link_url,
        )
        _set_variant_media(new, [(link.media, link.alt_text) for link in variant.media_links.all()])
        variant_text_saved.send(sender=Variant, variant=new)
    audit_record(
        action="post.duplicate",
        actor=access.user,
        workspace=access.workspace,
        obj=copy,
        changes={"from_post": [None, post.pk], "seminar": [post.seminar_id, seminar.pk]},
    )
    return copy


@transaction.atomic
def variant_replace_media(
    *, access: Access, variant: Variant, old: MediaItem, new: MediaItem
) -> Variant:
    """Put ``new`` where ``old`` was in this variant only (a fix for this network)."""
    access.require(Perm.CONTENT_EDIT)
    _check_locked(variant, True)
    link = variant.media_links.filter(media=old).first()
    if link is None:
        raise ValidationFailed(fields={"media": [_("This file is not attached to the variant.")]})
    link.media = new
    link.save(update_fields=["media"])
    variant.media_edited = True
    variant.save(update_fields=["media_edited", "updated_at"])
    post = Post.objects.select_for_update().get(pk=variant.post_id)
    _content_changed(
        access,
        post,
        {f"variants.{variant.network}.media": [old.pk, new.pk]},
    )
    return variant
