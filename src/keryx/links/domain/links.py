"""Creating, changing and deleting tracked links."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.models import User
from keryx.accounts.roles import Perm
from keryx.content.enums import CampaignPhase
from keryx.core.domain.audit import audit_record, changes_between, snapshot
from keryx.core.errors import ValidationFailed
from keryx.links.domain.utm import UTM_KEYS, channel_defaults, seminar_page_url, split_utm
from keryx.links.enums import LINK_CHANNELS
from keryx.links.models import LinkCacheState, TrackedLink
from keryx.links.redirect.targets import CODE_ALPHABET, TARGETS
from keryx.seminars.models import Seminar

CODE_LENGTH = 7  # 56⁷ ≈ 1.7 × 10¹² codes: guessing one of a few thousand links is hopeless
LINK_FIELDS = ("label", "destination", "network", *UTM_KEYS, "campaign_phase", "permanent")
_url = URLValidator(schemes=["http", "https"])


@dataclass
class LinkData:
    """What a form or API request says about a link. ``None`` means "not given": on create
    the channel's default is used, on update the value is kept."""

    label: str | None = None
    destination: str | None = None
    network: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_content: str | None = None
    utm_term: str | None = None
    campaign_phase: str | None = None
    permanent: bool | None = None

    def given(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def links_changed() -> None:
    """Tell every web process to drop its code → destination map (inside the transaction that
    changed a link; this process drops its own once the transaction commits)."""
    updated = LinkCacheState.objects.filter(pk=1).update(generation=F("generation") + 1)
    if not updated:
        LinkCacheState.objects.create(pk=1, generation=1)
    generation = LinkCacheState.objects.values_list("generation", flat=True).get(pk=1)
    transaction.on_commit(lambda: TARGETS.reset(generation))


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    clean = dict(fields)
    for key in ("label", "destination", *UTM_KEYS):
        if isinstance(clean.get(key), str):
            clean[key] = clean[key].strip()
    return clean


def _validate(link: TrackedLink) -> None:
    errors: dict[str, list[str]] = {}
    if not link.destination:
        errors["destination"] = [_("Give the address the link leads to.")]
    else:
        try:
            _url(link.destination)
        except ValidationError:
            errors["destination"] = [
                _("Enter a full web address starting with https:// (or http://).")
            ]
    if link.network and link.network not in LINK_CHANNELS:
        errors["network"] = [_("Choose one of the channels in the list.")]
    if link.campaign_phase and link.campaign_phase not in CampaignPhase.values:
        errors["campaign_phase"] = [_("Choose one of the campaign phases in the list.")]
    for key in UTM_KEYS:
        value = getattr(link, key)
        if len(value) > 100:
            errors[key] = [_("Use at most 100 characters.")]
    if link.network and not link.utm_source:
        errors["utm_source"] = [_("Say where the link is shared, e.g. facebook or newsletter.")]
    if len(link.label) > 200:
        errors["label"] = [_("Use at most 200 characters.")]
    if len(link.destination) > 1000:
        errors["destination"] = [_("This address is too long (at most 1,000 characters).")]
    if errors:
        raise ValidationFailed(fields=errors)


def _save_new(link: TrackedLink) -> TrackedLink:
    """Save with a fresh random code; a collision (or a concurrent twin) tries again."""
    for _attempt in range(5):
        link.code = new_code()
        try:
            with transaction.atomic():
                link.save()
        except IntegrityError:
            if link.variant_id is not None:
                twin = TrackedLink.objects.filter(
                    variant_id=link.variant_id, destination=link.destination
                ).first()
                if twin is not None:
                    return twin
            continue
        return link
    raise RuntimeError("could not find a free link code")  # pragma: no cover


def _build(
    *,
    seminar: Seminar,
    data: Mapping[str, Any],
    actor: User | None,
    post_id: int | None = None,
    variant_id: int | None = None,
) -> TrackedLink:
    fields = _clean(dict(data))
    destination = fields.get("destination") or seminar_page_url(seminar.slug)
    destination, utm_in_url = split_utm(destination) if "://" in destination else (destination, {})
    network = fields.get("network") or ""
    phase = fields.get("campaign_phase") or ""
    defaults = channel_defaults(
        network, seminar_slug=seminar.slug, campaign_phase=phase, post_id=post_id
    )
    utm = {key: fields.get(key, utm_in_url.get(key, defaults[key])) or "" for key in UTM_KEYS}
    return TrackedLink(
        workspace_id=seminar.workspace_id,
        seminar=seminar,
        label=fields.get("label") or "",
        destination=destination,
        network=network,
        campaign_phase=phase,
        permanent=bool(fields.get("permanent") or False),
        post_id=post_id,
        variant_id=variant_id,
        created_by=actor,
        **utm,
    )


@transaction.atomic
def tracked_link_create(*, access: Access, seminar: Seminar, data: LinkData) -> TrackedLink:
    """A new link for ``seminar``: to its public page unless another destination is given,
    with the channel's UTM defaults for whatever is not given."""
    access.require(Perm.LINKS_EDIT)
    link = _build(seminar=seminar, data=data.given(), actor=access.user)
    _validate(link)
    link = _save_new(link)
    audit_record(
        action="link.create",
        actor=access.user,
        workspace=access.workspace,
        obj=link,
        changes={k: [None, v] for k, v in snapshot(link, ("code", *LINK_FIELDS)).items()},
    )
    return link


@transaction.atomic
def tracked_link_update(*, access: Access, link: TrackedLink, data: LinkData) -> TrackedLink:
    """Change a link; its code stays, so posts already published keep working."""
    access.require(Perm.LINKS_EDIT)
    link = TrackedLink.objects.select_for_update().get(pk=link.pk, workspace=access.workspace)
    before = snapshot(link, LINK_FIELDS)
    for key, value in _clean(data.given()).items():
        setattr(link, key, value)
    if data.destination is not None and "://" in link.destination:
        link.destination, utm_in_url = split_utm(link.destination)
        for key, value in utm_in_url.items():
            if getattr(data, key) is None:
                setattr(link, key, value)
    _validate(link)
    changes = changes_between(before, snapshot(link, LINK_FIELDS))
    if changes:
        link.save(update_fields=[*changes, "updated_at"])
        links_changed()
        audit_record(
            action="link.update",
            actor=access.user,
            workspace=access.workspace,
            obj=link,
            changes=changes,
        )
    return link


@transaction.atomic
def tracked_link_delete(*, access: Access, link: TrackedLink) -> None:
    """Delete a link and its clicks; its short address then answers "not found"."""
    access.require(Perm.LINKS_EDIT)
    audit_record(
        action="link.delete",
        actor=access.user,
        workspace=access.workspace,
        obj=link,
        changes={"code": [link.code, None], "destination": [link.destination, None]},
    )
    link.delete()
    links_changed()


def tracked_link_for_variant(
    *, variant: Any, destination: str, actor: User | None = None
) -> TrackedLink:
    """The variant's own link to ``destination``: the one it has already, or a new one with
    the variant's network, post, campaign phase and seminar (no permission check: the
    composer calls this for a variant it is saving)."""
    post = variant.post
    destination_plain, utm_in_url = split_utm(destination)
    existing = TrackedLink.objects.filter(variant=variant, destination=destination_plain).first()
    if existing is not None:
        return existing
    channel = variant.network if variant.network in LINK_CHANNELS else ""
    data: dict[str, Any] = {
        "destination": destination,
        "network": channel,
        "campaign_phase": post.campaign_phase or "",
        **utm_in_url,
    }
    link = _build(
        seminar=post.seminar,
        data=data,
        actor=actor,
        post_id=post.pk,
        variant_id=variant.pk,
    )
    if not link.utm_source:
        link.utm_source = variant.network
    _validate(link)
    link = _save_new(link)
    audit_record(
        action="link.create",
        actor=actor,
        workspace=post.workspace,
        obj=link,
        changes={
            "code": [None, link.code],
            "destination": [None, link.destination],
            "variant": [None, variant.pk],
        },
    )
    return link
