from __future__ import annotations

import pytest

from tests.support.testnet import TestNet


@pytest.fixture(scope="session")
def testnet_server():  # type: ignore[no-untyped-def]
    with TestNet() as server:
        yield server


@pytest.fixture
def testnet(testnet_server, settings):  # type: ignore[no-untyped-def]
    """The test network, emptied, well-behaved and enabled for this test."""
    settings.KERYX_ENABLE_TEST_NETWORK = True
    testnet_server.reset()
    testnet_server.configure(
        latency_ms=0, fail_percent=0, timeout_percent=0, rate_limit_percent=0, hang_seconds=1.5
    )
    return testnet_server


@pytest.fixture
def account(workspace, testnet):  # type: ignore[no-untyped-def]
    from tests.publishing.factories import make_account

    return make_account(workspace, base_url=testnet.url, server_limits={"timeout_seconds": 1.0})
