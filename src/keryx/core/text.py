"""Text helpers shared by every app: hashtags in any script, matching keys, counting units.

A hashtag keeps the form its author wrote (``#Σεμινάριο2026``); matching uses a key that
ignores case and accents (``σεμιναριο2026``), so ``#Σεμινάριο`` and ``#σεμιναριο`` count
together in analytics.

The social networks count text in different units, and this module provides each of them for a
Python ``str`` (whose indices are Unicode code points):

* graphemes: user-perceived characters, Unicode extended grapheme clusters (``regex``'s ``\\X``);
  ``"ά"`` is one grapheme whether it is written precomposed (NFC) or decomposed (NFD);
* UTF-8 bytes: what Bluesky's facets and its 3,000-byte limit count;
* UTF-16 code units: what JavaScript's ``String.length`` and twitter-text's indices count.

Greek needs care: monotonic and polytonic accents exist precomposed and decomposed, and a
breathing or an iota subscript is a combining mark. :func:`normalize_post_text` gives the NFC
form every network check works on; :func:`text_key` gives the case- and accent-insensitive key
(final sigma folded to sigma, iota subscript dropped) used for matching.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import regex

# Letters, combining marks, decimal digits, underscore and the joiners twitter-text allows.
_TAG_CHAR = r"[\p{L}\p{M}\p{Nd}_\u200c\u200d]"
HASHTAG_BODY = regex.compile(rf"{_TAG_CHAR}*[\p{{L}}\p{{M}}]{_TAG_CHAR}*")

HASH_SIGNS = "#＃"

# A hashtag starts after the start of the text or a character that cannot be part of a tag
# (not a letter, mark, digit, underscore or ``&``, so ``&#39;`` and ``a#b`` are not tags), and is
# not a keycap emoji (``#️⃣``).
_HASHTAG = regex.compile(
    rf"(?:^|(?<=[^\p{{L}}\p{{M}}\p{{Nd}}_&\u200c\u200d]))[{HASH_SIGNS}](?![\ufe0f\u20e3])"
    rf"({_TAG_CHAR}+)"
)
_HASHTAG_INVALID_AFTER = regex.compile(rf"[{HASH_SIGNS}]|://")

# One emoji as a person sees it: a flag, a keycap, a tag sequence (🏴󠁧󠁢󠁳󠁣󠁴󠁿), a person with a skin
# tone, a symbol in emoji presentation (☺️), or such elements joined by ZWJ (👩‍💻, 👨‍👩‍👧‍👦). A
# symbol followed by the text presentation selector U+FE0E is not an emoji; ©, ® and the keycap
# bases #, * and 0-9 are emoji only in their emoji forms. U+FE0F belongs to the emoji before it
# only where Unicode defines an emoji presentation sequence (every text-default symbol, and the
# emoji-default ones listed in emoji-variation-sequences.txt); elsewhere it stands alone, as in
# twitter-text.
_EMOJI_DEFAULT_WITH_VARIATION = (
    r"\u231a\u231b\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd"
    r"\u26be\u26c4\u26c5\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2757\u2b1b\u2b1c\u2b50"
    r"\u2b55\U0001f004\U0001f21a\U0001f22f"
)
_FE0F_BASE = (
    rf"(?:(?![#*0-9])(?=\P{{Emoji_Presentation}})\p{{Emoji}}|[{_EMOJI_DEFAULT_WITH_VARIATION}])"
)
_EMOJI_ELEMENT = (
    r"(?:\p{Emoji_Modifier_Base}\p{Emoji_Modifier}"
    rf"|{_FE0F_BASE}\ufe0f"
    r"|(?![#*0-9\u00a9\u00ae])\p{Emoji}(?!\ufe0e))"
)
EMOJI_SEQUENCE = regex.compile(
    r"\p{Regional_Indicator}{2}"
    r"|[#*0-9]\ufe0f?\u20e3"
    r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    rf"|{_EMOJI_ELEMENT}(?:\u200d{_EMOJI_ELEMENT})*"
)

_GRAPHEME = regex.compile(r"\X")


def is_valid_hashtag(value: str) -> bool:
    """``#σεμινάριο`` and ``Σεμινάριο2026`` are valid; ``#2026``, ``#a b`` and ``#`` are not."""
    body = value[1:] if value[:1] in {"#", "＃"} else value
    body = unicodedata.normalize("NFC", body)
    return bool(body) and HASHTAG_BODY.fullmatch(body) is not None


def hashtag_key(value: str) -> str:
    """The case- and accent-insensitive key of a hashtag, without its ``#``."""
    body = value[1:] if value[:1] in {"#", "＃"} else value
    return text_key(body)


def normalize_hashtag(value: str) -> str:
    """The written form with exactly one leading ``#`` and NFC normalisation."""
    body = value.strip().lstrip("#＃")
    return "#" + unicodedata.normalize("NFC", body)


def normalize_post_text(text: str) -> str:
    """The form Keryx counts and publishes: NFC, so decomposed accents count as one character."""
    return unicodedata.normalize("NFC", text)


