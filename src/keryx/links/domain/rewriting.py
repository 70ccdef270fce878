"""Every link in a post is a tracked link: the plain links of a variant become the variant's
own short links, so the X and the Bluesky version of a post are told apart in the funnel.

Contract with the composer (docs/decisions/0650-link-rewriting.md,
0309-variant-source-text.md): the variant keeps what its author wrote in ``source_text``,
``source_first_comment`` and ``source_link_url``; after saving them the content app sends
``keryx.content.signals.variant_text_saved(sender=Variant, variant=variant)`` and the receiver
calls :func:`variant_links_rewrite`, which writes the published ``text``, ``first_comment``
and ``link_url``. :func:`predicted_text` tells the composer's counters the same in advance.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from keryx.accounts.models import User
from keryx.links.domain.links import CODE_LENGTH, tracked_link_for_variant
from keryx.links.domain.utm import split_utm
from keryx.links.models import TrackedLink

# A URL runs to the next space, quote or angle bracket; punctuation that ends a sentence is
# not part of it ("…στο https://keryx.gr/s/x/." keeps its full stop).
_URL = re.compile(r"https?://[^\s<>\"'«»\u00a0\u200b]+", re.IGNORECASE)
_TRAILING = ".,;:!?…»\"'\u037e\u0387"  # with the Greek question mark and ano teleia
_valid = URLValidator(schemes=["http", "https"])
TEXT_FIELDS = ("text", "first_comment")


def _trim(url: str) -> str:
    while url:
        if (
            url[-1] in _TRAILING
            or (url[-1] == ")" and url.count(")") > url.count("("))
            or (url[-1] == "]" and url.count("]") > url.count("["))
        ):
            url = url[:-1]
        else:
            break
    return url


def is_tracked(url: str) -> bool:
    return url.startswith(f"{settings.KERYX_BASE_URL}/r/")


def plain_links(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, url)`` of every http(s) link in ``text`` that is not tracked yet."""
    found = []
    for match in _URL.finditer(text):
        url = _trim(match.group(0))
        if not url or is_tracked(url):
            continue
        try:
            _valid(url)
        except ValidationError:
            continue
        found.append((match.start(), match.start() + len(url), url))
    return found


def _replace(text: str, short_url: Callable[[str], str]) -> str:
    links = plain_links(text)
    if not links:
        return text
    pieces: list[str] = []
    position = 0
    for start, end, url in links:
        pieces += [text[position:start], short_url(url)]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _source(variant: Any, field: str) -> str:
    """What the author wrote in ``field`` (the content app keeps it in ``source_<field>``);
    the field itself for a variant without a source."""
    source = getattr(variant, f"source_{field}", "") or ""
    return source or getattr(variant, field, "") or ""


@transaction.atomic
def variant_links_rewrite(*, variant: Any, actor: User | None = None) -> dict[str, str]:
    """Make the variant's published fields (text, first comment, link card) its source with
    each plain link replaced by the variant's tracked link to the same destination; returns
    the fields that changed.

    Computed from the source every time, so running it again changes nothing and a link
    written again gets the same code. Saved with a queryset update, so no save signal fires
    again; ``variant`` is updated in place too, so the caller sees the new text.
    """

    def short_url(url: str) -> str:
        return tracked_link_for_variant(variant=variant, destination=url, actor=actor).short_url

    changed: dict[str, str] = {}
    for field in TEXT_FIELDS:
        rewritten = _replace(_source(variant, field), short_url)
        if rewritten != (getattr(variant, field, "") or ""):
            changed[field] = rewritten
    # The variant's own link card, else the post's: either way published as this variant's
    # own tracked link (the pipeline sends ``variant.link_url``).
    link_url = (getattr(variant, "source_link_url", "") or "") or (
        getattr(variant.post, "link_url", "") or ""
    )
    if link_url and not is_tracked(link_url) and plain_links(link_url):
        link_url = short_url(link_url)
    if link_url != (getattr(variant, "link_url", "") or ""):
        changed["link_url"] = link_url
    if changed:
        type(variant)._default_manager.filter(pk=variant.pk).update(
            **changed, updated_at=timezone.now()
        )
        for field, value in changed.items():
            setattr(variant, field, value)
    return changed


# Stands for the code of a link that is not made yet: as long as a real code, and never one
# ("0" is not in the code alphabet).
PENDING_CODE = "0" * CODE_LENGTH


def predicted_text(text: str, publishing: Any) -> str:
    """``text`` as :func:`variant_links_rewrite` will publish it, without saving anything:
    a link the saved variant tracks already gets its code, a new one :data:`PENDING_CODE`.

    Registered with the composer (``keryx.content.domain.publishable``), so its counters
    and checks count the tracked link, e.g. its characters on Bluesky.
    """
    links = plain_links(text)
    if not links:
        return text
    known: dict[str, str] = {}
    variant_id = getattr(publishing, "variant_id", None)
    if variant_id is not None:
        destinations = {split_utm(url)[0] for _s, _e, url in links}
        known = dict(
            TrackedLink.objects.filter(
                variant_id=variant_id, destination__in=destinations
            ).values_list("destination", "code")
        )
    base = f"{settings.KERYX_BASE_URL}/r/"
    return _replace(text, lambda url: base + known.get(split_utm(url)[0], PENDING_CODE))
