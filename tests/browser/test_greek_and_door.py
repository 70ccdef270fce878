"""In Chromium (issue 16): check-in by the code typed from a ticket, Greek search without
accents or capitals, and emoji in post previews drawn in colour, not as empty boxes."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.content.domain.posts import PostInput, post_create
from keryx.networks.models import NetworkAccount
from keryx.registrations.models import Registration
from tests.factories import PASSWORD
from tests.registrations.helpers import publish, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/.+/"))


def test_check_in_by_typed_ticket_code_and_greek_search_without_accents(  # type: ignore[no-untyped-def]
    page, seminar, user
) -> None:
    user.language = "el"
    user.save(update_fields=["language"])
    publish(seminar, user)
    maria = register(seminar, "maria@example.org", name="Μαρία Κωνσταντίνου")
    nikos = register(seminar, "nikos@example.org", name="Νίκος Ράπτης")
    sign_in(page, user.email)
    page.goto(f"/w/{seminar.workspace.slug}/registrations/{seminar.pk}/checkin/")

    # Typed as people type on a phone: no accents, capitals.
    page.fill("#checkin-search", "ΜΑΡΙΑ")
    page.wait_for_selector(f"#checkin-{maria.pk}")
    assert page.locator(f"#checkin-{nikos.pk}").count() == 0
    page.fill("#checkin-search", "μαρια κωνσταντινου")
    page.wait_for_selector(f"#checkin-{maria.pk}")

    # The code printed under the QR, typed by hand, checks Nikos in.
    page.fill("#ticket-token", nikos.ticket_code)
    page.click("#ticket-form button[type=submit]")
    page.wait_for_selector("#checkin-ok")
    page.wait_for_selector("#count-checked-in strong:has-text('1')")
    nikos.refresh_from_db()
    assert nikos.checked_in_at is not None

    # A mistyped code says so in plain words.
    page.fill("#ticket-token", "AAAAAAAAAAAA")
    page.click("#ticket-form button[type=submit]")
    page.wait_for_selector("#checkin-error")
    assert "Κανένα εισιτήριο δεν έχει τον κωδικό AAAAAAAAAAAA" in page.inner_text("#checkin-error")
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 1


def _colourful_pixels(png: bytes) -> int:
    """Pixels whose channels differ clearly: a colour emoji has many, a tofu box none."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for r, g, b in image.getdata() if max(r, g, b) - min(r, g, b) > 60)


def test_emoji_in_a_post_preview_is_drawn_in_colour(page, workspace, seminar, user) -> None:  # type: ignore[no-untyped-def]
    account = NetworkAccount.objects.create(
        workspace=workspace, network="mastodon", name="Σεμινάρια", handle="seminars"
    )
    post = post_create(
        access=workspace_access(user, workspace, Perm.CONTENT_EDIT),
        seminar=seminar,
        data=PostInput(fields={"master_text": "Σας περιμένουμε 🎉"}, account_ids=[account.pk]),
    )
    sign_in(page, user.email)
    page.goto(f"/w/{workspace.slug}/compose/posts/{post.pk}/")
    preview = page.locator(".pv-text").first
    preview.wait_for()
    family = preview.evaluate("el => getComputedStyle(el).fontFamily")
    assert "Noto Color Emoji" in family
    # The emoji alone, in the preview's own font stack.
    box = preview.evaluate(
        """el => { const s = document.createElement('span'); s.id = 'emoji-probe';
                  s.style.fontSize = '48px'; s.textContent = '🎉'; el.appendChild(s);
                  const r = s.getBoundingClientRect(); return [r.width, r.height]; }"""
    )
    assert box[0] > 20 and box[1] > 20
    assert _colourful_pixels(page.locator("#emoji-probe").screenshot()) > 200
