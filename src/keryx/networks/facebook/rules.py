"""Facebook Pages: 63,206 characters (UTF-16 code units); photos or one video."""

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

# 63,206: the limit of a Facebook post's text (Keryx DESIGN.md; the Graph API documents no
# figure of its own — see docs/decisions/0101-text-counting.md).
TEXT = TextRules(max_length=63_206, unit="utf16")

MEDIA = MediaRules(
    # A multi-photo post attaches unpublished photos (attached_media); the Graph API documents
    # no maximum, so 10 is a cap Keryx chose (see docs/decisions/0102-media-rules.md).
    max_items=10,
    max_images=10,
    max_videos=1,
    max_gifs=10,
    video_alone=True,
    # https://developers.facebook.com/docs/page-stories-api (photo specifications):
    # ".jpeg, .bmp, .png, .gif, .tiff", "Files can not exceed 10MB".
    image_types=frozenset({"image/jpeg", "image/bmp", "image/png", "image/gif", "image/tiff"}),
    gif_handling="animated",
    max_image_bytes=10 * 1024 * 1024,
    # Page videos: 10 GB and 240 minutes; the exact values of a Page are in its
    # video_upload_limits (https://developers.facebook.com/docs/graph-api/reference/video-upload-limits/).
    video_types=frozenset({"video/mp4", "video/quicktime", "video/x-msvideo"}),
    max_video_bytes=10 * 1024**3,
    max_video_duration_s=240 * 60,
)


def measure_text(text: str, options: CheckOptions) -> TextMeasure:
    return generic_measure(text, utf16_length(text), TEXT.max_length)


RULES = NetworkRules(
    key="facebook",
    name="Facebook",
    text=TEXT,
    media=MEDIA,
    measure=measure_text,
    supports_first_comment=True,  # /{post-id}/comments
    supports_threads=False,
    supports_link_cards=True,  # the link parameter of /{page-id}/feed
    supports_idempotency_key=False,
    link_in_text="with_media",
)
