"""The composer in a real browser: one Greek post for all seven networks, live per-network
counters, an Instagram ratio problem fixed with one click, sent for review and approved by a
second person."""

from __future__ import annotations

import re

import pytest

from keryx.content.enums import PostStatus, VariantStatus
from keryx.content.models import MediaItem, Post
from tests.conftest import screenshot
from tests.content.conftest import image_bytes
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GREEK = (
    "Έρχεται το Σεμινάριο Διαχείρισης Social Media 2026! 🎉 Μία μέρα πρακτικής δουλειάς "
    "στην Τεχνόπολη. Κράτησε θέση: https://example.org/smm-2026 #Σεμινάριο2026 #SMM2026"
)
# 164 characters, one of them the emoji 🎉 and 28 of them the link. The link is published as
# a tracked link, https://keryx.seminars.gr/r/ and a 7-character code: 35 characters, 7 more.
# As each network counts: X weighs the emoji 2 and any link 23 (164 - 28 + 23 + 1); Mastodon
# counts any link 23; Bluesky counts graphemes (164 + 7); Threads an emoji by its 4 UTF-8
# bytes; LinkedIn, Facebook and Instagram UTF-16 code units (the emoji is a surrogate pair).
BASE_URL = "https://keryx.seminars.gr"
LENGTHS = {
    "x": 160,
    "mastodon": 159,
    "bluesky": 171,
    "threads": 174,
    "linkedin": 172,
    "facebook": 172,
    "instagram": 172,
}


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/.+/"))


def test_compose_for_seven_networks_fix_for_instagram_review_and_approve(
    page, browser, live_server, workspace, seminar, accounts, editor, manager, tmp_path, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_BASE_URL = BASE_URL
    banner = tmp_path / "banner.jpg"
    banner.write_bytes(image_bytes(1600, 600))

    sign_in(page, editor.email)
    page.click("nav.sidenav >> text=Compose")
    page.click("text=New post")
    page.fill("textarea[data-master]", GREEK)

    # Every network shows its own count as the text is typed (checked on the server).
    for network, length in LENGTHS.items():
        section = page.locator(f"section[data-network={network}]")
        section.locator("[data-length]").filter(has_text=str(length)).wait_for()
        assert (
            section.locator("[data-limit]").inner_text()
            == {
                "x": "280",
                "mastodon": "500",
                "bluesky": "300",
                "threads": "500",
                "linkedin": "3000",
                "facebook": "63206",
                "instagram": "2200",
            }[network]
        )
    assert (
        page.locator("section[data-network=bluesky] .pv-tag").first.inner_text() == "#Σεμινάριο2026"
    )
    # Instagram needs an image; the other networks are ready.
    page.locator("section[data-network=instagram] .problem.error").first.wait_for()
    screenshot(page, "composer-seven-networks-live")

    page.set_input_files("input[name=upload]", str(banner))
    page.fill("input[name=upload_alt]", "Το πανό του σεμιναρίου στην είσοδο της Τεχνόπολης.")
    page.click("button[data-save]")
    page.wait_for_url(re.compile(r"/compose/posts/\d+/$"))
    post = Post.objects.get()
    assert post.variants.count() == 7

    instagram = page.locator("section[data-network=instagram]")
    assert "too wide for Instagram" in instagram.locator(".problem.error").first.inner_text()
    assert page.locator("section[data-network=x] .verdict.ok").inner_text() == "ready"
    screenshot(page, "composer-instagram-ratio-problem")

    instagram.locator("button[data-fix]").click()
    page.wait_for_selector("text=The original file is kept.")
    instagram = page.locator("section[data-network=instagram]")
    assert instagram.locator(".problem.error").count() == 0
    assert instagram.locator(".verdict.ok").inner_text() == "ready"
    fixed = MediaItem.objects.exclude(original=None).get()
    assert (fixed.width, fixed.height) == (1146, 600)
    assert MediaItem.objects.filter(original=None).get().width == 1600  # the original is kept
    screenshot(page, "composer-instagram-fixed")

    page.click("button[data-submit-review]")
    page.wait_for_selector("text=Sent for review.")
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW

    # A second person, the manager, approves it.
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    other = context.new_page()
    try:
        sign_in(other, manager.email)
        other.goto(f"/w/{workspace.slug}/compose/posts/{post.pk}/")
        other.fill("textarea[name=note]", "Ωραίο, προχωράμε!")
        other.click("button[data-approve]")
        other.wait_for_selector("text=Approved. The post can now be scheduled.")
        assert other.locator("[data-post-status]").inner_text() == "Approved"
        screenshot(other, "composer-approved-by-manager")
    finally:
        context.close()
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    assert set(post.variants.values_list("status", flat=True)) == {VariantStatus.APPROVED}

    # The editor changes the approved post's theme: the text boxes hold the plain link as
    # written, the networks get tracked links, and the post stays approved at its version.
    revision = post.revision
    page.goto(f"/w/{workspace.slug}/compose/posts/{post.pk}/")
    x_text = page.locator("section[data-network=x] textarea[data-variant-text]")
    assert x_text.input_value() == GREEK
    assert f"{BASE_URL}/r/" in post.variants.get(network="x").text
    page.select_option("select[name=theme]", "countdown")
    page.click("button[data-save]")
    page.wait_for_selector("text=Post saved.")
    post.refresh_from_db()
    assert (post.status, post.revision, post.theme) == (PostStatus.APPROVED, revision, "countdown")
    assert page.locator("[data-post-status]").inner_text() == "Approved"
