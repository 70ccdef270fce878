"""Steps the networks' browser tests share: signing in, connecting a Mastodon account."""

from __future__ import annotations

import re
from typing import Any

from tests.factories import PASSWORD
from tests.support.mastodon import MOCK_USER


def sign_in(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/w/.+/"))


def connect_mastodon(page: Any, mastodon: str) -> None:
    """On Settings → Connected accounts: the server's address, its own page, then back."""
    page.click("#connect-mastodon summary")
    page.fill("#connect-mastodon input[name=base_url]", mastodon)
    page.click("#connect-mastodon button[type=submit]")
    page.wait_for_url(re.compile(re.escape(mastodon) + r"/oauth/authorize\?"))
    page.click(f"button[value={MOCK_USER.username}]")
    page.wait_for_selector(f"text=Connected Mastodon: @{MOCK_USER.username}@127.0.0.1.")
