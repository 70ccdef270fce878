"""What the test network allows, declared as data (like every network's ``rules.py``)."""

from __future__ import annotations

from keryx.core.text import graphemes
from keryx.networks.rules import CheckOptions, MediaRules, NetworkRules, TextMeasure, TextRules
from keryx.networks.text import generic_measure

NETWORK = "testnet"
TEXT_LIMIT = 5000

TEXT = TextRules(max_length=TEXT_LIMIT, unit="graphemes")
MEDIA = MediaRules(
    max_items=4,
    max_images=4,
    max_videos=1,
    max_gifs=1,
    image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
    video_types=frozenset({"video/mp4"}),
)


def measure_text(text: str, options: CheckOptions) -> TextMeasure:
    return generic_measure(text, len(graphemes(text)), TEXT_LIMIT)


RULES = NetworkRules(key=NETWORK, name="Test network", text=TEXT, media=MEDIA, measure=measure_text)
