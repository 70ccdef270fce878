"""Every network's text and media rules, declared as data, and the pure checks built on them.

The composer shows :func:`check_variant` live as the user types, the publisher runs the same
check before sending, and ``keryx compose check`` prints :meth:`TextCheck.as_dict` as JSON.
Each network declares its limits in ``keryx/networks/<key>/rules.py`` (``RULES``), with the
source of every figure next to it, so a platform change is a one-line edit there.

Every check works on the NFC form of the text (:func:`keryx.core.text.normalize_post_text`),
which is also the form Keryx publishes: decomposed accents count once, and Bluesky's facet byte
offsets refer to that form. Messages are translated (gettext) when a problem is created, so
build checks inside the user's active language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, TypeAlias

from keryx.core.text import normalize_post_text

JSONValue: TypeAlias = (
    bool | int | float | str | Sequence["JSONValue"] | Mapping[str, "JSONValue"] | None
)
"""A value that serialises to JSON (sequences become lists)."""
Severity = Literal["error", "warning"]
FacetType = Literal["tag", "link", "mention"]
MediaKind = Literal["image", "video", "gif"]
GifHandling = Literal["animated", "still", "video", "unsupported"]


def __getattr__(name: str) -> tuple[str, ...]:
    """``NETWORK_KEYS``: the networks Keryx publishes to, in the order the interface lists
    them, from :func:`keryx.networks.registry.network_keys` (the one list)."""
    if name == "NETWORK_KEYS":
        from keryx.networks.registry import network_keys

        return network_keys()
    raise AttributeError(name)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with (error) or worth improving in (warning) a variant.

    ``code`` is a stable dotted id (``text.too_long``); ``message`` is already translated and
    says how to fix it; ``field`` names what it is about (``text``, ``hashtags``, ``media[2]``);
    ``params`` carries the figures, JSON-safe, for a one-click fix.
    """

    code: str
    severity: Severity
    message: str
    field: str
    params: Mapping[str, JSONValue] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, JSONValue]:
        return {
            "code": self.code,
            "message": self.message,
            "field": self.field,
            "params": {key: _plain(value) for key, value in self.params.items()},
        }


def _plain(value: JSONValue) -> JSONValue:
    """``value`` with tuples and other sequences as lists, mappings as dicts."""
    if isinstance(value, str) or value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    return [_plain(item) for item in value]


@dataclass(frozen=True, slots=True)
class Facet:
    """A link, mention or tag in the text, by UTF-8 byte offsets (Bluesky's convention).

    ``value`` is the link's URI, the mention's handle or username, or the tag without ``#``.
    """

    type: FacetType
    value: str
    byte_start: int
    byte_end: int

    def as_dict(self) -> dict[str, JSONValue]:
        return {
            "type": self.type,
            "value": self.value,
            "byteStart": self.byte_start,
            "byteEnd": self.byte_end,
        }


@dataclass(frozen=True, slots=True)
class TextMeasure:
    """What a network's counting function finds in a text."""

    length: int
    limit: int
    facets: tuple[Facet, ...] = ()
    hashtags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    byte_length: int | None = None
    hashtag_limit: int | None = None
    """The hashtag cap for this account (the rule's, or the one the options set)."""


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """Per-account settings that change a network's limits; ``None`` keeps the default."""

    x_max_weighted_length: int | None = None
    """25,000 for X Premium accounts (long posts); 280 otherwise."""
    mastodon_max_characters: int | None = None
    """The instance's ``configuration.statuses.max_characters`` (500 on mastodon.social)."""
    mastodon_characters_reserved_per_url: int | None = None
    """The instance's ``configuration.statuses.characters_reserved_per_url`` (23)."""
    mastodon_spoiler_text: str = ""
    """The content warning, which Mastodon counts with the text."""
    instagram_max_hashtags: int | None = None
    """Instagram's hashtag cap (5 since December 2025)."""
    max_length: int | None = None
    """A receiver's own text limit (a Discord webhook's 2,000 characters)."""


