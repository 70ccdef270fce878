"""The webhook connector keeps the shared contract (Discord style, whose answers are
documented)."""

from __future__ import annotations

import hashlib

import httpx

from keryx.networks.base import AccountState, ConnectedAccount, Published
from tests.networks.contract import ConnectorContract, Route, Scenario

URL = "https://discord.com/api/webhooks/1345678900000000002/tok-en"
POST = Route("POST", URL + "?wait=true", "discord_message.json", write=True)


def _signed(calls: list[httpx.Request]) -> None:
    (request,) = calls
    assert request.headers["Idempotency-Key"] == "variant-42-attempt-1"
    assert request.headers["X-Keryx-Signature"].startswith("sha256=")
    assert request.headers["X-Keryx-Event"] == "post.publish"


class TestContract(ConnectorContract):
    network = "webhook"
    remote_id = "1345678901234567890"
    account = AccountState(
        network="webhook",
        handle="discord.com",
        base_url="https://discord.com",
        credentials={"url": URL, "secret": "a-shared-secret-of-length", "style": "discord"},
    )
    scenarios = {
        "publish_text": Scenario(
            routes=[POST], expect=Published(remote_id="1345678901234567890"), check=_signed
        ),
        "publish_image": Scenario(routes=[POST], expect=Published(remote_id="1345678901234567890")),
        "publish_link": Scenario(routes=[POST], expect=Published(remote_id="1345678901234567890")),
        "auth_expired": Scenario(
            routes=[Route("POST", URL + "?wait=true", "discord_unknown_webhook.json")]
        ),
        "rate_limited": Scenario(
            routes=[Route("POST", URL + "?wait=true", "discord_rate_limited.json")], expect=65
        ),
        "rejected": Scenario(
            routes=[Route("POST", URL + "?wait=true", "discord_invalid_form_body.json")],
            expect="Invalid Form Body; content: Must be 2000 or fewer in length.",
        ),
        "unavailable": Scenario(
            routes=[Route("POST", URL + "?wait=true", "discord_gateway_unavailable.json")]
        ),
        "verify": Scenario(
            # Check now asks Discord for the webhook itself: nothing is posted.
            routes=[Route("GET", URL, "discord_get_webhook.json")],
            expect=ConnectedAccount(
                remote_id=hashlib.sha256(URL.encode()).hexdigest()[:24],
                name="discord.com",
                handle="discord.com",
            ),
        ),
    }
