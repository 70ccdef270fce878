"""What a webhook takes, declared as data like every network's rules: text counted in
characters (graphemes), up to four images sent by address, no video.

A receiver's own text limit is stored with the account when it is connected (Discord's
``content`` takes 2,000 characters: discord.com/developers/docs/resources/webhook#execute-
webhook) and reaches the check as ``CheckOptions.max_length``; otherwise 10,000 characters,
far above what any feed shows, so an accidental paste is caught.
"""

from __future__ import annotations

from keryx.core.text import graphemes
from keryx.networks.rules import CheckOptions, MediaRules, NetworkRules, TextMeasure, TextRules
from keryx.networks.text import generic_measure

TEXT = TextRules(max_length=10_000, unit="graphemes")

MEDIA = MediaRules(
    max_items=4,
    max_images=4,
    max_videos=0,
    max_gifs=4,
    video_alone=False,
    image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
    gif_handling="animated",
)


def measure_text(text: str, options: CheckOptions) -> TextMeasure:
    return generic_measure(text, len(graphemes(text)), options.max_length or TEXT.max_length)


RULES = NetworkRules(
    key="webhook",
    name="Webhook",
    text=TEXT,
    media=MEDIA,
    measure=measure_text,
    link_in_text="always",
    link_separator="\n",
)
