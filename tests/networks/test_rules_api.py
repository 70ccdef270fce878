"""The public API of keryx.networks.rules: registry, result shape, options, presence checks."""

from __future__ import annotations

import json

import pytest

from keryx.networks.rules import (
    NETWORK_KEYS,
    CheckOptions,
    MediaInfo,
    NetworkRules,
    check_media,
    check_text,
    check_variant,
    get_rules,
)

JPEG = MediaInfo("image", "image/jpeg", 1080, 1080, 200_000, alt_text="Η αίθουσα του σεμιναρίου")


def test_network_keys_fixed_order() -> None:
    assert NETWORK_KEYS == (
        "facebook", "instagram", "linkedin", "x", "threads", "mastodon", "bluesky", "webhook",
    )  # fmt: skip


@pytest.mark.parametrize("key", NETWORK_KEYS)
def test_get_rules_returns_the_network(key: str) -> None:
    rules = get_rules(key)
    assert isinstance(rules, NetworkRules)
    assert rules.key == key


def test_get_rules_unknown_network_raises() -> None:
    with pytest.raises(LookupError, match="Unknown network 'myspace'"):
        get_rules("myspace")


def test_capabilities_as_data() -> None:
    assert [k for k in NETWORK_KEYS if get_rules(k).supports_threads] == [
        "x", "threads", "mastodon", "bluesky",
    ]  # fmt: skip
    # Declared once, in the spec's capabilities: Bluesky's client lets the PDS choose record
    # keys, so it has no idempotency key (decision 0561).
    assert [k for k in NETWORK_KEYS if get_rules(k).supports_idempotency_key] == ["mastodon"]
    assert [k for k in NETWORK_KEYS if get_rules(k).supports_first_comment] == [
        "facebook", "instagram", "linkedin", "threads",
    ]  # fmt: skip
    assert not get_rules("instagram").supports_link_cards


def test_as_dict_exact_shape() -> None:
    result = check_text("x", "Γεια #σεμινάριο")
    assert result.as_dict() == {
        "network": "x",
        "valid": True,
        "length": 15,
        "limit": 280,
        "errors": [],
        "warnings": [],
        "facets": [],  # only networks whose posts carry facets (Bluesky) report them
    }
    assert result.unit == "weighted"


def test_as_dict_problem_shape_is_json_safe() -> None:
    result = check_text("x", "α" * 281)
    data = result.as_dict()
    assert data["valid"] is False
    assert data["errors"] == [
        {
            "code": "text.too_long",
            "message": "X counts this post as 281 of 280 characters. Shorten it by 1 character.",
            "field": "text",
            "params": {"network": "X", "length": 281, "limit": 280, "excess": 1},
        }
    ]
    assert json.loads(json.dumps(data)) == data


def test_check_variant_empty_post_is_an_error() -> None:
    result = check_variant("x", "   ", [])
    assert [p.code for p in result.errors] == ["post.empty"]
    assert result.errors[0].field == "text"


def test_check_variant_media_only_post_is_fine() -> None:
    result = check_variant("bluesky", "", [JPEG])
    assert result.valid
    assert result.warnings == ()


def test_check_variant_combines_text_and_media_problems() -> None:
    media = [JPEG] * 5
    result = check_variant("bluesky", "x" * 301, media)
    assert [p.code for p in result.errors] == ["text.too_long", "media.too_many"]


def test_check_text_returns_tuples_and_unit() -> None:
    result = check_text("linkedin", "Καλημέρα")
    assert result.errors == ()
    assert result.unit == "utf16"
    assert (result.length, result.limit) == (8, 3000)


def test_check_media_returns_list_of_problems() -> None:
    assert check_media("x", [JPEG]) == []
    problems = check_media("x", [MediaInfo("image", "image/jpeg", 100, 100, 10)])
    assert [(p.code, p.severity, p.field) for p in problems] == [
        ("media.alt_text_missing", "warning", "media[0].alt_text")
    ]


def test_options_default_to_rules() -> None:
    assert CheckOptions() == CheckOptions(None, None, None, "", None)
