"""twitter-text's official conformance suite, every relevant case, against our port.

The suite is vendored in ``tests/conformance/twitter-text`` (Apache-2.0, see its LICENSE and
SOURCE). ``WeightedTweetsCounterTest`` uses the v2 configuration (no emoji parsing),
``WeightedTweetsWithDiscountedEmojiCounterTest`` and ``UnicodeDirectionalMarkerCounterTest`` the
v3 one. Indices are UTF-16 code units, as the suite defines them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from keryx.networks import twitter_text as tt

SUITE = Path(__file__).resolve().parents[1] / "conformance" / "twitter-text"


def _load(name: str) -> dict[str, list[dict[str, Any]]]:
    with (SUITE / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["tests"]


VALIDATE = _load("validate.yml")
EXTRACT = _load("extract.yml")


def _cases(tests: dict[str, list[dict[str, Any]]], *sections: str) -> list[Any]:
    params = []
    for section in sections:
        for number, case in enumerate(tests[section], start=1):
            slug = re.sub(r"[^a-z0-9]+", "-", case["description"].lower()).strip("-")[:60]
            params.append(pytest.param(section, case, id=f"{section}-{number:02d}-{slug}"))
    return params


CONFIGS = {
    "WeightedTweetsCounterTest": tt.CONFIG_V2,
    "WeightedTweetsWithDiscountedEmojiCounterTest": tt.CONFIG_V3,
    "UnicodeDirectionalMarkerCounterTest": tt.CONFIG_V3,
}


@pytest.mark.parametrize(("section", "case"), _cases(VALIDATE, *CONFIGS))
def test_parse_tweet_conformance(section: str, case: dict[str, Any]) -> None:
    result = tt.parse_tweet(case["text"], CONFIGS[section])
    assert {
        "weightedLength": result.weighted_length,
        "valid": result.valid,
        "permillage": result.permillage,
        "displayRangeStart": result.display_range_start,
        "displayRangeEnd": result.display_range_end,
        "validRangeStart": result.valid_range_start,
        "validRangeEnd": result.valid_range_end,
    } == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "mentions"))
def test_extract_mentions_conformance(section: str, case: dict[str, Any]) -> None:
    assert tt.extract_mentions(case["text"]) == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "mentions_with_indices"))
def test_extract_mentions_with_indices_conformance(section: str, case: dict[str, Any]) -> None:
    got = [
        {"screen_name": e.value, "indices": list(e.indices)}
        for e in tt.extract_mentions_with_indices(case["text"])
    ]
    assert got == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "mentions_or_lists_with_indices"))
def test_extract_mentions_or_lists_conformance(section: str, case: dict[str, Any]) -> None:
    got = [
        {"screen_name": e.value, "list_slug": e.list_slug, "indices": list(e.indices)}
        for e in tt.extract_mentions_or_lists_with_indices(case["text"])
    ]
    assert got == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "replies"))
def test_extract_reply_conformance(section: str, case: dict[str, Any]) -> None:
    assert tt.extract_reply_screen_name(case["text"]) == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "urls", "tco_urls_with_params"))
def test_extract_urls_conformance(section: str, case: dict[str, Any]) -> None:
    assert tt.extract_urls(case["text"]) == case["expected"]


@pytest.mark.parametrize(
    ("section", "case"), _cases(EXTRACT, "urls_with_indices", "urls_with_directional_markers")
)
def test_extract_urls_with_indices_conformance(section: str, case: dict[str, Any]) -> None:
    got = [
        {"url": e.value, "indices": list(e.indices)}
        for e in tt.extract_urls_with_indices(case["text"])
    ]
    assert got == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "hashtags", "hashtags_from_astral"))
def test_extract_hashtags_conformance(section: str, case: dict[str, Any]) -> None:
    assert tt.extract_hashtags(case["text"]) == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "hashtags_with_indices"))
def test_extract_hashtags_with_indices_conformance(section: str, case: dict[str, Any]) -> None:
    got = [
        {"hashtag": e.value, "indices": list(e.indices)}
        for e in tt.extract_hashtags_with_indices(case["text"])
    ]
    assert got == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "cashtags"))
def test_extract_cashtags_conformance(section: str, case: dict[str, Any]) -> None:
    assert tt.extract_cashtags(case["text"]) == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "cashtags_with_indices"))
def test_extract_cashtags_with_indices_conformance(section: str, case: dict[str, Any]) -> None:
    got = [
        {"cashtag": e.value, "indices": list(e.indices)}
        for e in tt.extract_cashtags_with_indices(case["text"])
    ]
    assert got == case["expected"]


def test_suite_sections_are_all_covered() -> None:
    covered = {
        "mentions",
        "mentions_with_indices",
        "mentions_or_lists_with_indices",
        "replies",
        "urls",
        "tco_urls_with_params",
        "urls_with_indices",
        "urls_with_directional_markers",
        "hashtags",
        "hashtags_from_astral",
        "hashtags_with_indices",
        "cashtags",
        "cashtags_with_indices",
    }
    assert set(EXTRACT) == covered
    assert set(CONFIGS) <= set(VALIDATE)
