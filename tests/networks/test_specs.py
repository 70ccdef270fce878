"""One self-describing package per network (issue 12): the registry is the one list, the
layout keeps network names out of code outside the network packages, and the composer and
``Connector.validate`` take one code path for an account's own limits."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from keryx.content.domain.checks import options_for
from keryx.content.models import ContentPolicy
from keryx.networks.base import AccountState, PublishRequest
from keryx.networks.models import NetworkAccount
from keryx.networks.registry import connector_class, network_choices, network_keys, spec

SRC = Path(__file__).resolve().parents[2] / "src" / "keryx"


def test_the_registry_is_the_one_list_of_networks() -> None:
    assert network_keys() == (
        "facebook", "instagram", "linkedin", "x", "threads", "mastodon", "bluesky", "webhook",
    )  # fmt: skip
    assert network_keys(listed=False)[-1] == "testnet"
    assert [k for k, _name in network_choices(social=True)] == list(network_keys())[:-1]
    assert str(spec("webhook").name) == "Webhook"


def test_no_code_outside_a_network_package_branches_on_a_network() -> None:
    """``grep -rn "network ==" src/keryx --include=*.py`` outside networks/<name>/."""
    found = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if re.match(r"networks/[a-z_]+/", relative):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "network ==" in line:
                found.append(f"{relative}:{number}")
    assert found == []


@pytest.mark.django_db
def test_the_composer_and_the_connector_read_an_accounts_limits_the_same_way(
    workspace: Any,
) -> None:
    limits = {"configuration": {"statuses": {"max_characters": 1000}}}
    account = NetworkAccount(workspace=workspace, network="mastodon", server_limits=limits)
    composer = options_for(account, ContentPolicy(workspace=workspace))
    connector = connector_class("mastodon")(AccountState(network="mastodon", server_limits=limits))
    assert connector.check_options() == composer
    assert composer.mastodon_max_characters == 1000
    check = connector.validate(PublishRequest(text="α" * 900))
    assert (check.valid, check.limit) == (True, 1000)
