"""A Python port of twitter-text 3.1.0: weighted length, and hashtag, mention, URL and cashtag
extraction, exactly as X counts a post.

Ported from twitter-text (https://github.com/twitter/twitter-text), Copyright 2018 Twitter, Inc.,
licensed under the Apache License, Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0); the
conformance suite it must pass is vendored in ``tests/conformance/twitter-text/`` with its
LICENSE. This port follows the JavaScript implementation of the 3.1.0 release (the regular
expressions of ``js/src/regexp/``, ``extractUrlsWithIndices``, ``parseTweet``), including its
top-level-domain lists, and passes every case of the suite's ``validate.yml`` weighted-length
tests and of ``extract.yml``. Changes from the original:

* emoji: twitter-text 3.1.0 recognises the emoji of Unicode 12 (through twemoji-parser 11);
  this port recognises every emoji sequence of the Unicode version the ``regex`` module ships
  (flags, keycaps, tag sequences, skin tones, ZWJ sequences such as 🧑‍🎄 or ❤️‍🔥), each counting
  as one emoji (weight 200) as the v3 rules intend;
* hashtag letters are Unicode letters and marks of that same version (twitter-text's tables end
  at Unicode 9), plus twitter-text's extra private-use characters.

Indices: ``indices`` (and every ``*Range*`` of :class:`ParseResults`) are in UTF-16 code units,
as twitter-text defines them for JavaScript and Java, so ``"😷 #tag"`` has the hashtag at
``(3, 7)``. ``span`` gives the same entity in Python string (code point) indices, so
``text[slice(*entity.span)]`` is the entity's text.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import regex

from keryx.core.text import EMOJI_SEQUENCE, offset_map, utf16_length

MAX_URL_LENGTH = 4096
MAX_TCO_SLUG_LENGTH = 40
MAX_DOMAIN_LABEL_LENGTH = 63
DEFAULT_PROTOCOL = "https://"


@dataclass(frozen=True, slots=True)
class WeightedRange:
    """Code points ``start``..``end`` (inclusive) weigh ``weight``."""

    start: int
    end: int
    weight: int


@dataclass(frozen=True, slots=True)
class TwitterTextConfig:
    """A counting configuration (the ``v2.json``/``v3.json`` of twitter-text)."""

    version: int
    max_weighted_tweet_length: int
    scale: int
    default_weight: int
    emoji_parsing_enabled: bool
    transformed_url_length: int
    ranges: tuple[WeightedRange, ...]

    def weight(self, code_point: int) -> int:
        for weighted in self.ranges:
            if weighted.start <= code_point <= weighted.end:
                return weighted.weight
        return self.default_weight


_V2_RANGES = (
    WeightedRange(0, 4351, 100),  # Basic Latin to Georgian (Greek included)
    WeightedRange(8192, 8205, 100),  # spaces in General Punctuation
    WeightedRange(8208, 8223, 100),  # hyphens and quotes in General Punctuation
    WeightedRange(8242, 8247, 100),  # primes in General Punctuation
)
CONFIG_V2 = TwitterTextConfig(2, 280, 100, 200, False, 23, _V2_RANGES)
CONFIG_V3 = TwitterTextConfig(3, 280, 100, 200, True, 23, _V2_RANGES)
"""v3: like v2, and every emoji sequence weighs ``default_weight`` (counts as 2)."""


@dataclass(frozen=True, slots=True)
class ParseResults:
    """What X says about a post: its weighted length and the part of it that fits.

    The ranges are inclusive indices in UTF-16 code units of the text as given.
    """

    weighted_length: int
    valid: bool
    permillage: int
    display_range_start: int
    display_range_end: int
    valid_range_start: int
    valid_range_end: int


EntityKind = Literal["url", "hashtag", "mention", "cashtag"]


@dataclass(frozen=True, slots=True)
class Entity:
    """A URL, hashtag, mention or cashtag: ``value`` without its ``#``/``@``/``$``.

    ``indices`` are UTF-16 code units (twitter-text's indices); ``span`` is the same range in
    code points (Python string indices). The range includes the ``#``/``@``/``$``.
    """

    kind: EntityKind
    value: str
    indices: tuple[int, int]
    span: tuple[int, int]
    list_slug: str = ""


def parse_tweet(text: str, config: TwitterTextConfig = CONFIG_V3) -> ParseResults:
    """Weighted length of ``text`` as X counts it (twitter-text ``parseTweet``).

    The text is NFC-normalised first (so decomposed accents count once), every URL counts
    ``transformed_url_length``, every emoji sequence ``default_weight`` (v3), and every other
    code point its range weight; lengths are divided by ``scale``.
    """
    normalized = unicodedata.normalize("NFC", text)
    offsets = offset_map(normalized)
    # As twitter-text, a URL skips as many code units as its extracted value has (which can be
    # fewer than its indices cover, when a bare IDN domain was cut to its ASCII part).
    url_ends = {
        entity.span[0]: offsets.from_utf16(entity.indices[0] + utf16_length(entity.value))
        for entity in extract_urls_with_indices(normalized)
    }
    emoji_ends: dict[int, int] = {}
    if config.emoji_parsing_enabled:
        emoji_ends = {m.start(): m.end() for m in EMOJI_SEQUENCE.finditer(normalized)}
    scaled_max = config.max_weighted_tweet_length * config.scale
    weighted = 0
    valid = True
    valid_display_index = 0
    index = 0
    length = len(normalized)
    while index < length:
        if index in url_ends:
            weighted += config.transformed_url_length * config.scale
            index = url_ends[index]
        elif index in emoji_ends:
            weighted += config.default_weight
            index = emoji_ends[index]
        else:
            weighted += config.weight(ord(normalized[index]))
            index += 1
        # twitter-text tests (and records) the last UTF-16 unit of each counted token.
        last_unit = offsets.utf16(index) - 1
        if valid:
            valid = normalized[index - 1] not in _INVALID_CHARACTERS
        if valid and weighted <= scaled_max:
            valid_display_index = last_unit
    weighted_length = weighted // config.scale
    max_length = config.max_weighted_tweet_length
    normalization_offset = utf16_length(text) - utf16_length(normalized)
    return ParseResults(
        weighted_length=weighted_length,
        valid=valid and 0 < weighted_length <= max_length,
        # JavaScript's Math.floor of a float division, reproduced exactly.
        permillage=math.floor(weighted_length / max_length * 1000),
        display_range_start=0,
        display_range_end=utf16_length(text) - 1 if text else 0,
        valid_range_start=0,
        valid_range_end=valid_display_index + normalization_offset,
    )


def weighted_length(text: str, config: TwitterTextConfig = CONFIG_V3) -> int:
    """X's weighted length of ``text`` (280 is the limit for most accounts)."""
    return parse_tweet(text, config).weighted_length


def _guard_case(text: str) -> str:
    """``text`` with the four characters that Python, unlike JavaScript, folds to ASCII letters
    (``İ ı ſ K``) replaced by inert characters of the same classes, so case-insensitive patterns
    match as in twitter-text. The replacement keeps every index."""
    return text.translate(_CASE_GUARD)


def punycode_label(label: str) -> str:
    """punycode.js ``toASCII`` of one label: ``xn--`` + RFC 3492 if it has non-ASCII."""
    parts = regex.split(r"[\u3002\uff0e\uff61]", _Utf16Text.join(label))
    encoded = [
        "xn--" + part.encode("punycode").decode("ascii") if _NON_ASCII.search(part) else part
        for part in parts
    ]
    return ".".join(encoded)


def is_valid_domain(domain: str) -> bool:
    """twitter-text's IDNA check: every label, punycode-encoded, has 1 to 63 characters."""
    if domain.startswith("xn--") and not _valid_ascii_domain().search(_guard_case(domain)):
        return False
    for label in domain.split("."):
        if not 1 <= len(punycode_label(label)) <= MAX_DOMAIN_LABEL_LENGTH:
            return False
    return True


def url_fits(url: str, protocol: str, domain: str) -> bool:
    """A URL is extracted only if its domain is valid and protocol + URL fit 4,096 characters
    (``url`` and ``domain`` as UTF-16 code units, see :class:`_Utf16Text`)."""
    return is_valid_domain(domain) and len(protocol) + len(url) <= MAX_URL_LENGTH


class _Utf16Text:
    """``text`` as a string of UTF-16 code units (astral characters as surrogate pairs).

    twitter-text's URL pattern is a JavaScript pattern without the ``u`` flag: it sees code units,
    so an emoji's low surrogate can precede a bare domain or start one. Matching the same
    pattern on the same units reproduces that exactly.
    """

    __slots__ = ("to_code_point", "units")

    def __init__(self, text: str) -> None:
        units: list[str] = []
        to_code_point: list[int] = []
        for index, ch in enumerate(text):
            cp = ord(ch)
            if cp > 0xFFFF:
                cp -= 0x10000
                units += [chr(0xD800 + (cp >> 10)), chr(0xDC00 + (cp & 0x3FF))]
                to_code_point += [index, index]
            else:
                units.append(ch)
                to_code_point.append(index)
        to_code_point.append(len(text))
        self.units = "".join(units)
        self.to_code_point = to_code_point

    @staticmethod
    def join(units: str) -> str:
        """Code units back to a string (surrogate pairs merged, lone surrogates kept)."""
        return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def extract_urls_with_indices(text: str, *, without_protocol: bool = True) -> list[Entity]:
    """URLs in ``text`` (``https://seminar.gr/…``, and ``seminar.gr`` unless ``without_protocol``
    is false), as twitter-text's ``extractUrlsWithIndices``."""
    if not text or ("." not in text if without_protocol else ":" not in text):
        return []
    return list(_url_entities(text, without_protocol))


@lru_cache(maxsize=16)
def _url_entities(text: str, without_protocol: bool) -> tuple[Entity, ...]:
    """The URL pattern is the costly part of a check: the checks of one text share its result."""
    utf16 = _Utf16Text(text)
    units = utf16.units
    guarded = _guard_case(units)
    found_urls: list[tuple[int, int, str]] = []  # start, end (code units), URL as extracted
    for match in _extract_url().finditer(guarded):
        before = match.group(2)
        url_start, url_end = match.span(3)
        protocol = match.group(4) or ""
        domain_start, domain_end = match.span(5)
        domain = units[domain_start:domain_end]
        url = units[url_start:url_end]
        if not url_fits(url, protocol or DEFAULT_PROTOCOL, domain):
            continue
        if not protocol:
            if not without_protocol or _INVALID_BEFORE_BARE_DOMAIN.search(before):
                continue
            # As twitter-text: each ASCII domain is located with indexOf from the end of the
            # previous one, which finds its first occurrence there.
            ascii_urls: list[tuple[int, int, str]] = []
            ascii_end = 0
            for found in _valid_ascii_domain().finditer(guarded, domain_start, domain_end):
                start = guarded.find(found.group(), domain_start + ascii_end, domain_end)
                ascii_end = start + len(found.group()) - domain_start
                end = domain_start + ascii_end
                ascii_urls.append((start, end, units[start:end]))
            if not ascii_urls:
                continue
            if match.group(7):  # the last ASCII domain carries the path and query
                start, _, last_domain = ascii_urls[-1]
                ascii_urls[-1] = (start, url_end, url.replace(domain, last_domain, 1))
            found_urls.extend(ascii_urls)
        else:
            tco = VALID_TCO_URL.match(guarded, url_start, url_end)
            if tco:
                if len(tco.group(1)) > MAX_TCO_SLUG_LENGTH:
                    continue
                url_end = tco.end()
            found_urls.append((url_start, url_end, units[url_start:url_end]))
    return tuple(
        Entity(
            "url",
            _Utf16Text.join(value),
            (start, end),
            (utf16.to_code_point[start], utf16.to_code_point[end]),
        )
        for start, end, value in found_urls
    )


def extract_urls(text: str) -> list[str]:
    """The URLs of ``text``, as written."""
    return [entity.value for entity in extract_urls_with_indices(text)]


def _without_overlaps(entities: list[Entity]) -> list[Entity]:
    """twitter-text's ``removeOverlappingEntities``: by start, drop any that overlaps the one
    kept before it (so a URL wins over a hashtag inside it)."""
    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda e: e.span[0]):
        if kept and kept[-1].span[1] > entity.span[0]:
            continue
        kept.append(entity)
    return kept