def _without_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def text_key(text: str) -> str:
    """A matching key that ignores case and accents, for Greek (monotonic and polytonic) and Latin.

    ``Σεμινάριο``, ``ΣΕΜΙΝΑΡΙΟ`` and ``σεμιναριο`` share the key ``σεμιναριο``; a final sigma
    folds to sigma (``Ιούνιος`` → ``ιουνιοσ``); breathings, accents and the iota subscript of
    polytonic Greek are dropped (``ᾠδή`` → ``ωδη``).
    """
    folded = _without_marks(text).casefold()
    # Case folding can itself produce combining marks (``İ`` → ``i̇``); drop those too.
    return unicodedata.normalize("NFC", _without_marks(folded))


def graphemes(text: str) -> list[str]:
    """The user-perceived characters of ``text`` (Unicode extended grapheme clusters)."""
    return _GRAPHEME.findall(text)


def grapheme_count(text: str) -> int:
    """How many user-perceived characters ``text`` has: ``"👩‍👩‍👧"`` is 1, ``"ά"`` (NFD) is 1."""
    return len(_GRAPHEME.findall(text))


def utf8_length(text: str) -> int:
    """Length in UTF-8 bytes: ``"α"`` is 2, ``"😀"`` is 4."""
    return len(text.encode("utf-8", "surrogatepass"))


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units (JavaScript's ``String.length``): ``"😀"`` is 2."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def utf8_width(ch: str) -> int:
    """UTF-8 bytes of one code point."""
    cp = ord(ch)
    return 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4


def utf8_offset(text: str, index: int) -> int:
    """The UTF-8 byte offset of code-point ``index`` in ``text``."""
    return utf8_length(text[:index])


def utf16_offset(text: str, index: int) -> int:
    """The UTF-16 code-unit offset of code-point ``index`` in ``text``."""
    return utf16_length(text[:index])


def utf8_slice(text: str, byte_start: int, byte_end: int) -> str:
    """The text between two UTF-8 byte offsets (how a Bluesky facet is read back)."""
    return text.encode("utf-8", "surrogatepass")[byte_start:byte_end].decode("utf-8", "replace")


class OffsetMap:
    """Converts many code-point indices of one text to UTF-8 or UTF-16 offsets in O(1) each.

    Build it with :func:`offset_map`, which reuses the map of a text seen a moment ago.
    """

    __slots__ = ("_utf8", "_utf16")

    def __init__(self, text: str) -> None:
        self._utf8: list[int] | None = None
        self._utf16: list[int] | None = None
        if not text.isascii():
            self._utf8 = list(
                accumulate(
                    (
                        1 if ch < "\x80" else 2 if ch < "\u0800" else 3 if ch < "\U00010000" else 4
                        for ch in text
                    ),
                    initial=0,
                )
            )
            if max(text) > "\uffff":
                self._utf16 = list(
                    accumulate((2 if ch > "\uffff" else 1 for ch in text), initial=0)
                )

    def utf8(self, index: int) -> int:
        """UTF-8 byte offset of code-point ``index``."""
        return index if self._utf8 is None else self._utf8[index]

    def utf16(self, index: int) -> int:
        """UTF-16 code-unit offset of code-point ``index``."""
        return index if self._utf16 is None else self._utf16[index]

    def from_utf16(self, offset: int) -> int:
        """The code-point index at UTF-16 ``offset`` (the next one if it splits a pair)."""
        return offset if self._utf16 is None else bisect_left(self._utf16, offset)


@lru_cache(maxsize=16)
def offset_map(text: str) -> OffsetMap:
    """The :class:`OffsetMap` of ``text``, shared by the checks that run on one text."""
    return OffsetMap(text)


@dataclass(frozen=True, slots=True)
class HashtagSpan:
    """A hashtag found in a text: its written tag (without ``#``) and its code-point span.

    ``start`` is the index of the ``#``; ``end`` is one past the tag's last character.
    """

    tag: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """The matching key (``#Σεμινάριο`` and ``#σεμιναριο`` share one)."""
        return text_key(self.tag)


def extract_hashtags(text: str) -> list[HashtagSpan]:
    """Hashtags in any script, with their positions: ``#σεμινάριο``, ``#Σεμινάριο2026``, ``#AI``.

    A tag is a run of letters, marks, digits, ``_`` or joiners containing at least one letter or
    mark (``#2026`` is not a tag), after the start of the text or a non-word character, and not
    followed by another ``#`` or by ``://``.
    """
    found: list[HashtagSpan] = []
    for match in _HASHTAG.finditer(text):
        body = match.group(1)
        if HASHTAG_BODY.fullmatch(body) is None:
            continue
        if _HASHTAG_INVALID_AFTER.match(text, match.end()):
            continue
        found.append(HashtagSpan(tag=body, start=match.start(), end=match.end()))
    return found


def emoji_spans(text: str) -> list[tuple[int, int]]:
    """Code-point spans of the emoji in ``text``, each a whole sequence (👨‍👩‍👧‍👦 is one)."""
    return [match.span() for match in EMOJI_SEQUENCE.finditer(text)]
