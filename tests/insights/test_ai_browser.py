"""AI drafting in a real browser, in Greek, against the fake OpenAI-compatible server: the
composer's panel translates and rewrites for X within its limit, nothing changes until "Use
this suggestion", the prompt is shown, and a timeout is said in words while the text stays as
typed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from tests.conftest import screenshot
from tests.factories import PASSWORD
from tests.publishing.factories import make_account
from tests.support.fake_openai import SHORT, FakeOpenAI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fake(settings: Any) -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        settings.KERYX_AI_URL = server.url
        settings.KERYX_AI_MODEL = "fake-model"
        settings.KERYX_AI_TIMEOUT = 1.0
        cache.clear()
        yield server


def _sign_in(page: Any, user: Any) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/.+/"))


def test_composer_ai_panel_suggests_and_only_a_click_changes_the_post(
    page: Any, fake: FakeOpenAI, user: Any, workspace: Any, seminar: Any, live_server: Any
) -> None:
    account = make_account(workspace, network="x", name="seminar")
    page.context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "el", "url": live_server.url}]
    )
    _sign_in(page, user)
    page.goto(f"/w/{workspace.slug}/compose/new/?seminar={seminar.pk}")
    page.check(f"[data-account-toggle='{account.pk}']")
    master = page.locator("[data-master]")
    master.fill("Ελάτε στο σεμινάριο!")
    page.click("[data-ai-panel] summary")
    assert "οι τίτλοι των ενοτήτων του προγράμματος" in page.inner_text("[data-ai-panel] .help")

    page.click("[data-ai-action=translate]")
    page.wait_for_selector("[data-ai-suggestion]:not([hidden])")
    assert page.input_value("[data-ai-text]").startswith("Join us at the seminar")
    assert master.input_value() == "Ελάτε στο σεμινάριο!"  # nothing changed yet
    page.click("[data-ai-prompt-box] summary")
    assert "Task: translate this social media post from Greek into English" in page.inner_text(
        "[data-ai-prompt]"
    )
    page.click("[data-ai-use]")
    assert master.input_value() == (
        "Ελάτε στο σεμινάριο!\n\nJoin us at the seminar on digital marketing! #Σεμινάριο2026"
    )

    fake.overlong_rewrites = 1
    page.select_option("[data-ai-target]", f"account:{account.pk}")
    page.click("[data-ai-action=rewrite]")
    page.wait_for_selector("[data-ai-check].good")
    assert page.input_value("[data-ai-text]") == SHORT
    assert page.inner_text("[data-ai-check]") == f"Χωράει: {len(SHORT)} από 280."
    page.click("[data-ai-use]")
    assert page.input_value(f"#v{account.pk}-text") == SHORT
    screenshot(page, "insights-ai-panel")

    fake.mode = "slow"
    before = master.input_value()
    page.click("[data-ai-action=hashtags]")
    page.wait_for_selector("[data-ai-status].error")
    assert page.inner_text("[data-ai-status]").startswith(
        "Ο διακομιστής ΤΝ δεν απάντησε μέσα σε 1 δευτερόλεπτο. Δεν άλλαξε τίποτα"
    )
    assert master.input_value() == before
