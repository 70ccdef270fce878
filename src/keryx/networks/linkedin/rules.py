"""LinkedIn: 3,000 characters of commentary (UTF-16 code units); up to 20 images or one video."""

from __future__ import annotations

from keryx.core.text import utf16_length
from keryx.networks.rules import (
    CheckOptions,
    MediaRules,
    NetworkRules,
    TextMeasure,
    TextRules,
)
from keryx.networks.text import generic_measure

# https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api
# (commentary: the post's text, in "little text" format, at most 3,000 characters).
TEXT = TextRules(max_length=3000, unit="utf16")

MEDIA = MediaRules(
    # .../shares/multiimage-post-api: "a MultiImage post ... 2 to 20 images"; a video post
    # carries one video alone.
    max_items=20,
    max_images=20,
    max_videos=1,
    max_gifs=1,
    video_alone=True,
    # .../shares/images-api: "JPG, GIF, PNG", "up to 36,152,320 pixels", GIF up to 250 frames.
    image_types=frozenset({"image/jpeg", "image/png", "image/gif"}),
    gif_handling="animated",
    max_image_pixels=36_152_320,
    # .../shares/videos-api: MP4, "3 seconds to 30 minutes", "75 KB to 500 MB".
    video_types=frozenset({"video/mp4"}),
    min_video_duration_s=3,
    max_video_duration_s=30 * 60,
    max_video_bytes=500 * 1024 * 1024,
)


def measure_text(text: str, options: CheckOptions) -> TextMeasure:
    return generic_measure(text, utf16_length(text), TEXT.max_length)


RULES = NetworkRules(
    key="linkedin",
    name="LinkedIn",
    text=TEXT,
    media=MEDIA,
    measure=measure_text,
    supports_first_comment=True,  # socialActions/{urn}/comments
    supports_threads=False,
    supports_link_cards=True,  # an article post
    supports_idempotency_key=False,
    link_in_text="always",
)
