"""The composer in Chromium: a new post shows no problems before anything is typed; the network
versions are tabs whose titles carry each network's counter."""

from __future__ import annotations

import pytest

from tests.conftest import screenshot
from tests.content.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_problems_before_typing_and_tabs_with_counters(page, editor, seminar, accounts) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, editor.email)
    page.goto(f"/w/{seminar.workspace.slug}/compose/new/")
    page.wait_for_selector("[data-variant-tabs]")
    # Empty text and no image: problems exist, but none is shown before the user types.
    assert page.locator("form.composer.pristine").count() == 1
    assert page.locator(".problem.error:visible").count() == 0

    page.fill("textarea[data-master]", "Καλημέρα από την Τεχνόπολη!")
    x_tab = page.locator(f"[data-tab='{accounts['x'].pk}']")
    x_tab.locator("[data-tab-count]").filter(has_text="27/280").wait_for()
    instagram = page.locator("section[data-network=instagram]")
    instagram.locator(".problem.error").first.wait_for()  # needs an image: shown now
    assert "bad" in (
        page.locator(f"[data-tab='{accounts['instagram'].pk}']").get_attribute("class") or ""
    )

    x_tab.click()
    assert page.locator("section.variant:visible").count() == 1
    assert page.locator("section[data-network=x]").is_visible()
    screenshot(page, "composer-tabs-x")
    page.click("[data-tab='all']")
    assert page.locator("section.variant:visible").count() == 7

    page.uncheck(f"[data-account-toggle='{accounts['x'].pk}']")
    assert x_tab.is_hidden()
