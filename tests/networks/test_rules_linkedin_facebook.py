"""LinkedIn and Facebook: UTF-16 code units against 3,000 and 63,206; their media limits."""

from __future__ import annotations

from keryx.networks.rules import MediaInfo, check_media, check_text


def test_linkedin_counts_utf16_units() -> None:
    assert check_text("linkedin", "😀" * 1500).valid
    result = check_text("linkedin", "😀" * 1500 + "α")
    assert (result.length, result.errors[0].code) == (3001, "text.too_long")


def test_facebook_limit() -> None:
    assert check_text("facebook", "α" * 63_206).valid
    assert check_text("facebook", "α" * 63_207).errors[0].params["excess"] == 1


def test_greek_counts_one_unit_per_letter_even_decomposed() -> None:
    assert check_text("linkedin", "Καλημέρα").length == 8
    assert check_text("facebook", "Ἀθῆναι").length == 6


def test_linkedin_video_duration_and_pixels() -> None:
    video = MediaInfo("video", "video/mp4", 1920, 1080, 1_000_000, 2.0, alt_text="Βίντεο")
    assert [p.code for p in check_media("linkedin", [video])] == ["media.video_too_short"]
    huge = MediaInfo("image", "image/jpeg", 7000, 7000, 5_000_000, alt_text="Αφίσα")
    problem = check_media("linkedin", [huge])[0]
    assert problem.code == "media.image_too_many_pixels"
    assert (problem.params["target_width"], problem.params["target_height"]) == (6012, 6012)


def test_linkedin_twenty_images() -> None:
    image = MediaInfo("image", "image/png", 1200, 627, 1_000_000, alt_text="Διαφάνεια")
    assert check_media("linkedin", [image] * 20) == []
    assert [p.code for p in check_media("linkedin", [image] * 21)] == ["media.too_many"]


def test_facebook_image_types_and_size() -> None:
    webp = MediaInfo("image", "image/webp", 1200, 630, 1_000_000, alt_text="Αφίσα")
    assert [p.code for p in check_media("facebook", [webp])] == ["media.image_type_unsupported"]
    heavy = MediaInfo("image", "image/jpeg", 1200, 630, 23 * 512 * 1024, alt_text="Αφίσα")
    problem = check_media("facebook", [heavy])[0]
    assert (problem.code, problem.params["size"], problem.params["max_size"]) == (
        "media.image_too_large",
        "11.5 MB",
        "10 MB",
    )
