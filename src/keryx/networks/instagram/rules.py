"""Instagram: 2,200 characters (UTF-16 code units), at most 5 hashtags, and an image or video."""

from __future__ import annotations

from dataclasses import replace

from keryx.core.text import utf16_length
from keryx.networks.rules import (
    CheckOptions,
    MediaRules,
    NetworkRules,
    Ratio,
    RatioRange,
    TextMeasure,
    TextRules,
)
from keryx.networks.text import generic_measure

TEXT = TextRules(
    # https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
    # (caption): at most 2,200 characters and 20 @ mentions.
    max_length=2200,
    unit="utf16",
    max_mentions=20,
    # 5 hashtags since December 2025 (was 30); CheckOptions.instagram_max_hashtags overrides.
    max_hashtags=5,
    links_clickable=False,  # links in captions are plain text
)

# https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
# (image and Reels specifications; carousels up to 10 children).
MEDIA = MediaRules(
    required=True,
    max_items=10,
    max_images=10,
    max_videos=10,
    max_gifs=0,
    video_alone=False,
    image_types=frozenset({"image/jpeg"}),  # "Format: JPEG"
    gif_handling="unsupported",
    max_image_bytes=8 * 1024 * 1024,  # "File size: 8 MB maximum"
    image_ratio=RatioRange(Ratio(4, 5, "4:5"), Ratio(191, 100, "1.91:1")),
    min_image_width=320,  # "will be scaled up to the minimum if necessary"
    max_image_width=1440,  # "will be scaled down to the maximum if necessary"
    image_width_severity="warning",
    video_types=frozenset({"video/quicktime", "video/mp4"}),  # Reels: "MOV or MP4"
    max_video_bytes=300 * 1024 * 1024,  # Reels: "300 MB maximum"
    min_video_duration_s=3,  # Reels: "3 seconds minimum"
    max_video_duration_s=15 * 60,  # Reels: "15 minutes maximum"
    video_ratio=RatioRange(Ratio(1, 100, "0.01:1"), Ratio(10, 1, "10:1")),
    max_video_width=1920,
)


def measure_text(text: str, options: CheckOptions) -> TextMeasure:
    measure = generic_measure(text, utf16_length(text), TEXT.max_length)
    limit = options.instagram_max_hashtags
    return replace(measure, hashtag_limit=TEXT.max_hashtags if limit is None else limit)


RULES = NetworkRules(
    key="instagram",
    name="Instagram",
    text=TEXT,
    media=MEDIA,
    measure=measure_text,
    supports_first_comment=True,  # /{ig-media-id}/comments
    supports_threads=False,
    supports_link_cards=False,
    supports_idempotency_key=False,
    link_in_text="always",
)