def extract_hashtags_with_indices(text: str, *, check_url_overlap: bool = True) -> list[Entity]:
    """Hashtags in ``text`` (``#σεμινάριο``, ``#中文``), as twitter-text's
    ``extractHashtagsWithIndices``; a hashtag inside a URL is not one."""
    if not text or not _HASH_SIGN.search(text):
        return []
    offsets = offset_map(text)
    tags: list[Entity] = []
    for match in _VALID_HASHTAG.finditer(text):
        if _END_HASHTAG_MATCH.match(text, match.end()):
            continue
        start, end = match.start(2), match.end(3)
        tags.append(
            Entity(
                "hashtag", match.group(3), (offsets.utf16(start), offsets.utf16(end)), (start, end)
            )
        )
    if check_url_overlap:
        urls = extract_urls_with_indices(text)
        if urls:
            tags = [e for e in _without_overlaps(tags + urls) if e.kind == "hashtag"]
    return tags


def extract_hashtags(text: str) -> list[str]:
    """The hashtags of ``text``, without ``#``."""
    return [entity.value for entity in extract_hashtags_with_indices(text)]


def extract_mentions_or_lists_with_indices(text: str) -> list[Entity]:
    """``@username`` mentions and ``@username/list`` references (``list_slug`` keeps its ``/``)."""
    if not text or not _AT_SIGN.search(text):
        return []
    offsets = offset_map(text)
    found: list[Entity] = []
    for match in _VALID_MENTION_OR_LIST.finditer(text):
        if _END_MENTION_MATCH.match(text, match.end()):
            continue
        start = match.start(2)
        end = match.end(4) if match.group(4) else match.end(3)
        found.append(
            Entity(
                "mention",
                match.group(3),
                (offsets.utf16(start), offsets.utf16(end)),
                (start, end),
                list_slug=match.group(4) or "",
            )
        )
    return found


