"""Metric snapshots over time for published posts: hourly under 48 hours, daily to day 30,
then frozen; one request per account and batch; what the network does not give stays empty."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
import respx
from django.utils import timezone

from keryx.content.enums import VariantStatus
from keryx.networks.models import MetricSnapshot
from keryx.publishing.domain.metrics import metrics_poll
from tests.networks.contract import load_fixture
from tests.publishing.factories import make_account, make_post, make_variant

pytestmark = pytest.mark.django_db

BASE = "https://mastodon.social"


def test_due_posts_are_measured_in_one_request_and_old_ones_are_frozen(
    seminar: Any, user: Any
) -> None:
    now = timezone.now()
    account = make_account(seminar.workspace, network="mastodon", base_url=BASE, name="m")
    post = make_post(seminar, user)
    (status,) = load_fixture("mastodon", "statuses_batch.json")["body"]
    make_variant(
        post,
        account,
        status=VariantStatus.PUBLISHED,
        remote_id=status["id"],
        published_at=now - dt.timedelta(hours=2),
    )
    make_variant(  # 40 days old: frozen, never asked for again
        make_post(seminar, user),
        account,
        status=VariantStatus.PUBLISHED,
        remote_id="103254962155270000",
        published_at=now - dt.timedelta(days=40),
    )
    with respx.mock as router:
        route = router.get(f"{BASE}/api/v1/statuses").mock(
            return_value=httpx.Response(200, json=[status])
        )
        assert metrics_poll(now=now) == 1
        assert metrics_poll(now=now + dt.timedelta(minutes=30)) == 0  # not due yet
        assert metrics_poll(now=now + dt.timedelta(minutes=61)) == 1  # hourly
        assert route.call_count == 2
        assert route.calls[0].request.url.params.get_list("id[]") == [status["id"]]
    snapshots = list(MetricSnapshot.objects.values_list("likes", "shares", "comments", "reach"))
    assert snapshots == [(112, 98, 7, None), (112, 98, 7, None)]
