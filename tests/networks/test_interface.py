"""The shared machinery of the interface: validation through the rules with the account's own
limits, the honest refusal of what a connector cannot do, the content fingerprint, user-typed
addresses and the webhook signature."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from keryx.core.http import Rejected, check_public_url
from keryx.networks.base import (
    AccountState,
    MediaFile,
    PublishRequest,
    content_fingerprint,
    plain_text,
)
from keryx.networks.registry import connector_class
from keryx.networks.webhook.client import sign, signature_valid


def _connector(network: str, **state: Any) -> Any:
    return connector_class(network)(AccountState(network=network, **state))


def test_validate_uses_the_mastodon_servers_own_limit() -> None:
    text = "α" * 600
    default = _connector("mastodon").validate(PublishRequest(text=text))
    roomy = _connector("mastodon", server_limits={"max_characters": 1000}).validate(
        PublishRequest(text=text)
    )
    assert (default.valid, default.limit) == (False, 500)
    assert (roomy.valid, roomy.limit) == (True, 1000)


def test_validate_gives_bluesky_facets_in_utf8_bytes() -> None:
    check = _connector("bluesky").validate(PublishRequest(text="Γεια #Σεμινάριο"))
    (facet,) = check.facets
    assert (facet.type, facet.value, facet.byte_start, facet.byte_end) == (
        "tag",
        "Σεμινάριο",
        9,
        28,
    )


def test_what_a_connector_cannot_do_is_named(tmp_path: Path) -> None:
    video = MediaFile(path=tmp_path / "v.mp4", mime="video/mp4")
    problems = _connector("bluesky").unsupported(
        PublishRequest(text="x", media=[video], first_comment="πρώτο σχόλιο")
    )
    assert problems == [
        "Keryx cannot publish video to Bluesky.",
        "Bluesky has no first comment.",
    ]
    with pytest.raises(Rejected):
        _connector("webhook").refuse_unsupported(PublishRequest(text="x", thread=("y",)))


def test_the_fingerprint_survives_what_networks_do_to_a_post() -> None:
    written = "Σεμινάριο   Social Media!\nΕγγραφές: https://keryx.example/r/ab12cd #Σεμινάριο2026"
    mastodon_html = (
        '<p>Σεμινάριο Social Media!<br>Εγγραφές: <a href="https://keryx.example/r/ab12cd">'
        '<span class="invisible">https://</span><span>keryx.example/r/ab12cd</span></a> '
        '<a href="https://m.example/tags/x" class="mention hashtag">#<span>Σεμινάριο2026</span></a></p>'
    )
    x_text = "σεμινάριο social media! Εγγραφές: https://t.co/AbC123 #Σεμινάριο2026"
    assert content_fingerprint(mastodon_html) == content_fingerprint(written)
    assert content_fingerprint(x_text) == content_fingerprint(written)
    assert content_fingerprint("Άλλο κείμενο") != content_fingerprint(written)
    assert plain_text("<p>a &amp; b</p><p>c</p>") == "a & b\nc"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://example.org/x", "starting with https://"),
        ("https://user:pw@example.org/", "user name and password"),
        ("http://example.org/hook", "Use an https:// address"),
        ("https://192.168.1.10/hook", "inside your own network"),
        ("https://169.254.169.254/latest", "inside your own network"),
        ("https://printer.local/", "inside your own network"),
    ],
)
def test_user_typed_addresses_must_be_public_https(url: str, words: str, settings: Any) -> None:
    settings.KERYX_ALLOW_PRIVATE_URLS = False
    with pytest.raises(Rejected) as info:
        check_public_url(url)
    assert words in info.value.reason


def test_private_addresses_are_allowed_when_the_operator_says_so(settings: Any) -> None:
    settings.KERYX_ALLOW_PRIVATE_URLS = True
    assert check_public_url(" http://127.0.0.1:2583 ") == "http://127.0.0.1:2583"


def test_webhook_signature_as_documented() -> None:
    body = '{"text":"Γεια"}'.encode()
    signature = sign("a-shared-secret-of-length", 1772445600, body)
    assert (
        signature
        == "sha256="
        + __import__("hmac")
        .new(b"a-shared-secret-of-length", b"1772445600." + body, "sha256")
        .hexdigest()
    )
    assert signature_valid(
        "a-shared-secret-of-length", "1772445600", body, signature, now=1772445700
    )
    assert not signature_valid(
        "a-shared-secret-of-length", "1772445600", body, signature, now=1772446000
    )
    assert not signature_valid(
        "wrong-secret-of-some-length", "1772445600", body, signature, now=1772445700
    )