def extract_mentions_with_indices(text: str) -> list[Entity]:
    """``@username`` mentions only (no lists)."""
    return [e for e in extract_mentions_or_lists_with_indices(text) if not e.list_slug]


def extract_mentions(text: str) -> list[str]:
    """The usernames mentioned in ``text``, without ``@``."""
    return [entity.value for entity in extract_mentions_with_indices(text)]


def extract_reply_screen_name(text: str) -> str | None:
    """The username a post replies to (``@user`` at its start), or ``None``."""
    match = _VALID_REPLY.match(text) if text else None
    if match is None or _END_MENTION_MATCH.match(text, match.end()):
        return None
    return match.group(1)


def extract_cashtags_with_indices(text: str) -> list[Entity]:
    """``$TICKER`` cashtags."""
    if not text or "$" not in text:
        return []
    offsets = offset_map(text)
    found: list[Entity] = []
    for match in _VALID_CASHTAG.finditer(_guard_case(text)):
        start, end = match.start(2), match.end(3)
        found.append(
            Entity(
                "cashtag",
                text[match.start(3) : end],
                (offsets.utf16(start), offsets.utf16(end)),
                (start, end),
            )
        )
    return found


def extract_cashtags(text: str) -> list[str]:
    """The cashtags of ``text``, without ``$``."""
    return [entity.value for entity in extract_cashtags_with_indices(text)]