@dataclass(frozen=True, slots=True)
class Ratio:
    """An aspect ratio width:height, exact (``Ratio(4, 5)`` is 4:5, ``Ratio(191, 100)`` 1.91:1)."""

    width: int
    height: int
    label: str

    @property
    def value(self) -> Fraction:
        return Fraction(self.width, self.height)


@dataclass(frozen=True, slots=True)
class RatioRange:
    """Allowed aspect ratios, from the tallest (``minimum``) to the widest (``maximum``)."""

    minimum: Ratio
    maximum: Ratio


@dataclass(frozen=True, slots=True)
class TextRules:
    """How a network counts text and what it allows."""

    max_length: int
    unit: str
    """``weighted`` (X), ``graphemes``, ``utf16`` (UTF-16 code units), ``threads``."""
    max_bytes: int | None = None
    url_length: int | None = None
    """Every link counts this many characters, whatever its real length."""
    max_hashtags: int | None = None
    """More is an error: the network rejects the post."""
    advised_max_hashtags: int | None = None
    """More is a warning: the network advises against it, as it hurts reach."""
    max_topic_tags: int | None = None
    """Threads: only this many tags become the post's topic."""
    max_mentions: int | None = None
    max_links: int | None = None
    links_clickable: bool = True
    has_facets: bool = False
    """The network's posts carry rich-text facets (Bluesky): the check reports them. Other
    networks find links, mentions and tags themselves, so their checks report none."""


@dataclass(frozen=True, slots=True)
class MediaRules:
    """What media a post may carry. ``None`` means no documented limit."""

    max_items: int
    max_images: int
    max_videos: int
    max_gifs: int
    required: bool = False
    video_alone: bool = True
    """A video must be the post's only attachment."""
    gif_alone: bool = False
    """An animated GIF must be the post's only attachment (else a GIF counts as an image)."""
    image_types: frozenset[str] = frozenset()
    video_types: frozenset[str] = frozenset()
    gif_handling: GifHandling = "animated"
    max_image_bytes: int | None = None
    max_gif_bytes: int | None = None
    max_video_bytes: int | None = None
    max_image_pixels: int | None = None
    max_video_pixels: int | None = None
    min_video_duration_s: float | None = None
    max_video_duration_s: float | None = None
    image_ratio: RatioRange | None = None
    video_ratio: RatioRange | None = None
    min_image_width: int | None = None
    max_image_width: int | None = None
    image_width_severity: Severity = "error"
    """``warning`` where the network rescales images outside the width bounds itself."""
    max_video_width: int | None = None
    max_alt_text_length: int | None = None


Measure = Callable[[str, CheckOptions], TextMeasure]


@dataclass(frozen=True, slots=True)
class NetworkRules:
    """A network: its limits as data, and the function that counts its text."""

    key: str
    name: str
    text: TextRules
    media: MediaRules
    measure: Measure = dataclasses.field(compare=False, repr=False)
    supports_first_comment: bool = False
    supports_threads: bool = False
    """Reply chains: a long text can go out as a thread of posts."""
    supports_link_cards: bool = False
    supports_idempotency_key: bool = False
    """The API lets a retried publish be recognised (Mastodon's ``Idempotency-Key`` header,
    a client-chosen record key on Bluesky), so a retry cannot post twice."""
    link_in_text: Literal["always", "with_media", "never"] = "never"
    """Where the connector puts the variant's link (its link card): appended to the text
    ``always``, only ``with_media`` (the network cannot show a card beside images), or
    ``never`` (a card field of its own). What is appended counts against the limit."""
    link_separator: str = "\n\n"


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What the checks need to know about one attachment."""

    kind: MediaKind
    mime: str
    width: int
    height: int
    bytes: int
    duration_s: float | None = None
    alt_text: str = ""


@dataclass(frozen=True, slots=True)
class TextCheck:
    """The result of a check: the length as the network counts it, the problems, the facets."""

    network: str
    valid: bool
    length: int
    limit: int
    unit: str
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    facets: tuple[Facet, ...]

    def as_dict(self) -> dict[str, JSONValue]:
        return {
            "network": self.network,
            "valid": self.valid,
            "length": self.length,
            "limit": self.limit,
            "errors": [problem.as_dict() for problem in self.errors],
            "warnings": [problem.as_dict() for problem in self.warnings],
            "facets": [facet.as_dict() for facet in self.facets],
        }


def get_rules(key: str) -> NetworkRules:
    """The rules of network ``key`` (from its spec, :mod:`keryx.networks.registry`)."""
    from keryx.networks.registry import network_keys, spec

    try:
        return spec(key).rules
    except LookupError:
        raise LookupError(
            f"Unknown network {key!r}; expected one of {', '.join(network_keys())}"
        ) from None


def check_text(key: str, text: str, *, options: CheckOptions | None = None) -> TextCheck:
    """Check the text of a post for network ``key``: length, hashtags, mentions, links."""
    from keryx.networks.text import text_problems

    rules = get_rules(key)
    options = options or CheckOptions()
    measure = rules.measure(normalize_post_text(text), options)
    return _result(rules, measure, text_problems(rules, measure))


def check_media(key: str, media: Sequence[MediaInfo]) -> list[Problem]:
    """Check a post's attachments for network ``key``: count, types, sizes, shapes, alt text."""
    return _media_problems(get_rules(key), media)


