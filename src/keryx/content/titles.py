"""A post's title, derived from what it says: the first line of its text, shortened. No field
holds it, so it can never disagree with the text (docs/decisions/0722)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext

if TYPE_CHECKING:
    from keryx.content.models import Post

TITLE_LENGTH = 60


def title_from_text(text: str, *, length: int = TITLE_LENGTH) -> str:
    """The first line that has words, its spaces collapsed, cut to ``length`` characters (at a
    word where one ends near the cut) with "…"; "" when the text is empty."""
    for line in text.splitlines():
        words = " ".join(line.split())
        if not words:
            continue
        if len(words) <= length:
            return words
        cut = words[:length]
        space = cut.rfind(" ")
        if space >= length * 2 // 3:
            cut = cut[:space]
        return cut.rstrip(" ,.;:·-–—") + "…"
    return ""


def post_title(post: Post) -> str:
    """The title shown for ``post``: from its master text, else from its first variant's text,
    else "Post without text" (in the current language, so call it at request time)."""
    title = title_from_text(post.master_text)
    if title:
        return title
    for variant in post.variants.all():
        title = title_from_text(variant.source_text or variant.text)
        if title:
            return title
    return gettext("Post without text")
