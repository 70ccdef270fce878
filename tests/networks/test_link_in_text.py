"""The link card goes into the text where a network shows no card for it; the checks count
the text as it is sent, so a post the composer passes is not refused for its length later."""

from __future__ import annotations

import pytest

from keryx.networks.rules import MediaInfo, check_variant, get_rules, text_as_sent

LINK = "https://keryx.example.org/r/Ab3dEf9"
PHOTO = MediaInfo("image", "image/jpeg", 1080, 1080, 200_000, alt_text="Η αίθουσα")


@pytest.mark.parametrize(
    ("network", "alone", "beside_photo"),
    [
        ("x", f"Κείμενο\n{LINK}", f"Κείμενο\n{LINK}"),
        ("mastodon", f"Κείμενο\n\n{LINK}", f"Κείμενο\n\n{LINK}"),
        ("linkedin", f"Κείμενο\n\n{LINK}", f"Κείμενο\n\n{LINK}"),
        ("instagram", f"Κείμενο\n\n{LINK}", f"Κείμενο\n\n{LINK}"),
        ("bluesky", "Κείμενο", f"Κείμενο\n{LINK}"),  # a card, unless there are images
        ("threads", "Κείμενο", f"Κείμενο\n\n{LINK}"),  # link_attachment, unless images
        ("facebook", "Κείμενο", f"Κείμενο\n\n{LINK}"),  # a link preview, unless photos
    ],
)
def test_where_each_network_puts_the_link(network: str, alone: str, beside_photo: str) -> None:
    rules = get_rules(network)
    assert text_as_sent(rules, "Κείμενο", LINK, 0) == alone
    assert text_as_sent(rules, "Κείμενο", LINK, 1) == beside_photo
    # A text that already carries the link gets it once; no link, nothing added.
    assert text_as_sent(rules, f"Δείτε {LINK}", LINK, 1) == f"Δείτε {LINK}"
    assert text_as_sent(rules, "Κείμενο", "", 1) == "Κείμενο"


def test_an_x_post_that_fits_alone_is_too_long_with_its_link() -> None:
    text = "α" * 270  # 270 weighted characters: Greek counts 1 in twitter-text v3
    assert check_variant("x", text, []).valid
    with_link = check_variant("x", text, [], link=LINK)
    assert with_link.length == 270 + 1 + 23  # the newline, and the URL as t.co counts it
    assert not with_link.valid
    assert [p.code for p in with_link.errors] == ["text.too_long"]


def test_bluesky_counts_the_link_only_beside_images() -> None:
    text = "α" * 280
    assert check_variant("bluesky", text, [], link=LINK).valid  # the link is a card
    beside = check_variant("bluesky", text, [PHOTO], link=LINK)
    assert beside.length == 280 + 1 + len(LINK)
    assert not beside.valid
    # The appended link is a link facet, with its UTF-8 byte offsets.
    [facet] = [f for f in beside.facets if f.type == "link"]
    assert facet.value == LINK
    assert facet.byte_start == len(("α" * 280 + "\n").encode())