def text_as_sent(rules: NetworkRules, text: str, link: str, media_count: int) -> str:
    """The text the connector sends: ``text`` with the link appended where the network shows
    no card for it (see :attr:`NetworkRules.link_in_text`). Connectors and checks both use
    this, so what the composer counts is what the network receives."""
    if not link or link in text:
        return text
    if rules.link_in_text == "never" or (rules.link_in_text == "with_media" and not media_count):
        return text
    return f"{text}{rules.link_separator}{link}".strip()


def check_variant(
    key: str,
    text: str,
    media: Sequence[MediaInfo],
    *,
    options: CheckOptions | None = None,
    link: str = "",
) -> TextCheck:
    """Check a whole variant (text, media and its link card) for network ``key``.

    Adds what needs both: a post must have text or media, and Instagram needs an image or a
    video. The text is checked as it will be sent, with ``link`` where the network puts it.
    """
    from keryx.networks.text import presence_problems, text_problems

    rules = get_rules(key)
    options = options or CheckOptions()
    normalized = normalize_post_text(text_as_sent(rules, text, link, len(media)))
    measure = rules.measure(normalized, options)
    problems = [
        *presence_problems(rules, normalized, media),
        *text_problems(rules, measure),
        *_media_problems(rules, media),
    ]
    return _result(rules, measure, problems)


def _result(rules: NetworkRules, measure: TextMeasure, problems: Sequence[Problem]) -> TextCheck:
    errors = tuple(p for p in problems if p.severity == "error")
    return TextCheck(
        network=rules.key,
        valid=not errors,
        length=measure.length,
        limit=measure.limit,
        unit=rules.text.unit,
        errors=errors,
        warnings=tuple(p for p in problems if p.severity == "warning"),
        facets=measure.facets if rules.text.has_facets else (),
    )


# --- media checks -------------------------------------------------------------------------------


def _media_problems(rules: NetworkRules, media: Sequence[MediaInfo]) -> list[Problem]:
    problems = _count_problems(rules, media)
    for index, item in enumerate(media):
        problems += _item_problems(rules, item, f"media[{index}]")
    return problems


def _counts_as_image(rules: MediaRules, item: MediaInfo) -> bool:
    if item.kind == "image":
        return True
    return item.kind == "gif" and not rules.gif_alone and rules.gif_handling != "video"


def _count_problems(rules: NetworkRules, media: Sequence[MediaInfo]) -> list[Problem]:
    limits = rules.media
    images = sum(1 for item in media if _counts_as_image(limits, item))
    videos = sum(1 for item in media if item.kind == "video")
    gifs = sum(1 for item in media if item.kind == "gif" and limits.gif_alone)
    if len(media) > 1:
        for code, present in (
            ("media.video_must_be_alone", videos and limits.video_alone),
            ("media.gif_must_be_alone", gifs and limits.gif_alone),
        ):
            if present:
                return [_problem(code, "media", network=rules.name, count=len(media))]
    over = [
        ("media.too_many", len(media), limits.max_items),
        ("media.too_many_images", images, limits.max_images),
        ("media.too_many_videos", videos, limits.max_videos),
        ("media.too_many_gifs", gifs, limits.max_gifs),
    ]
    return [
        _problem(
            code,
            "media",
            maximum,
            network=rules.name,
            count=count,
            max=maximum,
            excess=count - maximum,
        )
        for code, count, maximum in over
        if count > maximum
    ][:1]


