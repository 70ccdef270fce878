from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from keryx.networks.domain.accounts import account_health
from keryx.networks.models import NetworkAccount


class HealthOut(Schema):
    state: str = Field(description="connected | expiring | reconnect_needed | disconnected")
    label: str
    detail: str
    days_left: int | None


class NetworkAccountOut(Schema):
    """A connected account. Its credentials are never shown."""

    id: int
    network: str
    name: str
    handle: str
    profile_url: str
    avatar_url: str
    base_url: str
    status: str
    status_message: str
    token_expires_at: dt.datetime | None
    last_checked_at: dt.datetime | None
    server_limits: dict[str, Any]
    health: HealthOut
    created_at: dt.datetime

    @staticmethod
    def resolve_health(obj: NetworkAccount) -> dict[str, Any]:
        health = account_health(obj)
        return {
            "state": health.state,
            "label": str(health.label),
            "detail": str(health.detail),
            "days_left": health.days_left,
        }


class ConnectIn(Schema):
    """Connect an account that signs in with a form (OAuth networks connect in the browser:
    Settings → Connected accounts)."""

    network: Literal["bluesky", "webhook"]
    # Bluesky
    handle: str = Field("", max_length=253, description="Bluesky: e.g. seminar.bsky.social")
    app_password: str = Field("", max_length=100, description="Bluesky: an app password")
    pds_url: str = Field("", max_length=200, description="Bluesky: the PDS (default bsky.social)")
    # Webhook
    name: str = Field("", max_length=200, description="Webhook: a name for people")
    url: str = Field("", max_length=1000, description="Webhook: the receiver's URL")
    style: Literal["generic", "discord", "slack", "teams"] = "generic"
    secret: str = Field("", max_length=200, description="Webhook: the signing secret")