def extract_entities_with_indices(text: str) -> list[Entity]:
    """URLs, hashtags, mentions and cashtags, without overlaps, in text order."""
    return _without_overlaps(
        extract_urls_with_indices(text)
        + extract_hashtags_with_indices(text, check_url_overlap=False)
        + extract_mentions_or_lists_with_indices(text)
        + extract_cashtags_with_indices(text)
    )


# --- regular expressions (twitter-text js/src/regexp) -------------------------------------------

_CASE_GUARD = str.maketrans(
    {"\u0130": "\u0138", "\u0131": "\u0138", "\u017f": "\u0138", "\u212a": "\u2129"}
)
_NON_ASCII = regex.compile(r"[^\x20-\x7e]")
_INVALID_CHARACTERS = frozenset("\ufffe\ufeff\uffff")

LATIN_ACCENT_CHARS = (
    r"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b"
    r"\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
CYRILLIC_CHARS = r"\u0400-\u04ff"
SPACE_CHARS = r"\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
INVALID_CHARS = r"\ufffe\ufeff\uffff"
DIRECTIONAL_CHARS = r"\u202a-\u202e\u061c\u200e\u200f\u2066\u2067\u2068\u2069"
PUNCTUATION_CHARS = r"!'#%&'()*+,\\\-./:;<=>?@\[\]\^_{|}~$"
AT_SIGNS = "@＠"

URL_PRECEDING_CHARS = rf"(?:[^A-Za-z0-9@＠$#＃{INVALID_CHARS}]|[{DIRECTIONAL_CHARS}]|^)"
_DOMAIN_CHAR = rf"[^/{PUNCTUATION_CHARS}{SPACE_CHARS}{INVALID_CHARS}{DIRECTIONAL_CHARS}]"
_SUBDOMAIN = rf"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
_DOMAIN_NAME = rf"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
_PUNYCODE = r"(?:xn--[\-0-9a-z]+)"
VALID_PORT_NUMBER = r"[0-9]+"
_GENERAL_PATH_CHAR = rf"[a-z{CYRILLIC_CHARS}0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&{LATIN_ACCENT_CHARS}]"
BALANCED_PARENS = (
    rf"\((?:{_GENERAL_PATH_CHAR}+"
    rf"|(?:{_GENERAL_PATH_CHAR}*\({_GENERAL_PATH_CHAR}+\){_GENERAL_PATH_CHAR}*))\)"
)
_PATH_ENDING_CHAR = rf"[+\-a-z{CYRILLIC_CHARS}0-9=_#/{LATIN_ACCENT_CHARS}]|(?:{BALANCED_PARENS})"
_URL_PATH = (
    rf"(?:(?:{_GENERAL_PATH_CHAR}*(?:{BALANCED_PARENS}{_GENERAL_PATH_CHAR}*)*"
    rf"{_PATH_ENDING_CHAR})|(?:@{_GENERAL_PATH_CHAR}+/))"
)
VALID_URL_QUERY_CHARS = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
VALID_URL_QUERY_ENDING_CHARS = r"[a-z0-9\-_&=#/]"

_HASHTAG_LETTERS = r"\p{L}\p{M}\uf870-\uf87f\uf882\uf884-\uf89f\uf8b8\uf8c1-\uf8d6"
_HASHTAG_SPECIAL = (
    r"_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b"
    r"\u0f0c\u00b7"
)
_HASHTAG_ALNUM = rf"[{_HASHTAG_LETTERS}\p{{Nd}}{_HASHTAG_SPECIAL}]"
_HASHTAG_BOUNDARY = rf"(?:^|\ufe0e|\ufe0f|(?!{_HASHTAG_ALNUM}|&).)"
_JS_WHITESPACE = r"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def _tld_alternation(tlds: list[str]) -> str:
    return "(?:(?:" + "|".join(regex.escape(tld) for tld in tlds) + r")(?=[^0-9a-zA-Z@+-]|\Z))"


@functools.cache
def valid_domain() -> str:
    """The domain pattern with the TLD lists below (built on first use: ~9 MB of compiled
    patterns that a process which never counts a URL does not hold)."""
    gtld, cctld = _tld_alternation(_GTLDS), _tld_alternation(_CCTLDS)
    return rf"(?:{_SUBDOMAIN}*{_DOMAIN_NAME}(?:{gtld}|{cctld}|{_PUNYCODE}))"


@functools.cache
def _extract_url() -> regex.Pattern[str]:
    return regex.compile(
        rf"(({URL_PRECEDING_CHARS})((https?://)?({valid_domain()})(?::({VALID_PORT_NUMBER}))?"
        rf"(/{_URL_PATH}*)?(\?{VALID_URL_QUERY_CHARS}*{VALID_URL_QUERY_ENDING_CHARS})?))",
        regex.IGNORECASE,
    )


@functools.cache
def _valid_ascii_domain() -> regex.Pattern[str]:
    gtld, cctld = _tld_alternation(_GTLDS), _tld_alternation(_CCTLDS)
    return regex.compile(
        rf"(?:(?:[\-a-z0-9{LATIN_ACCENT_CHARS}]+)\.)+(?:{gtld}|{cctld}|{_PUNYCODE})",
        regex.IGNORECASE,
    )


VALID_TCO_URL = regex.compile(
    rf"https?://t\.co/([a-z0-9]+)(?:\?{VALID_URL_QUERY_CHARS}*{VALID_URL_QUERY_ENDING_CHARS})?",
    regex.IGNORECASE,
)
_INVALID_BEFORE_BARE_DOMAIN = regex.compile(r"[-_./]\Z")
_HASH_SIGN = regex.compile("[#＃]")
_VALID_HASHTAG = regex.compile(
    rf"({_HASHTAG_BOUNDARY})([#＃])(?!\ufe0f|\u20e3)"
    rf"({_HASHTAG_ALNUM}*[{_HASHTAG_LETTERS}]{_HASHTAG_ALNUM}*)",
    regex.IGNORECASE | regex.DOTALL,
)
_END_HASHTAG_MATCH = regex.compile(r"[#＃]|://")
_AT_SIGN = regex.compile(f"[{AT_SIGNS}]")
_VALID_MENTION_OR_LIST = regex.compile(
    rf"((?:^|[^a-zA-Z0-9_!#$%&*{AT_SIGNS}]|(?:^|[^a-zA-Z0-9_+~.-])(?:rt|RT|rT|Rt):?))"
    rf"([{AT_SIGNS}])([a-zA-Z0-9_]{{1,20}})(/[a-zA-Z][a-zA-Z0-9_-]{{0,24}})?"
)
_END_MENTION_MATCH = regex.compile(rf"[{AT_SIGNS}]|[{LATIN_ACCENT_CHARS}]|://")
_VALID_REPLY = regex.compile(rf"(?:[{SPACE_CHARS}])*[{AT_SIGNS}]([a-zA-Z0-9_]{{1,20}})")
_VALID_CASHTAG = regex.compile(
    rf"(^|[{SPACE_CHARS}])(\$)([a-z]{{1,6}}(?:[._][a-z]{{1,2}})?)"
    rf"(?=\Z|[{_JS_WHITESPACE}]|[{PUNCTUATION_CHARS}])",
    regex.IGNORECASE,
)


def _words(packed: str) -> list[str]:
    return packed.split()


# --- top-level domains of twitter-text 3.1.0 (validGTLD.js, validCCTLD.js), in its order -------
_GTLDS = _words("""
삼성 닷컴 닷넷 香格里拉 餐厅 食品 飞利浦 電訊盈科 集团 通販 购物 谷歌 诺基亚 联通 网络
网站 网店 网址 组织机构 移动 珠宝 点看 游戏 淡马锡 机构 書籍 时尚 新闻 政府 政务 招聘
手表 手机 我爱你 慈善 微博 广东 工行 家電 娱乐 天主教 大拿 大众汽车 在线 嘉里大酒店 嘉里
商标 商店 商城 公益 公司 八卦 健康 信息 佛山 企业 中文网 中信 世界 ポイント ファッション
セール ストア コム グーグル クラウド みんな คอม संगठन नेट कॉम همراه موقع موبايلي كوم
كاثوليك عرب شبكة بيتك بازار العليان ارامكو اتصالات ابوظبي קום сайт рус орг онлайн москва
ком католик дети zuerich zone zippo zip zero zara zappos yun youtube you yokohama yoga
yodobashi yandex yamaxun yahoo yachts xyz xxx xperia xin xihuan xfinity xerox xbox wtf
wtc wow world works work woodside wolterskluwer wme winners wine windows win williamhill
wiki wien whoswho weir weibo wedding wed website weber webcam weatherchannel weather
watches watch warman wanggou wang walter walmart wales vuelos voyage voto voting vote
volvo volkswagen vodka vlaanderen vivo viva vistaprint vista vision visa virgin vip vin
villas viking vig video viajes vet versicherung vermögensberatung vermögensberater
verisign ventures vegas vanguard vana vacations ups uol uno university unicom uconnect
ubs ubank tvs tushu tunes tui tube trv trust travelersinsurance travelers travelchannel
travel training trading trade toys toyota town tours total toshiba toray top tools tokyo
today tmall tkmaxx tjx tjmaxx tirol tires tips tiffany tienda tickets tiaa theatre
theater thd teva tennis temasek telefonica telecity tel technology tech team tdk tci
taxi tax tattoo tatar tatamotors target taobao talk taipei tab systems symantec sydney
swiss swiftcover swatch suzuki surgery surf support supply supplies sucks style study
studio stream store storage stockholm stcgroup stc statoil statefarm statebank starhub
star staples stada srt srl spreadbetting spot sport spiegel space soy sony song
solutions solar sohu software softbank social soccer sncf smile smart sling skype sky
skin ski site singles sina silk shriram showtime show shouji shopping shop shoes shiksha
shia shell shaw sharp shangrila sfr sexy sex sew seven ses services sener select seek
security secure seat search scot scor scjohnson science schwarz schule school
scholarships schmidt schaeffler scb sca sbs sbi saxo save sas sarl sapo sap sanofi
sandvikcoromant sandvik samsung samsclub salon sale sakura safety safe saarland ryukyu
rwe run ruhr rugby rsvp room rogers rodeo rocks rocher rmit rip rio ril rightathome
ricoh richardli rich rexroth reviews review restaurant rest republican report repair
rentals rent ren reliance reit reisen reise rehab redumbrella redstone red recipes
realty realtor realestate read raid radio racing qvc quest quebec qpon pwc pub
prudential pru protection property properties promo progressive prof productions prod
pro prime press praxi pramerica post porn politie poker pohl pnc plus plumbing
playstation play place pizza pioneer pink ping pin pid pictures pictet pics piaget
physio photos photography photo phone philips phd pharmacy pfizer pet pccw pay passagens
party parts partners pars paris panerai panasonic pamperedchef page ovh ott otsuka osaka
origins orientexpress organic org orange oracle open ooo onyourside online onl ong one
omega ollo oldnavy olayangroup olayan okinawa office off observer obi nyc ntt nrw nra
nowtv nowruz now norton northwesternmutual nokia nissay nissan ninja nikon nike nico nhk
ngo nfl nexus nextdirect next news newholland new neustar network netflix netbank net
nec nba navy natura nationwide name nagoya nadex nab mutuelle mutual museum mtr mtpc mtn
msd movistar movie mov motorcycles moto moscow mortgage mormon mopar montblanc monster
money monash mom moi moe moda mobily mobile mobi mma mls mlb mitsubishi mit mint mini
mil microsoft miami metlife merckmsd meo menu men memorial meme melbourne meet media med
mckinsey mcdonalds mcd mba mattel maserati marshalls marriott markets marketing market
map mango management man makeup maison maif madrid macys luxury luxe lupin lundbeck ltda
ltd lplfinancial lpl love lotto lotte london lol loft locus locker loans loan llp llc
lixil living live lipsy link linde lincoln limo limited lilly like lighting lifestyle
lifeinsurance life lidl liaison lgbt lexus lego legal lefrak leclerc lease lds lawyer
law latrobe latino lat lasalle lanxess landrover land lancome lancia lancaster lamer
lamborghini ladbrokes lacaixa kyoto kuokgroup kred krd kpn kpmg kosher komatsu koeln
kiwi kitchen kindle kinder kim kia kfh kerryproperties kerrylogistics kerryhotels kddi
kaufen juniper juegos jprs jpmorgan joy jot joburg jobs jnj jmp jll jlc jio jewelry
jetzt jeep jcp jcb java jaguar iwc iveco itv itau istanbul ist ismaili iselect irish
ipiranga investments intuit international intel int insure insurance institute ink ing
info infiniti industries inc immobilien immo imdb imamat ikano iinet ifm ieee icu ice
icbc ibm hyundai hyatt hughes htc hsbc how house hotmail hotels hoteles hot hosting host
hospital horse honeywell honda homesense homes homegoods homedepot holiday holdings
hockey hkt hiv hitachi hisamitsu hiphop hgtv hermes here helsinki help healthcare health
hdfcbank hdfc hbo haus hangout hamburg hair guru guitars guide guge gucci guardian group
grocery gripe green gratis graphics grainger gov got gop google goog goodyear goodhands
goo golf goldpoint gold godaddy gmx gmo gmbh gmail globo global gle glass glade giving
gives gifts gift ggee george genting gent gea gdn gbiz gay garden gap games game gallup
gallo gallery gal fyi futbol furniture fund fun fujixerox fujitsu ftr frontier frontdoor
frogans frl fresenius free fox foundation forum forsale forex ford football foodnetwork
food foo fly flsmidth flowers florist flir flights flickr fitness fit fishing fish
firmdale firestone fire financial finance final film fido fidelity fiat ferrero ferrari
feedback fedex fast fashion farmers farm fans fan family faith fairwinds fail fage
extraspace express exposed expert exchange everbank events eus eurovision etisalat
esurance estate esq erni ericsson equipment epson epost enterprises engineering engineer
energy emerck email education edu edeka eco eat earth dvr dvag durban dupont duns dunlop
duck dubai dtv drive download dot doosan domains doha dog dodge doctor docs dnp diy dish
discover discount directory direct digital diet diamonds dhl dev design desi dentist
dental democrat delta deloitte dell delivery degree deals dealer deal dds dclk day
datsun dating date data dance dad dabur cyou cymru cuisinella csc cruises cruise crs
crown cricket creditunion creditcard credit cpa courses coupons coupon country corsica
coop cool cookingchannel cooking contractors contact consulting construction condos
comsec computer compare company community commbank comcast com cologne college coffee
codes coach clubmed club cloud clothing clinique clinic click cleaning claims cityeats
city citic citi citadel cisco circle cipriani church chrysler chrome christmas chloe
chintai cheap chat chase charity channel chanel cfd cfa cern ceo center ceb cbs cbre cbn
cba catholic catering cat casino cash caseih case casa cartier cars careers career care
cards caravan car capitalone capital capetown canon cancerresearch camp camera cam
calvinklein call cal cafe cab bzh buzz buy business builders build bugatti budapest
brussels brother broker broadway bridgestone bradesco box boutique bot boston bostik
bosch boots booking book boo bond bom bofa boehringer boats bnpparibas bnl bmw bms blue
bloomberg blog blockbuster blanco blackfriday black biz bio bingo bing bike bid bible
bharti bet bestbuy best berlin bentley beer beauty beats bcn bcg bbva bbt bbc bayern
bauhaus basketball baseball bargains barefoot barclays barclaycard barcelona bar bank
band bananarepublic banamex baidu baby azure axa aws avianca autos auto author auspost
audio audible audi auction attorney athleta associates asia asda arte art arpa army
archi aramco arab aquarelle apple app apartments aol anz anquan android analytics
amsterdam amica amfam amex americanfamily americanexpress alstom alsace ally allstate
allfinanz alipay alibaba alfaromeo akdn airtel airforce airbus aigo aig agency agakhan
africa afl afamilycompany aetna aero aeg adult ads adac actor active aco accountants
accountant accenture academy abudhabi abogado able abc abbvie abbott abb abarth aarp aaa
onion
""")

_CCTLDS = _words("""
한국 香港 澳門 新加坡 台灣 台湾 中國 中国 გე ລາວ ไทย ලංකා ഭാരതം ಭಾರತ భారత్ சிங்கப்பூர் இலங்கை
இந்தியா ଭାରତ ભારત ਭਾਰਤ ভাৰত ভারত বাংলা भारोत भारतम् भारत ڀارت پاکستان موريتانيا مليسيا مصر
قطر فلسطين عمان عراق سورية سودان تونس بھارت بارت ایران امارات المغرب السعودية الجزائر
البحرين الاردن հայ қаз укр срб рф мон мкд ею бел бг ευ ελ zw zm za yt ye ws wf vu vn vi
vg ve vc va uz uy us um uk ug ua tz tw tv tt tr tp to tn tm tl tk tj th tg tf td tc sz
sy sx sv su st ss sr so sn sm sl sk sj si sh sg se sd sc sb sa rw ru rs ro re qa py pw
pt ps pr pn pm pl pk ph pg pf pe pa om nz nu nr np no nl ni ng nf ne nc na mz my mx mw
mv mu mt ms mr mq mp mo mn mm ml mk mh mg mf me md mc ma ly lv lu lt ls lr lk li lc lb
la kz ky kw kr kp kn km ki kh kg ke jp jo jm je it is ir iq io in im il ie id hu ht hr
hn hm hk gy gw gu gt gs gr gq gp gn gm gl gi gh gg gf ge gd gb ga fr fo fm fk fj fi eu
et es er eh eg ee ec dz do dm dk dj de cz cy cx cw cv cu cr co cn cm cl ck ci ch cg cf
cd cc ca bz by bw bv bt bs br bq bo bn bm bl bj bi bh bg bf be bd bb ba az ax aw au at
as ar aq ao an am al ai ag af ae ad ac
""")
