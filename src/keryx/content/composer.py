"""The composer page's state: built from a saved post or from what the browser sent, checked
with the network rules, turned into the domain's :class:`PostInput`.

The page is one form: the post's fields (``master_text`` …), its media (``media`` ids in order,
``alt-<id>``), the chosen accounts (``accounts``) and, per account ``<a>``, the variant:
``v<a>-text``, ``v<a>-edited`` (1 once edited by hand), ``v<a>-first_comment``,
``v<a>-link_url``, ``v<a>-media_edited`` and ``v<a>-media`` / ``v<a>-alt-<id>``.

The fields hold what the author writes (a variant's ``source_*``); the counters, checks and
previews are of the text as it will be published (with tracked links, when the links app
is installed), predicted by :func:`keryx.content.domain.publishable.publishable_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy

from keryx.accounts.access import Access
from keryx.content.domain.checks import Attached, check_draft, policy_of
from keryx.content.domain.posts import MediaChoice, PostInput, VariantInput, usable_accounts
from keryx.content.domain.publishable import publishable_text
from keryx.content.enums import VariantStatus
from keryx.content.models import ContentPolicy, MediaItem, Post
from keryx.content.previews import Preview, preview
from keryx.networks.models import NetworkAccount
from keryx.networks.rules import NETWORK_KEYS, TextCheck, get_rules, text_as_sent

UNIT_LABELS = {
    "weighted": gettext_lazy("weighted characters"),
    "graphemes": gettext_lazy("characters"),
    "utf16": gettext_lazy("characters"),
    "characters": gettext_lazy("characters"),
    "threads": gettext_lazy("characters"),
}

POST_KEYS = ("campaign_phase", "theme", "language", "master_text", "link_url")


@dataclass
class VariantState:
    account: NetworkAccount
    selected: bool
    text: str
    edited: bool
    first_comment: str = ""
    link_url: str = ""
    media: list[Attached] = field(default_factory=list)
    media_edited: bool = False
    variant_id: int | None = None
    status: str = "draft"
    check: TextCheck | None = None
    preview: Preview | None = None
    # What the network will get (the text and first comment with their tracked links).
    published_text: str = ""
    published_first_comment: str = ""

    @property
    def rules(self) -> Any:
        return get_rules(self.account.network)

    @property
    def unit_label(self) -> str:
        unit = self.check.unit if self.check else ""
        return str(UNIT_LABELS.get(unit, unit))

    @property
    def status_label(self) -> str:
        return (
            str(VariantStatus(self.status).label)
            if self.status in VariantStatus.values
            else self.status
        )

    @property
    def initials(self) -> str:
        words = (self.account.name or self.account.handle or "?").split()
        return "".join(w[0] for w in words[:2]).upper()

    @property
    def handle(self) -> str:
        handle = self.account.handle.lstrip("@")
        return handle

    @property
    def fixable_media(self) -> set[int]:
        from keryx.content.domain.mediafix import fixable

        if self.check is None:
            return set()
        problems = [*self.check.errors, *self.check.warnings]
        return {
            a.media.pk
            for index, a in enumerate(self.media)
            if a.media.kind == "image" and fixable(problems, index)
        }

    def problems_for(self, index: int) -> list[Any]:
        if self.check is None:
            return []
        where = f"media[{index}]"
        return [
            p
            for p in (*self.check.errors, *self.check.warnings)
            if p.field == where or p.field.startswith(where + ".")
        ]


@dataclass
class ComposerState:
    fields: dict[str, Any]
    seminar_id: int | None
    media: list[Attached]
    variants: list[VariantState]
    sync_variants: bool = True

    @property
    def selected(self) -> list[VariantState]:
        return [v for v in self.variants if v.selected]

    @property
    def valid(self) -> bool:
        return all(v.check is not None and v.check.valid for v in self.selected)


def _sorted_accounts(access: Access) -> list[NetworkAccount]:
    order = {key: i for i, key in enumerate(NETWORK_KEYS)}
    return sorted(usable_accounts(access), key=lambda a: (order.get(a.network, 99), a.name))


def state_from_post(access: Access, post: Post) -> ComposerState:
    variants = {
        v.account_id: v
        for v in post.variants.select_related("account").prefetch_related("media_links__media")
    }
    accounts = _sorted_accounts(access)
    known = {a.pk for a in accounts}
    accounts += [v.account for v in variants.values() if v.account_id not in known]
    master = [
        Attached(media=link.media, alt_text=link.alt_text)
        for link in post.media_links.select_related("media")
    ]
    states = []
    for account in accounts:
        variant = variants.get(account.pk)
        if variant is None:
            states.append(
                VariantState(
                    account=account,
                    selected=False,
                    text=post.master_text,
                    edited=False,
                    media=list(master),
                )
            )
            continue
        states.append(
            VariantState(
                account=account,
                selected=True,
                text=variant.source_text,
                edited=variant.text_edited,
                first_comment=variant.source_first_comment,
                link_url=variant.source_link_url,
                media=[
                    Attached(media=link.media, alt_text=link.alt_text)
                    for link in variant.media_links.all()
                ],
                media_edited=variant.media_edited,
                variant_id=variant.pk,
                status=variant.status,
            )
        )
    return ComposerState(
        fields={k: getattr(post, k) for k in POST_KEYS},
        seminar_id=post.seminar_id,
        media=master,
        variants=states,
    )


def state_new(access: Access, *, seminar_id: int | None, fields: dict[str, Any]) -> ComposerState:
    return ComposerState(
        fields={k: fields.get(k, "") for k in POST_KEYS},
        seminar_id=seminar_id,
        media=[],
        variants=[
            VariantState(account=a, selected=True, text=fields.get("master_text", ""), edited=False)
            for a in _sorted_accounts(access)
        ],
    )


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.strip().isdigit()]


def _attached(
    data: QueryDict, key: str, alt_prefix: str, items: dict[int, MediaItem]
) -> list[Attached]:
    return [
        Attached(media=items[i], alt_text=data.get(f"{alt_prefix}{i}", "").strip())
        for i in _ids(data.getlist(key))
        if i in items
    ]


def state_from_data(access: Access, data: QueryDict, *, post: Post | None = None) -> ComposerState:
    """What the browser sent, with nothing saved: for live checks and for re-showing a form
    that could not be saved (so nothing the user wrote is lost)."""
    base = (
        state_from_post(access, post)
        if post is not None
        else state_new(access, seminar_id=None, fields={})
    )
    wanted: list[int] = []
    for v in base.variants:
        wanted += _ids(data.getlist(f"v{v.account.pk}-media"))
    items = {
        m.pk: m
        for m in MediaItem.objects.filter(
            workspace=access.workspace, pk__in=_ids(data.getlist("media")) + wanted
        )
    }
    fields = {k: data.get(k, base.fields.get(k, "")) for k in POST_KEYS}
    master_media = _attached(data, "media", "alt-", items)
    selected = set(_ids(data.getlist("accounts")))
    sync = data.get("sync_variants", "") == "1"
    variants = []
    for v in base.variants:
        prefix = f"v{v.account.pk}-"
        edited = data.get(prefix + "edited") == "1"
        media_edited = data.get(prefix + "media_edited") == "1"
        text = data.get(prefix + "text")
        variants.append(
            VariantState(
                account=v.account,
                selected=v.account.pk in selected,
                # A variant follows the master unless edited by hand, or unless the user
                # declined to update the variants this time (then it keeps what it shows).
                text=text if text is not None and (edited or not sync) else fields["master_text"],
                edited=edited,
                first_comment=data.get(prefix + "first_comment", v.first_comment),
                link_url=data.get(prefix + "link_url", v.link_url),
                media=_attached(data, prefix + "media", prefix + "alt-", items)
                if media_edited
                else list(master_media),
                media_edited=media_edited,
                variant_id=v.variant_id,
                status=v.status,
            )
        )
    seminar = data.get("seminar", "")
    return ComposerState(
        fields=fields,
        seminar_id=int(seminar) if seminar.isdigit() else base.seminar_id,
        media=master_media,
        variants=variants,
        sync_variants=sync,
    )


def run_checks(state: ComposerState, policy: ContentPolicy) -> ComposerState:
    for v in state.variants:
        if not v.selected:
            continue
        network = v.account.network
        v.published_text = publishable_text(v.text, network=network, variant_id=v.variant_id)
        v.published_first_comment = publishable_text(
            v.first_comment, network=network, variant_id=v.variant_id
        )
        # The variant's link card, else the post's, as it will be published.
        link = publishable_text(
            (v.link_url or state.fields.get("link_url") or "").strip(),
            network=network,
            variant_id=v.variant_id,
        )
        v.check = check_draft(
            account=v.account, text=v.published_text, attached=v.media, policy=policy, link=link
        )
        v.preview = preview(
            text_as_sent(get_rules(network), v.published_text, link, len(v.media)), network
        )
    return state


def checked(access: Access, state: ComposerState) -> ComposerState:
    return run_checks(state, policy_of(access.workspace))


def post_input(state: ComposerState, *, extra_media: list[MediaChoice] = ()) -> PostInput:  # type: ignore[assignment]
    media = [MediaChoice(media_id=a.media.pk, alt_text=a.alt_text) for a in state.media]
    media += list(extra_media)
    return PostInput(
        fields={k: v for k, v in state.fields.items() if v is not None},
        media=media,
        account_ids=[v.account.pk for v in state.selected],
        sync_variants=state.sync_variants,
        variants=[
            VariantInput(
                account_id=v.account.pk,
                text=v.text if v.edited else None,
                edited=v.edited if v.edited or state.sync_variants else None,
                first_comment=v.first_comment,
                link_url=v.link_url,
                media=[MediaChoice(media_id=a.media.pk, alt_text=a.alt_text) for a in v.media]
                if v.media_edited
                else None,
                media_edited=v.media_edited if v.media_edited else None,
            )
            for v in state.selected
        ],
    )
