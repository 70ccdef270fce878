"""Bluesky: graphemes and bytes, and facets exactly as the official client detects them."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from keryx.core.text import utf8_slice
from keryx.networks.bluesky.rules import detect_facets
from keryx.networks.rules import Facet, MediaInfo, check_media, check_text


def test_greek_hashtag_facet_spans_the_hash_by_hand() -> None:
    # "Έλα" 6 bytes + " " + "στο" 6 + " " = 14; "#" 1 + "σεμινάριο" 18 = byte 33; "!" stripped.
    result = check_text("bluesky", "Έλα στο #σεμινάριο!")
    assert result.facets == (Facet("tag", "σεμινάριο", 14, 33),)
    assert (result.length, result.limit, result.unit) == (19, 300, "graphemes")


def test_decomposed_input_gives_the_same_check() -> None:
    text = "Έλα στο #σεμινάριο!"
    assert check_text("bluesky", unicodedata.normalize("NFD", text)) == check_text("bluesky", text)


def test_graphemes_count_emoji_sequences_once() -> None:
    assert check_text("bluesky", "👨‍👩‍👧‍👦🇬🇷👍🏽").length == 3


def test_polytonic_greek_counts_graphemes() -> None:
    assert check_text("bluesky", "Ἀθῆναι").length == 6
    assert check_text("bluesky", unicodedata.normalize("NFD", "Ἀθῆναι")).length == 6


def test_byte_limit_with_few_graphemes() -> None:
    result = check_text("bluesky", "👨‍👩‍👧‍👦" * 121)  # 121 graphemes, 25 bytes each
    assert result.length == 121
    assert [(p.code, p.params) for p in result.errors] == [
        (
            "text.too_many_bytes",
            {"network": "Bluesky", "bytes": 3025, "max_bytes": 3000, "excess": 25},
        )
    ]


def test_grapheme_limit() -> None:
    result = check_text("bluesky", "σ" * 301)
    assert [(p.code, p.params["excess"]) for p in result.errors] == [("text.too_long", 1)]


def test_bare_domain_link_strips_trailing_punctuation() -> None:
    # "Δείτε" 10 bytes + ":" + " " = 12; "keryx.gr/seminario" 18 bytes.
    facets = detect_facets("Δείτε: keryx.gr/seminario, τώρα!")
    assert facets == [Facet("link", "https://keryx.gr/seminario", 12, 30)]


def test_link_keeps_balanced_parenthesis_and_drops_closing_one() -> None:
    assert detect_facets("(https://foo.com/thing_(cool))") == [
        Facet("link", "https://foo.com/thing_(cool))", 1, 30)
    ]
    assert detect_facets("(https://foo.com)") == [Facet("link", "https://foo.com", 1, 16)]


def test_mentions_need_a_valid_handle() -> None:
    assert detect_facets("Με @maria.bsky.social και @maria") == [
        Facet("mention", "maria.bsky.social", 5, 23)
    ]


def test_tags_and_cashtags() -> None:
    assert detect_facets("#1 #1a ＃ταγ $meta #️⃣x") == [
        Facet("tag", "1a", 3, 6),
        Facet("tag", "ταγ", 7, 16),
        Facet("tag", "$META", 17, 22),
    ]


def test_tag_longer_than_64_graphemes_is_dropped() -> None:
    assert detect_facets("#" + "α" * 64) == [Facet("tag", "α" * 64, 0, 129)]
    assert detect_facets("#" + "α" * 65) == []


def test_media_four_images_of_one_megabyte() -> None:
    image = MediaInfo("image", "image/jpeg", 2000, 1500, 1_000_000, alt_text="Ομιλητές")
    assert check_media("bluesky", [image] * 4) == []
    too_big = MediaInfo("image", "image/jpeg", 2000, 1500, 1_000_001, alt_text="Ομιλητές")
    problem = check_media("bluesky", [too_big])[0]
    assert (problem.code, problem.params["max_bytes"], problem.params["max_size"]) == (
        "media.image_too_large",
        1_000_000,
        "1 MB",
    )
    assert [p.code for p in check_media("bluesky", [image] * 5)] == ["media.too_many"]


def test_gif_is_shown_still_and_video_is_alone() -> None:
    gif = MediaInfo("gif", "image/gif", 480, 480, 900_000, alt_text="GIF")
    assert [(p.code, p.severity) for p in check_media("bluesky", [gif])] == [
        ("media.gif_still", "warning")
    ]
    video = MediaInfo("video", "video/mp4", 1280, 720, 50_000_000, 200.0, alt_text="Βίντεο")
    problems = check_media("bluesky", [video])
    assert [(p.code, p.params["duration"]) for p in problems] == [("media.video_too_long", "3:20")]


POST = st.lists(
    st.sampled_from(
        [
            "σεμινάριο", " ", "\n", "#", "＃", "#Σεμινάριο2026", "@", "@keryx.bsky.social",
            "https://keryx.gr/α?b=1", "keryx.gr", "(", ")", ".", ",", "!", "😀", "👨‍👩‍👧‍👦",
            "ά", "α\u0301", "$AAPL", "_", "🇬🇷",
        ]
    ),
    max_size=25,
).map("".join)  # fmt: skip


@given(POST)
def test_facet_byte_ranges_decode_to_the_facet(text: str) -> None:
    text = unicodedata.normalize("NFC", text)
    for facet in check_text("bluesky", text).facets:
        written = utf8_slice(text, facet.byte_start, facet.byte_end)
        if facet.type == "tag" and written.startswith("$"):  # a cashtag, value upper-cased
            assert written.upper() == facet.value
        elif facet.type == "tag":
            assert written[0] in "#＃"
            assert written[1:] == facet.value
        elif facet.type == "mention":
            assert written == f"@{facet.value}"
        else:
            assert facet.value in (written, f"https://{written}")
