"""Mastodon: 500 characters by default, counted as the server's ``StatusLengthValidator`` does.

The server (mastodon/mastodon ``app/validators/status_length_validator.rb``) counts grapheme
clusters of the content warning plus the text, after rewriting every URL to 23 characters
(``characters_reserved_per_url``) and every mention ``@user@domain`` to ``@user``. Only URLs with
a protocol get the 23-character rate: it extracts them with ``extract_url_without_protocol:
false`` — a bare ``seminar.gr`` counts in full. The URL pattern is twitter-text's, as Mastodon
amends it in ``config/initializers/twitter_regex.rb`` (more protocols, any non-space path
character); mentions use ``Account::MENTION_RE`` (``app/models/account.rb``). The instance's own
limits come from ``/api/v2/instance`` (``configuration.statuses``) through :class:`CheckOptions`.
"""

from __future__ import annotations

import functools

import regex

from keryx.core.text import grapheme_count, offset_map
from keryx.networks import twitter_text as tt
from keryx.networks.rules import (
    CheckOptions,
    Facet,
    MediaRules,
    NetworkRules,
    TextMeasure,
    TextRules,
)
from keryx.networks.text import generic_measure

# status_length_validator.rb: MAX_CHARS = 500, URL_PLACEHOLDER_CHARS = 23.
TEXT = TextRules(max_length=500, unit="graphemes", url_length=23)

MEDIA = MediaRules(
    # app/models/status.rb MEDIA_ATTACHMENTS_LIMIT = 4; PostStatusService rejects a video or
    # audio with any other attachment (media_attachments.validations.images_and_video).
    max_items=4,
    max_images=4,
    max_videos=1,
    max_gifs=4,
    video_alone=True,
    # app/models/media_attachment.rb IMAGE_MIME_TYPES, VIDEO_MIME_TYPES, IMAGE_LIMIT = 16 MB,
    # VIDEO_LIMIT = 99 MB, MAX_VIDEO_MATRIX_LIMIT = 8_294_400 (3840x2160),
    # MAX_DESCRIPTION_LENGTH = 1_500; app/models/concerns/attachmentable.rb
    # MAX_MATRIX_LIMIT = 33_177_600 (7680x4320). All are per instance: /api/v2/instance
    # configuration.media_attachments.
    image_types=frozenset(
        {
            "image/jpeg",
            "image/png",
            "image/gif",
            "image/heic",
            "image/heif",
            "image/webp",
            "image/avif",
        }
    ),
    video_types=frozenset({"video/webm", "video/mp4", "video/quicktime", "video/ogg"}),
    gif_handling="video",  # GIFs become looping videos ("gifv") and may join images
    max_image_bytes=16 * 1024 * 1024,
    max_video_bytes=99 * 1024 * 1024,
    max_image_pixels=33_177_600,
    max_video_pixels=8_294_400,
    max_alt_text_length=1500,
)

# config/initializers/twitter_regex.rb
_UCHARS = (
    "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd"
    "\U00030000-\U0003fffd\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd\U000a0000-\U000afffd"
    "\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd\U000e1000-\U000efffd"
    "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
)
_PATH_CHAR = r"[^\p{White_Space}<>()?]"
_PARENS = rf"\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\({_PATH_CHAR}+\){_PATH_CHAR}*))\)"
# Defined before Mastodon redefines the parentheses, so it embeds twitter-text's own.
_PATH_ENDING = rf"""[^\p{{White_Space}}()?!*"'「」<>;:=,.$%\[\]~&|@]|(?:{tt.BALANCED_PARENS})"""
_PATH = rf"(?:(?:{_PATH_CHAR}*(?:{_PARENS}{_PATH_CHAR}*)*{_PATH_ENDING})|(?:{_PATH_CHAR}+/))"


@functools.cache
def _url() -> regex.Pattern[str]:
    """Mastodon's URL pattern, built on first use (it embeds the TLD lists)."""
    return regex.compile(
        rf"(({tt.URL_PRECEDING_CHARS})(((?:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini)://)?"
        rf"({tt.valid_domain()})(?::({tt.VALID_PORT_NUMBER}))?(/{_PATH}*)?"
        rf"(\?[a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@\^{_UCHARS}]*[a-z0-9_&=#/\-{_UCHARS}])?))",
        regex.IGNORECASE,
    )


