"""Connecting accounts in a real browser: a Bluesky account on the local PDS (handle + app
password + PDS address) and a Mastodon account on mastodon_mock (Keryx's redirect, the
server's own authorisation page, the way back); a wrong app password is refused on the form
without losing what was typed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from keryx.networks.models import AccountStatus, NetworkAccount
from tests.conftest import screenshot

# isort: split
from tests.networks.browser_steps import connect_mastodon, sign_in
from tests.support.mastodon import MOCK_USER, run_mastodon_mock
from tests.support.pds import LocalPds, run_local_pds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def pds() -> Iterator[LocalPds]:
    with run_local_pds(pds_port=2613, plc_port=2612) as server:  # ports of its own
        yield server


@pytest.fixture(scope="module")
def mastodon() -> Iterator[str]:
    with run_mastodon_mock() as base_url:
        yield base_url


def test_connect_bluesky_and_mastodon_from_settings(  # type: ignore[no-untyped-def]
    page, live_server, user, workspace, settings, pds: LocalPds, mastodon: str
) -> None:
    settings.KERYX_ALLOW_PRIVATE_URLS = True
    settings.KERYX_BASE_URL = live_server.url
    handle = f"k{uuid.uuid4().hex[:8]}{pds.handle_domain}"
    created = pds.create_account(handle, "correct-horse-battery")
    app_password = pds.create_app_password(created)

    sign_in(page, user.email)
    page.click("nav.sidenav >> text=Settings")
    page.click("nav.tabs >> text=Connected accounts")
    page.wait_for_selector("h2:has-text('Connected accounts')")
    assert page.locator(".notice").inner_text().startswith("No accounts connected yet.")

    # Bluesky: a wrong app password is refused, the handle and server stay on the form.
    page.click("#connect-bluesky summary")
    page.fill("#connect-bluesky input[name=handle]", handle)
    page.fill("#connect-bluesky input[name=app_password]", "my own password")
    page.fill("#connect-bluesky input[name=pds_url]", pds.pds_url)
    page.click("#connect-bluesky button[type=submit]")
    page.wait_for_selector("#connect-bluesky .errors")
    assert "app password" in page.locator("#connect-bluesky .errors").inner_text()
    assert page.input_value("#connect-bluesky input[name=handle]") == handle
    assert page.input_value("#connect-bluesky input[name=pds_url]") == pds.pds_url

    page.fill("#connect-bluesky input[name=app_password]", app_password)
    page.click("#connect-bluesky button[type=submit]")
    page.wait_for_selector(f"text=Connected Bluesky: @{handle}.")

    connect_mastodon(page, mastodon)

    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert page.locator(".health-connected").count() == 2
    screenshot(page, "networks-connected-accounts")

    accounts = {a.network: a for a in NetworkAccount.objects.filter(workspace=workspace)}
    assert accounts["bluesky"].status == AccountStatus.CONNECTED
    assert accounts["bluesky"].base_url == pds.pds_url
    assert accounts["mastodon"].server_limits["max_characters"] == 500

    # Disconnect asks first, then forgets the keys.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"tr[data-account='{accounts['mastodon'].pk}'] button.danger").click()
    page.wait_for_selector(f"text=Disconnected Mastodon: @{MOCK_USER.username}@127.0.0.1.")
    accounts["mastodon"].refresh_from_db()
    assert (accounts["mastodon"].status, accounts["mastodon"].credentials) == (
        AccountStatus.DISCONNECTED,
        {},
    )
