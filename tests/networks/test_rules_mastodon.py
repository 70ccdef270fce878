"""Mastodon: the server's StatusLengthValidator: graphemes, URLs as 23, remote mentions local."""

from __future__ import annotations

from keryx.networks.mastodon.rules import countable_text
from keryx.networks.rules import CheckOptions, MediaInfo, check_media, check_text


def test_remote_mention_counts_as_local_part() -> None:
    text = "Ευχαριστούμε @maria@mastodon.social!"
    assert countable_text(text) == "Ευχαριστούμε @maria!"
    assert check_text("mastodon", text).length == 20


def test_remote_mention_with_greek_idn_host() -> None:
    assert countable_text("Με @info@παράδειγμα.ελ σήμερα") == "Με @info σήμερα"


def test_every_url_with_protocol_counts_23() -> None:
    assert check_text("mastodon", "see https://example.com here").length == 32
    assert check_text("mastodon", "Δείτε https://seminar.gr/σεμινάριο-2026!").length == 30
    assert check_text("mastodon", "gemini://gemini.circumlunar.space/docs/").length == 23


def test_bare_domain_counts_in_full() -> None:
    assert check_text("mastodon", "see example.com here").length == 20


def test_email_is_not_a_mention() -> None:
    assert countable_text("mail arnt@grå.org") == "mail arnt@grå.org"


def test_instance_options_and_content_warning() -> None:
    long_text = "α" * 501
    assert not check_text("mastodon", long_text).valid
    options = CheckOptions(mastodon_max_characters=1000, mastodon_characters_reserved_per_url=30)
    assert check_text("mastodon", long_text, options=options).valid
    assert check_text("mastodon", "https://example.com", options=options).length == 30
    warned = check_text(
        "mastodon", "α" * 490, options=CheckOptions(mastodon_spoiler_text="Σπόιλερ: τέλος")
    )
    assert (warned.length, warned.errors[0].params["excess"]) == (504, 4)


def test_graphemes_of_emoji_and_polytonic() -> None:
    assert check_text("mastodon", "👨‍👩‍👧‍👦 ᾅ").length == 3


def test_video_must_be_alone_but_gifs_mix() -> None:
    image = MediaInfo("image", "image/jpeg", 1600, 900, 2_000_000, alt_text="Φωτογραφία")
    gif = MediaInfo("gif", "image/gif", 400, 400, 2_000_000, alt_text="GIF")
    video = MediaInfo("video", "video/mp4", 1920, 1080, 20_000_000, 60.0, alt_text="Βίντεο")
    assert check_media("mastodon", [image, gif, gif]) == []
    assert [p.code for p in check_media("mastodon", [image, video])] == [
        "media.video_must_be_alone"
    ]


def test_pixel_limit_suggests_a_size_and_alt_text_limit() -> None:
    huge = MediaInfo("image", "image/png", 10_000, 5_000, 10_000_000, alt_text="x" * 1501)
    problems = check_media("mastodon", [huge])
    assert [p.code for p in problems] == ["media.image_too_many_pixels", "media.alt_text_too_long"]
    pixels = problems[0].params
    assert (pixels["target_width"], pixels["target_height"]) == (8145, 4072)
    assert int(str(pixels["target_width"])) * int(str(pixels["target_height"])) <= 33_177_600
    assert problems[1].params == {"network": "Mastodon", "length": 1501, "max": 1500, "excess": 1}
