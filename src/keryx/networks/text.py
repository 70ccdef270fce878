"""What the networks share about text: finding links, mentions and hashtags, the text checks,
and the translated message of every problem (:func:`message`).

Networks without a documented detector of their own (Threads, LinkedIn, Facebook, Instagram)
find links with twitter-text's URL extractor (with or without ``https://``), hashtags with
:func:`keryx.core.text.extract_hashtags` (any script) and mentions as ``@username`` with the
characters Instagram and Threads allow in usernames.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import regex
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keryx.core.text import OffsetMap, extract_hashtags, hashtag_key, offset_map
from keryx.networks.rules import (
    Facet,
    FacetType,
    JSONValue,
    MediaInfo,
    NetworkRules,
    Problem,
    Severity,
    TextMeasure,
)
from keryx.networks.twitter_text import extract_urls_with_indices

# Instagram and Threads usernames: letters, digits, "." and "_", at most 30, not ending in ".".
_MENTION = regex.compile(r"(?<![\w@＠])[@＠]([A-Za-z0-9_](?:[A-Za-z0-9._]{0,28}[A-Za-z0-9_])?)")


def generic_measure(text: str, length: int, limit: int) -> TextMeasure:
    """Measure ``text`` (already counted as ``length``) with the shared detectors."""
    offsets = offset_map(text)
    urls = extract_urls_with_indices(text)
    taken = [entity.span for entity in urls]

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    found: list[tuple[int, int, Facet]] = []
    for url in urls:
        start, end = url.span
        found.append((start, end, _facet("link", url.value, start, end, offsets)))
    hashtags = [tag for tag in extract_hashtags(text) if free(tag.start, tag.end)]
    for tag in hashtags:
        found.append((tag.start, tag.end, _facet("tag", tag.tag, tag.start, tag.end, offsets)))
    mentions = [m for m in _MENTION.finditer(text) if free(*m.span())]
    for mention in mentions:
        start, end = mention.span()
        found.append((start, end, _facet("mention", mention.group(1), start, end, offsets)))
    return TextMeasure(
        length=length,
        limit=limit,
        facets=tuple(facet for _start, _end, facet in sorted(found, key=lambda f: f[0])),
        hashtags=tuple(tag.tag for tag in hashtags),
        links=tuple(url.value for url in urls),
        mentions=tuple(mention.group(1) for mention in mentions),
    )


def _facet(kind: FacetType, value: str, start: int, end: int, offsets: OffsetMap) -> Facet:
    return Facet(kind, value, offsets.utf8(start), offsets.utf8(end))


# --- text checks -------------------------------------------------------------------------------


def text_problems(rules: NetworkRules, measure: TextMeasure) -> list[Problem]:
    """Length, bytes, hashtags, mentions and links of a measured text, against ``rules``."""
    limits = rules.text
    name = rules.name
    problems: list[Problem] = []
    if measure.length > measure.limit:
        excess = measure.length - measure.limit
        problems.append(
            problem(
                "text.too_long",
                "text",
                excess,
                network=name,
                length=measure.length,
                limit=measure.limit,
                excess=excess,
            )
        )
    if limits.max_bytes is not None and (measure.byte_length or 0) > limits.max_bytes:
        excess = (measure.byte_length or 0) - limits.max_bytes
        problems.append(
            problem(
                "text.too_many_bytes",
                "text",
                excess,
                network=name,
                bytes=measure.byte_length,
                max_bytes=limits.max_bytes,
                excess=excess,
            )
        )
    problems += _hashtag_problems(rules, measure)
    mentions = len(measure.mentions)
    if limits.max_mentions is not None and mentions > limits.max_mentions:
        excess = mentions - limits.max_mentions
        problems.append(
            problem(
                "mentions.too_many",
                "mentions",
                limits.max_mentions,
                network=name,
                count=mentions,
                max=limits.max_mentions,
                excess=excess,
            )
        )
    links = list(dict.fromkeys(measure.links))
    if limits.max_links is not None and len(links) > limits.max_links:
        excess = len(links) - limits.max_links
        problems.append(
            problem(
                "links.too_many",
                "links",
                limits.max_links,
                network=name,
                count=len(links),
                max=limits.max_links,
                excess=excess,
            )
        )
    if not limits.links_clickable and links:
        problems.append(problem("links.not_clickable", "links", network=name, links=links))
    return problems


def _hashtag_problems(rules: NetworkRules, measure: TextMeasure) -> list[Problem]:
    limits = rules.text
    name = rules.name
    count = len(measure.hashtags)
    problems: list[Problem] = []
    if measure.hashtag_limit is not None and count > measure.hashtag_limit:
        maximum = measure.hashtag_limit
        problems.append(
            problem(
                "hashtags.too_many",
                "hashtags",
                maximum,
                network=name,
                count=count,
                max=maximum,
                excess=count - maximum,
            )
        )
    elif limits.advised_max_hashtags is not None and count > limits.advised_max_hashtags:
        maximum = limits.advised_max_hashtags
        problems.append(
            problem(
                "hashtags.hurt_reach", "hashtags", maximum, network=name, count=count, max=maximum
            )
        )
    if limits.max_topic_tags is not None and count > limits.max_topic_tags:
        problems.append(
            problem(
                "hashtags.one_topic",
                "hashtags",
                limits.max_topic_tags,
                network=name,
                count=count,
                max=limits.max_topic_tags,
                topic=measure.hashtags[0],
            )
        )
    seen: dict[str, list[str]] = {}
    for tag in measure.hashtags:
        seen.setdefault(hashtag_key(tag), []).append(tag)
    for written in seen.values():
        if len(written) > 1:
            problems.append(
                problem(
                    "hashtags.repeated",
                    "hashtags",
                    len(written),
                    tag=written[0],
                    count=len(written),
                    forms=list(dict.fromkeys(written)),
                )
            )
    return problems


def presence_problems(rules: NetworkRules, text: str, media: Sequence[MediaInfo]) -> list[Problem]:
    """A post needs text or media, and some networks need media."""
    if rules.media.required and not media:
        return [problem("media.required", "media", network=rules.name)]
    if not text.strip() and not media:
        return [problem("post.empty", "text", network=rules.name)]
    return []


# --- messages ----------------------------------------------------------------------------------


def problem(
    code: str,
    where: str,
    plural: int = 1,
    *,
    severity: Severity | None = None,
    **params: JSONValue,
) -> Problem:
    """A problem with its translated message; ``plural`` chooses the plural form."""
    return Problem(
        code=code,
        severity=severity or _WARNINGS.get(code, "error"),
        message=message(code, plural, params),
        field=where,
        params=params,
    )


def message(code: str, plural: int, params: Mapping[str, JSONValue]) -> str:
    """The translated, filled-in message of problem ``code``."""
    values = {key: _display(value) for key, value in params.items()}
    return _MESSAGES[code](plural) % values


def _display(value: JSONValue) -> JSONValue:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return value


_WARNINGS: dict[str, Severity] = {
    "hashtags.hurt_reach": "warning",
    "hashtags.one_topic": "warning",
    "hashtags.repeated": "warning",
    "links.not_clickable": "warning",
    "media.gif_still": "warning",
    "media.alt_text_missing": "warning",
    "media.video_too_wide_pixels": "warning",
}

_MESSAGES: dict[str, Callable[[int], str]] = {
    "text.too_long": lambda n: ngettext(
        "%(network)s counts this post as %(length)s of %(limit)s characters. "
        "Shorten it by %(excess)s character.",
        "%(network)s counts this post as %(length)s of %(limit)s characters. "
        "Shorten it by %(excess)s characters.",
        n,
    ),
    "text.too_many_bytes": lambda n: ngettext(
        "%(network)s stores at most %(max_bytes)s bytes of text and this post takes "
        "%(bytes)s: Greek letters take 2 bytes each and emoji up to 4 or more. "
        "Shorten it by at least %(excess)s byte.",
        "%(network)s stores at most %(max_bytes)s bytes of text and this post takes "
        "%(bytes)s: Greek letters take 2 bytes each and emoji up to 4 or more. "
        "Shorten it by at least %(excess)s bytes.",
        n,
    ),
    "hashtags.too_many": lambda n: ngettext(
        "%(network)s allows at most %(max)s hashtag per post and this post has %(count)s. "
        "Remove %(excess)s.",
        "%(network)s allows at most %(max)s hashtags per post and this post has %(count)s. "
        "Remove %(excess)s.",
        n,
    ),
    "hashtags.hurt_reach": lambda n: ngettext(
        "%(network)s advises at most %(max)s hashtag per post; this post has %(count)s. "
        "Keep the most relevant: more can reach fewer people.",
        "%(network)s advises at most %(max)s hashtags per post; this post has %(count)s. "
        "Keep the most relevant: more can reach fewer people.",
        n,
    ),
    "hashtags.one_topic": lambda n: ngettext(
        "%(network)s uses only %(max)s tag per post as its topic, so only #%(topic)s will "
        "count. Keep the one that matters most.",
        "%(network)s uses only %(max)s tags per post as its topics, starting with "
        "#%(topic)s. Keep the ones that matter most.",
        n,
    ),
    "hashtags.repeated": lambda n: ngettext(
        "The hashtag #%(tag)s appears %(count)s time. Keep it once.",
        "The hashtag #%(tag)s appears %(count)s times (as %(forms)s). Keep it once.",
        n,
    ),
    "mentions.too_many": lambda n: ngettext(
        "%(network)s allows at most %(max)s mention per post and this post has %(count)s. "
        "Remove %(excess)s.",
        "%(network)s allows at most %(max)s mentions per post and this post has %(count)s. "
        "Remove %(excess)s.",
        n,
    ),
    "links.too_many": lambda n: ngettext(
        "%(network)s allows at most %(max)s link per post and this post has %(count)s. "
        "Remove %(excess)s.",
        "%(network)s allows at most %(max)s links per post and this post has %(count)s. "
        "Remove %(excess)s.",
        n,
    ),
    "links.not_clickable": lambda n: _(
        "Links in %(network)s captions cannot be clicked. Point to the link in your bio or "
        "use a story link instead."
    ),
    "post.empty": lambda n: _(
        "Write some text or add an image or video: an empty post cannot be published."
    ),
    "media.required": lambda n: _(
        "%(network)s needs at least one image or video. Add a photo or a video to this post."
    ),
    "media.video_must_be_alone": lambda n: _(
        "%(network)s takes a video only on its own. Keep the video alone in this post, or move "
        "the other attachments to another post."
    ),
    "media.gif_must_be_alone": lambda n: _(
        "%(network)s takes an animated GIF only on its own. Keep the GIF alone in this post, or "
        "move the other attachments to another post."
    ),
    "media.too_many": lambda n: ngettext(
        "%(network)s takes at most %(max)s attachment per post and this post has %(count)s. "
        "Remove %(excess)s.",
        "%(network)s takes at most %(max)s attachments per post and this post has %(count)s. "
        "Remove %(excess)s.",
        n,
    ),
    "media.too_many_images": lambda n: ngettext(
        "%(network)s takes at most %(max)s image per post and this post has %(count)s. "
        "Remove %(excess)s.",
        "%(network)s takes at most %(max)s images per post and this post has %(count)s. "
        "Remove %(excess)s.",
        n,
    ),
    "media.too_many_videos": lambda n: ngettext(
        "%(network)s takes at most %(max)s video per post and this post has %(count)s. "
        "Remove %(excess)s.",
        "%(network)s takes at most %(max)s videos per post and this post has %(count)s. "
        "Remove %(excess)s.",
        n,
    ),
    "media.too_many_gifs": lambda n: ngettext(
        "%(network)s takes at most %(max)s GIF per post and this post has %(count)s. "
        "Remove %(excess)s.",
        "%(network)s takes at most %(max)s GIFs per post and this post has %(count)s. "
        "Remove %(excess)s.",
        n,
    ),
    "media.gif_unsupported": lambda n: _(
        "%(network)s does not accept GIFs. Convert this GIF to a video or a still image."
    ),
    "media.gif_still": lambda n: _(
        "%(network)s shows GIFs as still images, so only the first frame will be seen. Convert "
        "this GIF to a video to keep it moving."
    ),
    "media.image_type_unsupported": lambda n: _(
        "%(network)s does not accept %(format)s images. Convert this image to %(allowed_formats)s."
    ),
    "media.video_type_unsupported": lambda n: _(
        "%(network)s does not accept %(format)s videos. Convert this video to %(allowed_formats)s."
    ),
    "media.image_too_large": lambda n: _(
        "This image is %(size)s and %(network)s takes at most %(max_size)s. Compress it or "
        "reduce its dimensions."
    ),
    "media.gif_too_large": lambda n: _(
        "This GIF is %(size)s and %(network)s takes at most %(max_size)s. Shorten it, reduce "
        "its dimensions, or convert it to a video."
    ),
    "media.video_too_large": lambda n: _(
        "This video is %(size)s and %(network)s takes at most %(max_size)s. Compress it or "
        "shorten it."
    ),
    "media.image_too_many_pixels": lambda n: _(
        "This image is %(width)s × %(height)s pixels, more than %(network)s accepts. Resize "
        "it to at most %(target_width)s × %(target_height)s."
    ),
    "media.video_too_many_pixels": lambda n: _(
        "This video is %(width)s × %(height)s pixels, more than %(network)s accepts. Resize "
        "it to at most %(target_width)s × %(target_height)s."
    ),
    "media.image_too_tall": lambda n: _(
        "This image is too tall for %(network)s, which takes shapes from %(min_ratio)s to "
        "%(max_ratio)s. Crop it to %(nearest_ratio)s (%(target_width)s × %(target_height)s)."
    ),
    "media.image_too_wide": lambda n: _(
        "This image is too wide for %(network)s, which takes shapes from %(min_ratio)s to "
        "%(max_ratio)s. Crop it to %(nearest_ratio)s (%(target_width)s × %(target_height)s)."
    ),
    "media.video_too_tall": lambda n: _(
        "This video is too tall for %(network)s, which takes shapes from %(min_ratio)s to "
        "%(max_ratio)s. Crop it to %(nearest_ratio)s (%(target_width)s × %(target_height)s)."
    ),
    "media.video_too_wide": lambda n: _(
        "This video is too wide for %(network)s, which takes shapes from %(min_ratio)s to "
        "%(max_ratio)s. Crop it to %(nearest_ratio)s (%(target_width)s × %(target_height)s)."
    ),
    "media.image_too_narrow": lambda n: _(
        "This image is %(width)s pixels wide; %(network)s needs at least %(target_width)s and "
        "will enlarge it, which can look blurry. Use an image at least %(target_width)s "
        "pixels wide."
    ),
    "media.image_too_wide_pixels": lambda n: _(
        "This image is %(width)s pixels wide; %(network)s shows at most %(target_width)s and "
        "will shrink it. Resize it to %(target_width)s × %(target_height)s to control the "
        "result."
    ),
    "media.video_too_wide_pixels": lambda n: _(
        "This video is %(width)s pixels wide; %(network)s shows at most %(target_width)s and "
        "will shrink it. Resize it to %(target_width)s × %(target_height)s to control the "
        "result."
    ),
    "media.video_too_long": lambda n: _(
        "This video lasts %(duration)s and %(network)s takes videos up to %(max_duration)s. "
        "Trim it."
    ),
    "media.video_too_short": lambda n: _(
        "This video lasts %(duration)s and %(network)s needs at least %(min_duration)s. Use a "
        "longer video."
    ),
    "media.alt_text_missing": lambda n: _(
        "Add a description (alt text) so that people who use screen readers know what this shows."
    ),
    "media.alt_text_too_long": lambda n: ngettext(
        "This description has %(length)s characters and %(network)s takes at most %(max)s. "
        "Shorten it by %(excess)s character.",
        "This description has %(length)s characters and %(network)s takes at most %(max)s. "
        "Shorten it by %(excess)s characters.",
        n,
    ),
}