# app/models/account.rb: USERNAME_RE, MENTION_RE
_WORD = r"[\p{L}\p{M}\p{Nd}\p{Pc}]"
_MENTION = regex.compile(
    rf"(?<![=/]|{_WORD})@(((?i:[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*))(?:@{_WORD}+(?:[.-]+{_WORD}+)*)?)"
)
_END_MENTION = regex.compile(rf"[@＠]|[{tt.LATIN_ACCENT_CHARS}]|://", regex.IGNORECASE)
MAX_URL_LENGTH = 4096


def _fits(url: str, domain: str) -> bool:
    """twitter-text (Ruby) ``is_valid_domain``: IDNA labels of 1 to 63, at most 4,096 chars."""
    labels = [tt.punycode_label(label) for label in domain.split(".")]
    if not all(1 <= len(label) <= tt.MAX_DOMAIN_LABEL_LENGTH for label in labels):
        return False
    growth = max(0, len(".".join(labels)) - len(domain))
    return len(url) + growth <= MAX_URL_LENGTH


def extract_urls(text: str) -> list[tuple[int, int]]:
    """Spans of the URLs that get the 23-character rate: those with a protocol."""
    spans = []
    for match in _url().finditer(text):
        if not match.group(4):
            continue
        start, end = match.span(3)
        tco = tt.VALID_TCO_URL.match(text, start, end)
        if tco:
            if len(tco.group(1)) > tt.MAX_TCO_SLUG_LENGTH:
                continue
            end = tco.end()
        if _fits(text[start:end], match.group(5)):
            spans.append((start, end))
    return spans


def extract_mentions(text: str) -> list[tuple[int, int, str]]:
    """Spans of the mentions (with their ``@``) and the mentioned ``user[@domain]``."""
    if "@" not in text and "＠" not in text:
        return []
    return [
        (match.start(1) - 1, match.end(1), match.group(1))
        for match in _MENTION.finditer(text)
        if not _END_MENTION.match(text, match.end())
    ]


def countable_text(text: str, url_length: int = 23) -> str:
    """``StatusLengthValidator#countable_text``: URLs rewritten to ``url_length`` x's, remote
    mentions to their local part."""
    if not text.strip():
        return ""
    entities: list[tuple[int, int, str]] = [(a, b, "x" * url_length) for a, b in extract_urls(text)]
    entities += [(a, b, "@" + name.split("@")[0]) for a, b, name in extract_mentions(text)]
    kept: list[tuple[int, int, str]] = []
    for entity in sorted(entities, key=lambda e: e[0]):
        if kept and kept[-1][1] > entity[0]:
            continue  # remove_overlapping_entities
        kept.append(entity)
    parts, last = [], 0
    for start, end, replacement in kept:
        parts += [text[last:start], replacement]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def measure_text(text: str, options: CheckOptions) -> TextMeasure:
    """Graphemes of the content warning and the countable text, against the instance limit."""
    url_length = options.mastodon_characters_reserved_per_url or TEXT.url_length or 23
    length = grapheme_count(options.mastodon_spoiler_text + countable_text(text, url_length))
    generic = generic_measure(text, length, options.mastodon_max_characters or TEXT.max_length)
    offsets = offset_map(text)
    urls = extract_urls(text)
    mentions = extract_mentions(text)
    facets = [Facet("link", text[a:b], offsets.utf8(a), offsets.utf8(b)) for a, b in urls]
    facets += [Facet("mention", name, offsets.utf8(a), offsets.utf8(b)) for a, b, name in mentions]
    taken = [(f.byte_start, f.byte_end) for f in facets]
    facets += [
        facet
        for facet in generic.facets
        if facet.type == "tag"
        and all(facet.byte_end <= a or facet.byte_start >= b for a, b in taken)
    ]
    return TextMeasure(
        length=generic.length,
        limit=generic.limit,
        facets=tuple(sorted(facets, key=lambda facet: facet.byte_start)),
        hashtags=tuple(f.value for f in facets if f.type == "tag"),
        links=tuple(text[a:b] for a, b in urls),
        mentions=tuple(name for _a, _b, name in mentions),
    )


RULES = NetworkRules(
    key="mastodon",
    name="Mastodon",
    text=TEXT,
    media=MEDIA,
    measure=measure_text,
    supports_first_comment=True,  # a reply to the post
    supports_threads=True,
    supports_link_cards=True,  # the server fetches a preview card for the first link
    supports_idempotency_key=True,  # POST /api/v1/statuses honours the Idempotency-Key header
    link_in_text="always",
)
