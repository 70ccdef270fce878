"""keryx.core.text: hashtags in any script, Greek matching keys, counting units."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from keryx.core.text import (
    HashtagSpan,
    OffsetMap,
    emoji_spans,
    extract_hashtags,
    grapheme_count,
    graphemes,
    hashtag_key,
    is_valid_hashtag,
    normalize_hashtag,
    normalize_post_text,
    text_key,
    utf8_length,
    utf8_offset,
    utf8_slice,
    utf16_length,
    utf16_offset,
)

NFD = "NFD"
GREEK_TEXT = st.lists(
    st.sampled_from(
        [
            *"αβγδεζηθικλμνξοπρσςτυφχψωΑΒΓΔΣΩάέήίόύώΐΰϊϋ ᾅᾳῶἀἐ#@!,.",
            *("\u0301", "\u0308", "😀", "👍🏽", "🇬🇷", "a", "Z", "1"),
        ]
    ),
    max_size=40,
).map("".join)


def test_is_valid_hashtag_greek_and_digits() -> None:
    assert is_valid_hashtag("#σεμινάριο")
    assert is_valid_hashtag("Σεμινάριο2026")
    assert is_valid_hashtag("＃ἀρχή")
    assert not is_valid_hashtag("#2026")
    assert not is_valid_hashtag("#a b")
    assert not is_valid_hashtag("#")


def test_hashtag_key_ignores_case_accents_and_final_sigma() -> None:
    assert hashtag_key("#Σεμινάριο") == "σεμιναριο"
    assert hashtag_key("#ΣΕΜΙΝΑΡΙΟ") == hashtag_key("σεμιναριο")
    assert hashtag_key("#Ιούνιος") == "ιουνιοσ"
    assert hashtag_key("#ΙΟΥΝΙΟΣ") == hashtag_key("#ιουνιος")


def test_hashtag_key_decomposed_accents_match_composed() -> None:
    composed = "#Σεμινάριο2026"
    assert hashtag_key(unicodedata.normalize(NFD, composed)) == hashtag_key(composed)


def test_text_key_polytonic_greek_drops_breathings_accents_and_iota_subscript() -> None:
    assert text_key("ᾠδή") == "ωδη"
    assert text_key("Ἀθῆναι") == "αθηναι"
    assert text_key("ᾼ") == "α"
    assert text_key("Ἑλλάς") == "ελλασ"


def test_text_key_dialytika_and_latin() -> None:
    assert text_key("Προϋπολογισμός") == "προυπολογισμοσ"
    assert text_key("Café İstanbul") == "cafe istanbul"


def test_normalize_hashtag_keeps_written_form() -> None:
    assert normalize_hashtag(" ##Σεμινάριο ") == "#Σεμινάριο"
    assert normalize_hashtag(unicodedata.normalize(NFD, "#ά")) == "#ά"


def test_normalize_post_text_composes_accents() -> None:
    assert normalize_post_text("α\u0301") == "ά"
    assert normalize_post_text("\u1f71") == "ά"  # GREEK SMALL LETTER ALPHA WITH OXIA → tonos


def test_grapheme_count_greek_nfd_and_emoji() -> None:
    assert grapheme_count("Καλημέρα") == 8
    assert grapheme_count(unicodedata.normalize(NFD, "Καλημέρα")) == 8
    assert grapheme_count("ᾅ") == 1
    assert grapheme_count(unicodedata.normalize(NFD, "ᾅ")) == 1
    assert grapheme_count("👨‍👩‍👧‍👦🇬🇷👍🏽") == 3
    assert graphemes("ά👍🏽") == ["ά", "👍🏽"]


def test_utf8_and_utf16_lengths() -> None:
    assert utf8_length("αβγ") == 6
    assert utf8_length("a😀") == 5
    assert utf16_length("a😀") == 3
    assert utf16_length("👨‍👩‍👧‍👦") == 11
    assert utf8_length("👨‍👩‍👧‍👦") == 25


def test_offsets_of_greek_and_emoji() -> None:
    text = "Γεια 😀 #σου"
    assert utf8_offset(text, 5) == 9
    assert utf16_offset(text, 7) == 8
    offsets = OffsetMap(text)
    assert offsets.utf8(7) == 14
    assert offsets.utf16(7) == 8
    assert offsets.from_utf16(8) == 7
    assert utf8_slice(text, 14, 21) == "#σου"


def test_extract_hashtags_positions_in_any_script() -> None:
    text = "Δείτε #σεμινάριο, #Σεμινάριο2026 και #中文! #2026 a#b &#39; x#y"
    assert extract_hashtags(text) == [
        HashtagSpan("σεμινάριο", 6, 16),
        HashtagSpan("Σεμινάριο2026", 18, 32),
        HashtagSpan("中文", 37, 40),
    ]
    assert [tag.key for tag in extract_hashtags(text)] == ["σεμιναριο", "σεμιναριο2026", "中文"]


def test_extract_hashtags_skips_urls_keycaps_and_doubles() -> None:
    assert extract_hashtags("#tag://x #️⃣ #a#b") == []
    assert extract_hashtags("##x") == [HashtagSpan("x", 1, 3)]


def test_emoji_spans_whole_sequences() -> None:
    text = "👨‍👩‍👧‍👦 🇬🇷 👍🏽 1️⃣ ©️ © ☺︎"
    assert emoji_spans(text) == [(0, 7), (8, 10), (11, 13), (14, 17), (18, 20)]


@given(GREEK_TEXT)
def test_offset_map_matches_encoding(text: str) -> None:
    offsets = OffsetMap(text)
    for index in range(len(text) + 1):
        assert offsets.utf8(index) == len(text[:index].encode("utf-8"))
        assert offsets.utf16(index) == len(text[:index].encode("utf-16-le")) // 2
        assert offsets.from_utf16(offsets.utf16(index)) == index


@given(GREEK_TEXT)
def test_text_key_same_for_nfc_and_nfd(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    nfd = unicodedata.normalize(NFD, text)
    assert text_key(nfc) == text_key(nfd)
    assert text_key(text_key(text)) == text_key(text)


@given(GREEK_TEXT)
def test_grapheme_count_same_for_nfc_and_nfd(text: str) -> None:
    assert grapheme_count(unicodedata.normalize("NFC", text)) == grapheme_count(
        unicodedata.normalize(NFD, text)
    )
