"""Previews that look like each network's post: links, hashtags and mentions highlighted, and
the text cut where the network's feed cuts it ("see more").

Highlighting finds entities with the twitter-text extractor (links, hashtags in any script,
mentions), which is what the networks' own clients do closely enough for a preview; counting
and validation never use this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from keryx.core.text import graphemes
from keryx.networks.registry import find_spec
from keryx.networks.twitter_text import extract_entities_with_indices

# Where the feed hides the rest behind "see more" is each network's spec's ``see_more_at``
# (Instagram 125 characters, LinkedIn about 210, Facebook about 480; the others show the whole
# post). See docs/decisions/0305-previews.md.


@dataclass(frozen=True)
class Preview:
    html: SafeString
    cut: bool


def _cut(text: str, at: int) -> tuple[str, bool]:
    parts = graphemes(text)
    if len(parts) <= at:
        return text, False
    head = "".join(parts[:at])
    space = head.rfind(" ")
    if space > at * 0.6:
        head = head[:space]
    return head.rstrip(), True


def highlight(text: str) -> SafeString:
    """``text`` as HTML: escaped, entities wrapped, line breaks kept."""
    pieces: list[str] = []
    position = 0
    for entity in extract_entities_with_indices(text):
        start, end = entity.span
        if start < position:
            continue
        pieces.append(escape(text[position:start]))
        raw = text[start:end]
        if entity.kind == "url":
            href = raw if "://" in raw else f"https://{raw}"
            pieces.append(
                format_html(
                    '<a class="pv-link" href="{}" rel="noopener noreferrer">{}</a>', href, raw
                )
            )
        elif entity.kind == "hashtag":
            pieces.append(format_html('<span class="pv-tag">{}</span>', raw))
        elif entity.kind == "mention":
            end = _remote_mention_end(text, end)
            pieces.append(format_html('<span class="pv-mention">{}</span>', text[start:end]))
        else:
            pieces.append(escape(raw))
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces).replace("\n", "<br>"))  # noqa: S308 - every piece is escaped


def _remote_mention_end(text: str, end: int) -> int:
    """Extend ``@user`` to ``@user@server.example`` (a Mastodon remote mention)."""
    if end < len(text) and text[end] == "@":
        stop = end + 1
        while stop < len(text) and (text[stop].isalnum() or text[stop] in ".-_"):
            stop += 1
        if "." in text[end + 1 : stop]:
            return stop
    return end


def preview(text: str, network: str) -> Preview:
    found = find_spec(network)
    at = found.see_more_at if found is not None else None
    shown, cut = _cut(text, at) if at else (text, False)
    return Preview(html=highlight(shown), cut=cut)
