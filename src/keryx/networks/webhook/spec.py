"""A webhook, as Keryx knows it: one declaration the registry reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from keryx.networks.base import Capabilities
from keryx.networks.rules import CheckOptions
from keryx.networks.spec import (
    AccountPolicy,
    ConnectForm,
    NetworkSpec,
    PublishLimits,
    rules_with,
    server_limit,
)
from keryx.networks.webhook.rules import RULES

CAPABILITIES = Capabilities(
    images=4,
    alt_text=True,
    reply=False,
    delete=False,
    metrics=False,
    conversations=False,
    find_published=False,
    connect="form",
)


def check_options(limits: Mapping[str, Any], policy: AccountPolicy) -> CheckOptions:
    # What the receiver takes (Discord's 2,000 characters), stored when it was connected.
    return CheckOptions(max_length=server_limit(limits, "max_characters"))


SPEC = NetworkSpec(
    key="webhook",
    name=_("Webhook"),
    order=80,
    rules=rules_with(RULES, CAPABILITIES),
    capabilities=CAPABILITIES,
    limits=PublishLimits(concurrency=8),
    colour="#6b7280",
    mark="⇄",
    connect=ConnectForm(
        "form",
        "keryx.networks.forms.WebhookForm",
        reconnect_initial={"name": "name"},
        help=_(
            "Keryx POSTs each post as signed JSON: for Discord, Slack, Teams, Zapier and the like."
        ),
        submit=_("Connect webhook"),
    ),
    check_options=check_options,
    social=False,
)