def _item_problems(rules: NetworkRules, item: MediaInfo, where: str) -> list[Problem]:
    limits = rules.media
    name = rules.name
    problems: list[Problem] = []
    if item.kind == "gif" and limits.gif_handling == "unsupported":
        problems.append(_problem("media.gif_unsupported", where, network=name))
    elif item.kind == "gif" and limits.gif_handling == "still":
        problems.append(_problem("media.gif_still", where, network=name))
    visual = "video" if item.kind == "video" else "image"
    allowed = limits.video_types if visual == "video" else limits.image_types
    if item.kind != "gif" and item.mime.lower() not in allowed:
        problems.append(
            _problem(
                f"media.{visual}_type_unsupported",
                where,
                network=name,
                mime=item.mime,
                format=_format_name(item.mime),
                allowed=sorted(allowed),
                allowed_formats=", ".join(sorted({_format_name(m) for m in allowed})),
            )
        )
    max_bytes = {
        "image": limits.max_image_bytes,
        "gif": limits.max_gif_bytes or limits.max_image_bytes,
        "video": limits.max_video_bytes,
    }[item.kind]
    if max_bytes is not None and item.bytes > max_bytes:
        problems.append(
            _problem(
                f"media.{item.kind}_too_large",
                where,
                network=name,
                bytes=item.bytes,
                max_bytes=max_bytes,
                size=_format_size(item.bytes, max_bytes),
                max_size=_format_size(max_bytes, max_bytes),
            )
        )
    max_pixels = limits.max_video_pixels if visual == "video" else limits.max_image_pixels
    if max_pixels is not None and item.width * item.height > max_pixels:
        scale = (max_pixels / (item.width * item.height)) ** 0.5
        target_width, target_height = int(item.width * scale), int(item.height * scale)
        while target_width * target_height > max_pixels:  # floating-point safety
            target_width -= 1
        problems.append(
            _problem(
                f"media.{visual}_too_many_pixels",
                where,
                network=name,
                width=item.width,
                height=item.height,
                pixels=item.width * item.height,
                max_pixels=max_pixels,
                target_width=target_width,
                target_height=target_height,
            )
        )
    problems += _shape_problems(rules, item, where, visual)
    if visual == "video" and item.duration_s is not None:
        problems += _duration_problems(rules, item.duration_s, where)
    problems += _alt_text_problems(rules, item, where)
    return problems


def _shape_problems(rules: NetworkRules, item: MediaInfo, where: str, visual: str) -> list[Problem]:
    limits = rules.media
    if item.width <= 0 or item.height <= 0:
        return []
    problems: list[Problem] = []
    bounds = limits.video_ratio if visual == "video" else limits.image_ratio
    ratio = Fraction(item.width, item.height)
    if bounds is not None and not bounds.minimum.value <= ratio <= bounds.maximum.value:
        tall = ratio < bounds.minimum.value
        nearest = bounds.minimum if tall else bounds.maximum
        if tall:  # keep the width, crop the height
            target_width = item.width
            target_height = item.width * nearest.height // nearest.width
        else:  # keep the height, crop the width
            target_height = item.height
            target_width = item.height * nearest.width // nearest.height
        problems.append(
            _problem(
                f"media.{visual}_too_{'tall' if tall else 'wide'}",
                where,
                network=rules.name,
                width=item.width,
                height=item.height,
                ratio=round(float(ratio), 4),
                min_ratio=bounds.minimum.label,
                max_ratio=bounds.maximum.label,
                nearest_ratio=nearest.label,
                nearest_ratio_value=round(float(nearest.value), 4),
                target_width=max(target_width, 1),
                target_height=max(target_height, 1),
            )
        )
    if visual == "image" and item.kind == "image":
        for code, breaks, target in (
            ("media.image_too_narrow", limits.min_image_width, limits.min_image_width),
            ("media.image_too_wide_pixels", limits.max_image_width, limits.max_image_width),
        ):
            if breaks is None or target is None:
                continue
            narrow = code.endswith("narrow")
            if (item.width < breaks) if narrow else (item.width > breaks):
                problems.append(
                    _problem(
                        code,
                        where,
                        severity=limits.image_width_severity,
                        network=rules.name,
                        width=item.width,
                        height=item.height,
                        target_width=target,
                        target_height=max(round(item.height * target / item.width), 1),
                    )
                )
    if visual == "video" and limits.max_video_width and item.width > limits.max_video_width:
        target = limits.max_video_width
        problems.append(
            _problem(
                "media.video_too_wide_pixels",
                where,
                network=rules.name,
                width=item.width,
                height=item.height,
                target_width=target,
                target_height=max(round(item.height * target / item.width), 1),
            )
        )
    return problems


