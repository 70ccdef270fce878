"""The test network (benchmarks and tests; never listed), declared like every network."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from keryx.networks.base import Capabilities
from keryx.networks.spec import ConnectForm, NetworkSpec, PublishLimits, rules_with
from keryx.networks.testnet.rules import RULES

CAPABILITIES = Capabilities(
    images=4,
    video=True,
    alt_text=True,
    link_preview=True,
    first_comment=True,
    thread=True,
    idempotency=True,
    idempotency_window=24 * 3600,
    refresh=True,
    connect="form",
    # Paged comments under any post (the sync tests: a sweep killed halfway resumes).
    comments=True,
)

SPEC = NetworkSpec(
    key="testnet",
    name=_("Test network"),
    order=1000,
    rules=rules_with(RULES, CAPABILITIES),
    capabilities=CAPABILITIES,
    # How many publishes may run at once across every account (the benchmark's 10,000 posts).
    limits=PublishLimits(concurrency=64),
    colour="#1f8a70",
    mark="T",
    connect=ConnectForm("form"),
    social=False,
    listed=False,
)
