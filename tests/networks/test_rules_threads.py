"""Threads: 500 characters with emoji counted as UTF-8 bytes; 5 links; one topic tag."""

from __future__ import annotations

from keryx.networks.rules import MediaInfo, check_media, check_text
from keryx.networks.threads.rules import threads_length


def test_emoji_count_their_utf8_bytes() -> None:
    assert threads_length("Γεια 😀") == 9
    assert threads_length("❤️") == 6
    assert threads_length("🇬🇷") == 8
    assert threads_length("👨‍👩‍👧‍👦") == 25
    assert threads_length("Ἀθῆναι") == 6


def test_limit_500() -> None:
    assert check_text("threads", "α" * 500).valid
    assert check_text("threads", "α" * 496 + "😀").valid
    assert not check_text("threads", "α" * 497 + "😀").valid


def test_more_than_five_unique_links_is_an_error() -> None:
    links = " ".join(f"https://keryx.gr/{n}" for n in range(6))
    result = check_text("threads", links)
    assert [(p.code, p.params["count"]) for p in result.errors] == [("links.too_many", 6)]
    repeated = " ".join(["https://keryx.gr/1"] * 6)
    assert check_text("threads", repeated).valid


def test_only_one_topic_tag() -> None:
    result = check_text("threads", "#σεμινάριο #marketing")
    assert [(p.code, p.params["topic"]) for p in result.warnings] == [
        ("hashtags.one_topic", "σεμινάριο")
    ]


def test_media_png_ok_gif_refused_width_rescaled() -> None:
    png = MediaInfo("image", "image/png", 1080, 1350, 3_000_000, alt_text="Αφίσα")
    assert check_media("threads", [png]) == []
    gif = MediaInfo("gif", "image/gif", 400, 400, 1_000_000, alt_text="GIF")
    assert [p.code for p in check_media("threads", [gif])] == ["media.gif_unsupported"]
    narrow = MediaInfo("image", "image/jpeg", 300, 300, 100_000, alt_text="Λογότυπο")
    problems = check_media("threads", [narrow])
    assert [(p.code, p.severity, p.params["target_width"]) for p in problems] == [
        ("media.image_too_narrow", "warning", 320)
    ]