def _duration_problems(rules: NetworkRules, duration_s: float, where: str) -> list[Problem]:
    limits = rules.media
    if limits.max_video_duration_s is not None and duration_s > limits.max_video_duration_s:
        return [
            _problem(
                "media.video_too_long",
                where,
                network=rules.name,
                duration_s=duration_s,
                max_duration_s=limits.max_video_duration_s,
                duration=_format_duration(duration_s),
                max_duration=_format_duration(limits.max_video_duration_s),
            )
        ]
    if limits.min_video_duration_s is not None and duration_s < limits.min_video_duration_s:
        return [
            _problem(
                "media.video_too_short",
                where,
                network=rules.name,
                duration_s=duration_s,
                min_duration_s=limits.min_video_duration_s,
                duration=_format_duration(duration_s),
                min_duration=_format_duration(limits.min_video_duration_s),
            )
        ]
    return []


def _alt_text_problems(rules: NetworkRules, item: MediaInfo, where: str) -> list[Problem]:
    alt_text = item.alt_text.strip()
    if not alt_text:
        return [_problem("media.alt_text_missing", f"{where}.alt_text", network=rules.name)]
    maximum = rules.media.max_alt_text_length
    if maximum is not None and len(alt_text) > maximum:
        return [
            _problem(
                "media.alt_text_too_long",
                f"{where}.alt_text",
                len(alt_text) - maximum,
                network=rules.name,
                length=len(alt_text),
                max=maximum,
                excess=len(alt_text) - maximum,
            )
        ]
    return []


def _format_name(mime: str) -> str:
    """``image/jpeg`` → ``JPEG``, ``video/quicktime`` → ``MOV``."""
    subtype = mime.lower().partition("/")[2]
    return _FORMAT_NAMES.get(subtype, subtype.upper())


_FORMAT_NAMES = {"quicktime": "MOV", "svg+xml": "SVG", "x-ms-bmp": "BMP", "jpg": "JPEG"}


def _format_size(size: int, limit: int) -> str:
    """``size`` in megabytes as the network states ``limit``: binary (MiB) when the limit is a
    whole number of them, decimal otherwise (Bluesky's 1,000,000 bytes is "1 MB")."""
    from django.utils.formats import number_format

    unit = 1 << 20 if limit % (1 << 20) == 0 else 1_000_000
    if size % unit == 0:
        return f"{number_format(size // unit)} MB"
    return f"{number_format(size / unit, decimal_pos=1)} MB"


def _format_duration(seconds: float) -> str:
    """``2:30`` for minutes and seconds, ``0.5 s`` (localised) under a minute."""
    from django.utils.formats import number_format
    from django.utils.translation import ngettext

    whole = round(seconds)
    if whole >= 60:
        return f"{whole // 60}:{whole % 60:02d}"
    value = number_format(seconds, decimal_pos=1 if seconds % 1 else 0)
    return ngettext("%(seconds)s second", "%(seconds)s seconds", 1 if seconds == 1 else 2) % {
        "seconds": value
    }


def _problem(
    code: str,
    where: str,
    plural: int = 1,
    *,
    severity: Severity | None = None,
    **params: JSONValue,
) -> Problem:
    from keryx.networks.text import problem

    return problem(code, where, plural, severity=severity, **params)
