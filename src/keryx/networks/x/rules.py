"""X: 280 weighted characters counted by twitter-text v3; 4 photos, or 1 video, or 1 GIF."""

from __future__ import annotations

from keryx.core.text import offset_map
from keryx.networks import twitter_text
from keryx.networks.rules import (
    CheckOptions,
    Facet,
    FacetType,
    MediaRules,
    NetworkRules,
    Ratio,
    RatioRange,
    TextMeasure,
    TextRules,
)

_FACET_TYPES: dict[str, FacetType] = {"url": "link", "hashtag": "tag", "mention": "mention"}

TEXT = TextRules(
    # https://docs.x.com/fundamentals/counting-characters (280, twitter-text v3 weights,
    # URLs 23, emoji 2, NFC); 25,000 for Premium accounts via CheckOptions.x_max_weighted_length.
    max_length=280,
    unit="weighted",
    url_length=23,
    # https://help.x.com/en/using-x/how-to-use-hashtags: "no more than 2 hashtags per post".
    advised_max_hashtags=2,
)

# https://docs.x.com/x-api/media/quickstart/best-practices
MEDIA = MediaRules(
    max_items=4,  # "up to 4 photos, 1 animated GIF or 1 video in a Post"
    max_images=4,
    max_videos=1,
    max_gifs=1,
    video_alone=True,
    gif_alone=True,
    image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
    video_types=frozenset({"video/mp4", "video/quicktime"}),
    gif_handling="animated",
    max_image_bytes=5 * 1024 * 1024,  # "Image: 5 MB"
    max_gif_bytes=15 * 1024 * 1024,  # "Animated GIF: 15 MB"
    max_video_bytes=8 * 1024**3,  # "Video on a Post: 8 GB" (16 GB for Premium)
    min_video_duration_s=0.5,  # "0.5 seconds–20 minutes" (125 minutes for Premium)
    max_video_duration_s=20 * 60,
    video_ratio=RatioRange(Ratio(1, 3, "1:3"), Ratio(3, 1, "3:1")),  # "between 1:3 and 3:1"
    # https://docs.x.com/x-api/media/create-media-metadata (OpenAPI: alt_text.text maxLength 1000).
    max_alt_text_length=1000,
)


def measure_text(text: str, options: CheckOptions) -> TextMeasure:
    """Weighted length (twitter-text v3) and X's own entities."""
    offsets = offset_map(text)
    entities = [
        entity
        for entity in twitter_text.extract_entities_with_indices(text)
        if entity.kind in _FACET_TYPES
    ]
    return TextMeasure(
        length=twitter_text.weighted_length(text),
        limit=options.x_max_weighted_length or TEXT.max_length,
        facets=tuple(
            Facet(
                _FACET_TYPES[entity.kind],
                entity.value,
                offsets.utf8(entity.span[0]),
                offsets.utf8(entity.span[1]),
            )
            for entity in entities
        ),
        hashtags=tuple(e.value for e in entities if e.kind == "hashtag"),
        links=tuple(e.value for e in entities if e.kind == "url"),
        mentions=tuple(e.value for e in entities if e.kind == "mention" and not e.list_slug),
    )


RULES = NetworkRules(
    key="x",
    name="X",
    text=TEXT,
    media=MEDIA,
    measure=measure_text,
    supports_first_comment=True,  # a reply to the post
    supports_threads=True,
    supports_link_cards=True,  # X builds a card from the first link
    supports_idempotency_key=False,
    link_in_text="always",
    link_separator="\n",
)
