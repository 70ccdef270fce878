"""Threads: 500 characters, emoji counted as their UTF-8 bytes, at most 5 links, one topic tag.

https://developers.facebook.com/documentation/threads/posts ("Limitations"): "Text posts are
limited to 500 characters. Emojis are counted as the number of UTF-8 bytes" (the note links to
the grapheme-splitter package). So Keryx counts one per grapheme, except that a grapheme holding
an emoji counts its UTF-8 bytes: 😀 is 4, ❤️ is 6, 🇬🇷 is 8, 👨‍👩‍👧‍👦 is 25.
"""

from __future__ import annotations

from keryx.core.text import EMOJI_SEQUENCE, graphemes, utf8_length
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
    max_length=500,
    unit="threads",
    # https://developers.facebook.com/documentation/threads/create-posts/text-attachments:
    # "Starting December 22, 2025, Threads posts containing more than 5 links will fail to post
    # (THREADS_API__LINK_LIMIT_EXCEEDED)"; every unique URL of the text counts.
    max_links=5,
    # https://developers.facebook.com/documentation/threads/posts#topic-tags--links--and-gifs:
    # a post has one topic tag.
    max_topic_tags=1,
)

# https://developers.facebook.com/docs/threads/overview#image-specifications and
# #video-specifications; carousels: https://developers.facebook.com/documentation/threads/posts
MEDIA = MediaRules(
    max_items=20,  # a carousel takes up to 20 images and videos, mixed
    max_images=20,
    max_videos=20,
    max_gifs=0,
    video_alone=False,
    image_types=frozenset({"image/jpeg", "image/png"}),  # "JPEG and PNG"
    gif_handling="unsupported",  # GIFs only as GIPHY attachments, not uploads
    max_image_bytes=8 * 1024 * 1024,  # "File size: 8 MB maximum"
    image_ratio=RatioRange(Ratio(1, 10, "1:10"), Ratio(10, 1, "10:1")),  # "limit: 10:1"
    min_image_width=320,  # "will be scaled up to the minimum if necessary"
    max_image_width=1440,  # "will be scaled down to the maximum if necessary"
    image_width_severity="warning",
    video_types=frozenset({"video/quicktime", "video/mp4"}),  # "MOV or MP4"
    max_video_bytes=1024**3,  # "File size: 1 GB maximum"
    max_video_duration_s=300,  # "300 seconds (5 minutes) maximum"
    video_ratio=RatioRange(Ratio(1, 100, "0.01:1"), Ratio(10, 1, "10:1")),
    max_video_width=1920,  # "Maximum columns (horizontal pixels): 1920"
    # POST /{threads-user-id}/threads alt_text: "up to 1,000 characters".
    max_alt_text_length=1000,
)


def threads_length(text: str) -> int:
    """One per grapheme, but an emoji counts its UTF-8 bytes."""
    return sum(
        utf8_length(grapheme) if EMOJI_SEQUENCE.search(grapheme) else 1
        for grapheme in graphemes(text)
    )


def measure_text(text: str, options: CheckOptions) -> TextMeasure:
    return generic_measure(text, threads_length(text), TEXT.max_length)


RULES = NetworkRules(
    key="threads",
    name="Threads",
    text=TEXT,
    media=MEDIA,
    measure=measure_text,
    supports_first_comment=True,  # a reply to the post
    supports_threads=True,
    supports_link_cards=True,  # link_attachment on text posts
    supports_idempotency_key=False,
    link_in_text="with_media",
)
