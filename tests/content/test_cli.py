"""``keryx compose check`` as a person or a script runs it: a subprocess, UTF-8 in, JSON out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

NETWORKS = ("x", "bluesky", "mastodon", "threads", "linkedin", "facebook", "instagram")
SRC = str(Path(__file__).resolve().parents[2] / "src")


def run(*args: str, stdin: bytes = b"") -> tuple[int, dict[str, Any] | None, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = SRC
    env["KERYX_LANGUAGE"] = "en"
    done = subprocess.run(
        [sys.executable, "-m", "keryx", "compose", "check", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    out = done.stdout.decode("utf-8")
    return done.returncode, (json.loads(out) if out.strip() else None), done.stderr.decode("utf-8")


MONOTONIC = "Καλημέρα κόσμε"
POLYTONIC = "Ἐν ἀρχῇ ἦν ὁ λόγος"  # five characters of the Greek Extended block
EMOJI = "Ομάδα 👩‍👩‍👧‍👦 και 🇬🇷 και 👍🏽"
LONG_URL = "Δες https://example.org/" + "a" * 200 + " τώρα"
REMOTE_MENTION = "Ευχαριστούμε @eleni@mastodon.social!"

# (text, {network: length}) — lengths in each network's own unit, worked out by hand:
#  * X weighs characters outside twitter-text v3's ranges (Greek Extended, emoji) as 2 and
#    every URL as 23;
#  * Bluesky and Mastodon count graphemes (a family emoji, a flag, a skin-toned thumb are one
#    each); Mastodon counts a URL as 23 and @user@server as @user;
#  * LinkedIn, Facebook and Instagram count UTF-16 code units;
#  * Threads counts an emoji by its UTF-8 bytes (the rules module's documented unit).
LENGTHS: dict[str, tuple[str, dict[str, int]]] = {
    "monotonic": (MONOTONIC, dict.fromkeys(NETWORKS, 14)),
    "polytonic": (POLYTONIC, {**dict.fromkeys(NETWORKS, 18), "x": 23}),
    "decomposed": (unicodedata.normalize("NFD", MONOTONIC), dict.fromkeys(NETWORKS, 14)),
    "emoji": (
        EMOJI,
        {
            "x": 22,
            "bluesky": 19,
            "mastodon": 19,
            "threads": 57,
            "linkedin": 35,
            "facebook": 35,
            "instagram": 35,
        },
    ),
    "long_url": (LONG_URL, {**dict.fromkeys(NETWORKS, 229), "x": 32, "mastodon": 32}),
    "remote_mention": (REMOTE_MENTION, {**dict.fromkeys(NETWORKS, 36), "mastodon": 20}),
}
LIMITS = {
    "x": 280,
    "bluesky": 300,
    "mastodon": 500,
    "threads": 500,
    "linkedin": 3000,
    "facebook": 63206,
    "instagram": 2200,
}


@pytest.mark.parametrize("case", sorted(LENGTHS))
def test_compose_check_counts_each_network_in_its_own_unit(case: str) -> None:
    text, lengths = LENGTHS[case]
    for network in NETWORKS:
        code, result, stderr = run("--network", network, stdin=text.encode("utf-8"))
        assert result is not None, stderr
        assert (code, result["network"], result["valid"], result["length"], result["limit"]) == (
            0,
            network,
            True,
            lengths[network],
            LIMITS[network],
        ), (case, network, result)
        assert list(result) == [
            "network",
            "valid",
            "length",
            "limit",
            "errors",
            "warnings",
            "facets",
        ]
        assert result["errors"] == []


def test_compose_check_prints_bluesky_facets_with_utf8_byte_offsets() -> None:
    text = "Έλα στο #Σεμινάριο2026 https://example.org/smm @maria.bsky.social"
    code, result, _stderr = run("--network", "bluesky", stdin=text.encode())
    assert code == 0
    assert result == {
        "network": "bluesky",
        "valid": True,
        "length": 65,
        "limit": 300,
        "errors": [],
        "warnings": [],
        "facets": [
            {"type": "tag", "value": "Σεμινάριο2026", "byteStart": 14, "byteEnd": 37},
            {"type": "link", "value": "https://example.org/smm", "byteStart": 38, "byteEnd": 61},
            {"type": "mention", "value": "maria.bsky.social", "byteStart": 62, "byteEnd": 80},
        ],
    }


def test_compose_check_over_the_limit_exits_1_and_names_the_rule() -> None:
    code, result, _stderr = run("--network", "x", stdin=("α" * 281).encode())
    assert code == 1
    assert result is not None
    assert (result["valid"], result["length"]) == (False, 281)
    assert result["errors"] == [
        {
            "code": "text.too_long",
            "message": "X counts this post as 281 of 280 characters. Shorten it by 1 character.",
            "field": "text",
            "params": {"network": "X", "length": 281, "limit": 280, "excess": 1},
        }
    ]


def test_compose_check_bluesky_byte_limit_under_the_grapheme_limit() -> None:
    family = "👨‍👩‍👧‍👦"  # 25 bytes, one grapheme
    code, result, _stderr = run("--network", "bluesky", stdin=(family * 121).encode())
    assert code == 1
    assert result is not None
    assert result["length"] == 121
    assert [e["code"] for e in result["errors"]] == ["text.too_many_bytes"]


def test_compose_check_instagram_hashtag_cap_and_its_setting(tmp_path: Path) -> None:
    text = " ".join(f"#Σεμινάριο{i}" for i in range(6))
    path = tmp_path / "caption.txt"
    path.write_text(text + "\n", encoding="utf-8")
    code, result, _stderr = run("--network", "instagram", "--text-file", str(path))
    assert code == 1
    assert result is not None
    assert [e["code"] for e in result["errors"]] == ["hashtags.too_many"]
    code, result, _stderr = run(
        "--network", "instagram", "--text-file", str(path), "--instagram-max-hashtags", "10"
    )
    assert (code, result["valid"] if result else None) == (0, True)


def test_compose_check_uses_the_mastodon_instance_limit() -> None:
    code, result, _stderr = run(
        "--network", "mastodon", "--mastodon-max-characters", "1000", stdin=("λ" * 600).encode()
    )
    assert (code, result["length"] if result else None, result["limit"] if result else None) == (
        0,
        600,
        1000,
    )


def test_compose_check_reads_a_file_and_drops_only_its_final_line_break(tmp_path: Path) -> None:
    path = tmp_path / "post.txt"
    path.write_bytes("\ufeffΓραμμή 1\nΓραμμή 2\n".encode())
    code, result, _stderr = run("--network", "threads", "--text-file", str(path))
    assert (code, result["length"] if result else None) == (0, 17)


def test_compose_check_refuses_invalid_utf8_with_exit_2() -> None:
    code, result, stderr = run("--network", "x", stdin="Καλή".encode("iso-8859-7"))
    assert (code, result) == (2, None)
    assert stderr == (
        "keryx compose check: the text is not valid UTF-8 (byte 0: ca). Save it as UTF-8 and retry.\n"
    )


def test_compose_check_bad_usage_exits_2(tmp_path: Path) -> None:
    assert run("--network", "myspace", stdin=b"x")[0] == 2
    assert run(stdin=b"x")[0] == 2
    code, result, stderr = run("--network", "x", "--text-file", str(tmp_path / "missing.txt"))
    assert (code, result) == (2, None)
    assert "cannot read" in stderr
