"""Emoji and emoticons with a valence (VADER's scale), shared by the Greek and English scorers."""

from __future__ import annotations

import re

EMOJI: dict[str, float] = {}
for _chars, _value in (
    ("😍🥰😻🤩💯🏆", 3.0),
    ("❤💕💖💗💓💞💘♥😘🥳🎉🎊🙌👏🔥✨🌟⭐💪", 2.5),
    ("😀😃😄😁😊🙂☺😆😂🤣😇👍👌🤗😎💐🙏🎯🚀", 2.0),
    ("😅😉😋😌🤓", 1.5),
    ("😕😟🙁☹😐😑🤨😬", -1.2),
    ("😞😔😒🙄😓😪😥💤😴🥱", -1.8),
    ("😢😭😩😫😤😣😖😰😱💔👎", -2.2),
    ("😠😡🤬🤮🤢💩🖕", -2.8),
):
    for _char in _chars:
        EMOJI[_char] = _value

EMOTICONS: dict[str, float] = {
    ":)": 2.0,
    ":-)": 2.0,
    ":))": 2.3,
    ":)))": 2.5,
    "=)": 2.0,
    ":]": 2.0,
    ":d": 2.3,
    ":-d": 2.3,
    "xd": 2.0,
    ";)": 1.5,
    ";-)": 1.5,
    ":p": 1.2,
    ":-p": 1.2,
    "<3": 2.5,
    "<33": 2.5,
    "^^": 1.8,
    "^_^": 1.8,
    ":(": -2.0,
    ":-(": -2.0,
    ":((": -2.3,
    ":(((": -2.5,
    "=(": -2.0,
    ":'(": -2.3,
    ":/": -1.2,
    ":-/": -1.2,
    ":\\": -1.2,
    ":|": -0.8,
    ">:(": -2.5,
    "t_t": -2.0,
    "-_-": -1.2,
}

# Emoticons that start with a letter ("xD", "T_T") are words to the tokenizer: the scorers look
# them up in ``WORD_EMOTICONS``.
WORD_EMOTICONS = {"xd": 2.0, "xdd": 2.2, "t_t": -2.0}
EMOTICON_PATTERN = (
    "|".join(
        re.escape(e)
        for e in sorted(EMOTICONS, key=len, reverse=True)
        if e != ":/" and not e[0].isalpha()
    )
    + r"|:/(?!/)"
)
