"""Every link in a post is a tracked link: the plain links of a variant become the variant's
own short links, so the X and the Bluesky version of a post are told apart in the funnel.

Contract with the composer (docs/decisions/0650-link-rewriting.md): after saving a variant's
text the content app sends ``keryx.content.signals.variant_text_saved(sender=Variant,
variant=variant)``; the receiver calls :func:`variant_links_rewrite`.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from keryx.accounts.models import User
from keryx.links.domain.links import tracked_link_for_variant

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


def _rewrite(text: str, variant: Any, actor: User | None) -> str:
    links = plain_links(text)
    if not links:
        return text
    pieces: list[str] = []
    position = 0
    for start, end, url in links:
        link = tracked_link_for_variant(variant=variant, destination=url, actor=actor)
        pieces += [text[position:start], link.short_url]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


@transaction.atomic
def variant_links_rewrite(*, variant: Any, actor: User | None = None) -> dict[str, str]:
    """Replace each plain link of the variant (text, first comment, link card) with the
    variant's tracked link to the same destination; returns the fields that changed.

    Saved with a queryset update, so no save signal fires again; ``variant`` is updated in
    place too, so the caller sees the new text.
    """
    changed: dict[str, str] = {}
    for field in TEXT_FIELDS:
        value = getattr(variant, field, "") or ""
        rewritten = _rewrite(value, variant, actor)
        if rewritten != value:
            changed[field] = rewritten
    link_url = getattr(variant, "link_url", "") or ""
    if link_url and not is_tracked(link_url) and plain_links(link_url):
        changed["link_url"] = tracked_link_for_variant(
            variant=variant, destination=link_url, actor=actor
        ).short_url
    if changed:
        type(variant)._default_manager.filter(pk=variant.pk).update(
            **changed, updated_at=timezone.now()
        )
        for field, value in changed.items():
            setattr(variant, field, value)
    return changed
