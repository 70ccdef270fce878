"""Instagram: 2,200 characters, 5 hashtags (overridable), 20 mentions, media required."""

from __future__ import annotations

import pytest

from keryx.networks.rules import CheckOptions, MediaInfo, check_media, check_text, check_variant

PHOTO = MediaInfo("image", "image/jpeg", 1080, 1350, 2_000_000, alt_text="Η αφίσα του σεμιναρίου")


def test_hashtag_cap_five_by_default() -> None:
    text = "Σεμινάριο " + " ".join(f"#θέμα{n}" for n in range(6))
    result = check_text("instagram", text)
    expected = {"network": "Instagram", "count": 6, "max": 5, "excess": 1}
    assert [(p.code, p.field, p.params) for p in result.errors] == [
        ("hashtags.too_many", "hashtags", expected)
    ]
    assert result.errors[0].message == (
        "Instagram allows at most 5 hashtags per post and this post has 6. Remove 1."
    )


def test_hashtag_cap_overridable() -> None:
    text = " ".join(f"#θέμα{n}" for n in range(6))
    assert check_text("instagram", text, options=CheckOptions(instagram_max_hashtags=30)).valid
    assert not check_text(
        "instagram", "#α #β", options=CheckOptions(instagram_max_hashtags=1)
    ).valid


def test_mentions_cap_twenty() -> None:
    text = " ".join(f"@user{n}" for n in range(21))
    assert [p.code for p in check_text("instagram", text).errors] == ["mentions.too_many"]


def test_links_are_not_clickable_warning() -> None:
    result = check_text("instagram", "Εγγραφές: https://keryx.gr/seminario")
    assert result.valid
    assert [(p.code, p.params["links"]) for p in result.warnings] == [
        ("links.not_clickable", ["https://keryx.gr/seminario"])
    ]


def test_utf16_counting_of_emoji() -> None:
    assert check_text("instagram", "😀" * 1100).valid
    assert check_text("instagram", "😀" * 1101).errors[0].params == {
        "network": "Instagram",
        "length": 2202,
        "limit": 2200,
        "excess": 2,
    }


def test_variant_needs_media() -> None:
    result = check_variant("instagram", "Καλημέρα", [])
    assert [(p.code, p.field) for p in result.errors] == [("media.required", "media")]
    assert check_variant("instagram", "Καλημέρα", [PHOTO]).valid


def test_jpeg_only() -> None:
    png = MediaInfo("image", "image/png", 1080, 1080, 100_000, alt_text="Αφίσα")
    problem = check_media("instagram", [png])[0]
    assert (problem.code, problem.params["allowed"], problem.message) == (
        "media.image_type_unsupported",
        ["image/jpeg"],
        "Instagram does not accept PNG images. Convert this image to JPEG.",
    )


@pytest.mark.parametrize(
    ("width", "height", "code", "nearest", "target"),
    [
        (1080, 1920, "media.image_too_tall", "4:5", (1080, 1350)),
        (1080, 500, "media.image_too_wide", "1.91:1", (955, 500)),
    ],
)
def test_ratio_out_of_range_suggests_crop(
    width: int, height: int, code: str, nearest: str, target: tuple[int, int]
) -> None:
    image = MediaInfo("image", "image/jpeg", width, height, 500_000, alt_text="Αφίσα")
    problem = check_media("instagram", [image])[0]
    assert (problem.code, problem.params["nearest_ratio"]) == (code, nearest)
    assert (problem.params["target_width"], problem.params["target_height"]) == target


def test_ratio_bounds_inclusive() -> None:
    for width, height in ((1080, 1350), (1910, 1000), (1080, 1080)):
        image = MediaInfo("image", "image/jpeg", width, height, 500_000, alt_text="Αφίσα")
        assert [p.code for p in check_media("instagram", [image])] in (
            [],
            ["media.image_too_wide_pixels"],
        )


def test_width_outside_bounds_is_rescaled_warning() -> None:
    wide = MediaInfo("image", "image/jpeg", 2000, 2000, 500_000, alt_text="Αφίσα")
    problem = check_media("instagram", [wide])[0]
    assert (problem.code, problem.severity) == ("media.image_too_wide_pixels", "warning")
    assert (problem.params["target_width"], problem.params["target_height"]) == (1440, 1440)


def test_size_count_and_gif() -> None:
    heavy = MediaInfo("image", "image/jpeg", 1080, 1080, 9_000_000, alt_text="Αφίσα")
    assert [p.code for p in check_media("instagram", [heavy])] == ["media.image_too_large"]
    assert [p.code for p in check_media("instagram", [PHOTO] * 11)] == ["media.too_many"]
    gif = MediaInfo("gif", "image/gif", 500, 500, 100_000, alt_text="GIF")
    assert [p.code for p in check_media("instagram", [gif])] == ["media.gif_unsupported"]


def test_reel_duration() -> None:
    short = MediaInfo("video", "video/mp4", 1080, 1920, 5_000_000, 2.5, alt_text="Reel")
    problem = check_media("instagram", [short])[0]
    assert (problem.code, problem.params["duration"], problem.params["min_duration"]) == (
        "media.video_too_short",
        "2.5 seconds",
        "3 seconds",
    )
