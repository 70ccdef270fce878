"""X: twitter-text v3 weighted length for Greek, emoji and links; facets; hashtag advice."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from keryx.networks.rules import CheckOptions, Facet, MediaInfo, check_media, check_text, get_rules
from keryx.networks.twitter_text import weighted_length


def test_greek_monotonic_counts_one_per_letter() -> None:
    assert check_text("x", "Καλημέρα σε όλους!").length == 18


def test_greek_polytonic_precomposed_counts_two() -> None:
    # Greek Extended (U+1F00–U+1FFF) is outside the 1-weight ranges of v3.
    assert check_text("x", "ᾅ").length == 2
    assert check_text("x", "Ἀθῆναι").length == 8


def test_decomposed_accents_count_as_composed() -> None:
    for text in ("Καλημέρα", "Ἀθῆναι", "ᾅ", "Προϋπολογισμός"):
        nfd = unicodedata.normalize("NFD", text)
        assert nfd != text
        assert check_text("x", nfd).length == check_text("x", text).length


def test_oxia_is_normalised_to_tonos() -> None:
    assert check_text("x", "\u1f71").length == 1


def test_emoji_sequences_count_two() -> None:
    assert weighted_length("👨‍👩‍👧‍👦") == 2  # family: 4 emoji and 3 ZWJ
    assert weighted_length("🇬🇷") == 2  # flag: two regional indicators
    assert weighted_length("👍🏽") == 2  # skin tone
    assert weighted_length("🧑‍🎄") == 2  # Unicode 13 ZWJ sequence
    assert weighted_length("🏴󠁧󠁢󠁳󠁣󠁴󠁿") == 2  # tag sequence
    assert weighted_length("☺") == 2
    assert weighted_length("©") == 1
    assert weighted_length("©️") == 2


def test_long_url_counts_23() -> None:
    text = "Δείτε https://www.example.gr/" + "a" * 200
    assert check_text("x", text).length == 6 + 23


def test_url_with_greek_path_stops_at_greek() -> None:
    # twitter-text's path characters are Latin and Cyrillic only: the Greek slug counts.
    assert check_text("x", "https://seminar.gr/σεμινάριο").length == 23 + 9


def test_too_long_error_and_premium_option() -> None:
    text = "α" * 281
    assert [p.code for p in check_text("x", text).errors] == ["text.too_long"]
    premium = check_text("x", text, options=CheckOptions(x_max_weighted_length=25_000))
    assert premium.valid
    assert premium.limit == 25_000


def test_entities_with_byte_offsets_but_no_facets_in_the_check() -> None:
    text = "Γεια #σεμινάριο @keryx https://keryx.gr"
    assert check_text("x", text).facets == ()  # X has entities, not facets
    result = get_rules("x").measure(text, CheckOptions())
    assert result.facets == (
        Facet("tag", "σεμινάριο", 9, 28),
        Facet("mention", "keryx", 29, 35),
        Facet("link", "https://keryx.gr", 36, 52),
    )


def test_more_than_two_hashtags_is_advice() -> None:
    result = check_text("x", "#ένα #δύο #τρία")
    assert result.valid
    assert [(p.code, p.params) for p in result.warnings] == [
        ("hashtags.hurt_reach", {"network": "X", "count": 3, "max": 2})
    ]
    assert result.warnings[0].message == (
        "X advises at most 2 hashtags per post; this post has 3. "
        "Keep the most relevant: more can reach fewer people."
    )


def test_repeated_hashtag_case_and_accent_insensitive() -> None:
    result = check_text("x", "#Σεμινάριο #σεμιναριο")
    assert [(p.code, p.params) for p in result.warnings] == [
        (
            "hashtags.repeated",
            {"tag": "Σεμινάριο", "count": 2, "forms": ["Σεμινάριο", "σεμιναριο"]},
        )
    ]


def test_media_four_images_or_one_video_or_one_gif() -> None:
    image = MediaInfo("image", "image/png", 1200, 675, 100_000, alt_text="Αφίσα")
    video = MediaInfo("video", "video/mp4", 1280, 720, 10_000_000, 30.0, alt_text="Τρέιλερ")
    gif = MediaInfo("gif", "image/gif", 480, 270, 2_000_000, alt_text="Χειροκρότημα")
    assert check_media("x", [image] * 4) == []
    assert [p.code for p in check_media("x", [image] * 5)] == ["media.too_many"]
    assert [p.code for p in check_media("x", [image, video])] == ["media.video_must_be_alone"]
    assert [p.code for p in check_media("x", [image, gif])] == ["media.gif_must_be_alone"]
    assert check_media("x", [gif]) == []


def test_media_sizes_and_video_shape() -> None:
    big_gif = MediaInfo("gif", "image/gif", 480, 270, 16 * 1024 * 1024, alt_text="GIF")
    problem = check_media("x", [big_gif])[0]
    assert (problem.code, problem.params["max_bytes"]) == ("media.gif_too_large", 15728640)
    tall = MediaInfo("video", "video/mp4", 400, 1300, 1_000_000, 10.0, alt_text="Βίντεο")
    problem = check_media("x", [tall])[0]
    assert problem.code == "media.video_too_tall"
    assert (problem.params["target_width"], problem.params["target_height"]) == (400, 1200)
    assert problem.params["nearest_ratio"] == "1:3"


GREEK_POST = st.lists(
    st.sampled_from(
        ["σεμινάριο", "Ἀθῆναι", "ᾅ", "ά", " ", "#", "@keryx", "https://keryx.gr/a", "😀", "👍🏽"]
    ),
    max_size=30,
).map("".join)


@given(GREEK_POST)
def test_x_length_of_nfd_equals_nfc(text: str) -> None:
    assert weighted_length(unicodedata.normalize("NFD", text)) == weighted_length(
        unicodedata.normalize("NFC", text)
    )
