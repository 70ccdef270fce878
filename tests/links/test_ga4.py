"""Forwarding registrations to GA4, against a local HTTP server standing in for
www.google-analytics.com/mp/collect (payload shape from the Measurement Protocol reference)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.core.errors import ValidationFailed
from keryx.links.domain.ga4 import Ga4Data, ga4_event_send, ga4_forwarding_save
from keryx.links.models import Ga4Delivery, Ga4Forwarding
from keryx.registrations.domain.registrations import registration_confirm
from keryx.registrations.domain.tokens import confirm_token_make
from tests.registrations.helpers import publish, register

pytestmark = pytest.mark.django_db


class Collector:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 204


@pytest.fixture
def ga4_endpoint(settings) -> Iterator[Collector]:  # type: ignore[no-untyped-def]
    collector = Collector()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            parts = urlsplit(self.path)
            collector.requests.append(
                {
                    "path": parts.path,
                    "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                    "body": json.loads(body),
                }
            )
            self.send_response(collector.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.KERYX_GA4_ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}/mp/collect"
    yield collector
    server.shutdown()
    server.server_close()


def _forward_to(user, workspace, seminar=None, **fields):  # type: ignore[no-untyped-def]
    access = workspace_access(user, workspace, Perm.ANALYTICS_EDIT)
    data = Ga4Data(measurement_id="G-AB12CD34EF", api_secret="s3cret-value", **fields)
    return ga4_forwarding_save(access=access, seminar=seminar, data=data)


def test_registration_and_confirmation_are_sent_once_each(
    ga4_endpoint, make_link, user, workspace, seminar, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    publish(seminar, user)
    _forward_to(user, workspace)
    link = make_link(network="bluesky", utm_content="post-7")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(seminar, "eleni@example.org", last_touch_code=link.code)
    with django_capture_on_commit_callbacks(execute=True):
        registration_confirm(token=confirm_token_make(registration.public_id), seminar=seminar)
    assert [r["body"]["events"][-1]["name"] for r in ga4_endpoint.requests] == [
        "generate_lead",
        "sign_up",
    ]
    first = ga4_endpoint.requests[0]
    assert first["path"] == "/mp/collect"
    assert first["query"] == {"measurement_id": "G-AB12CD34EF", "api_secret": "s3cret-value"}
    body = first["body"]
    assert body["non_personalized_ads"] is True
    assert body["events"] == [
        {
            "name": "campaign_details",
            "params": {
                "source": "bluesky",
                "medium": "social",
                "campaign": seminar.slug,
                "content": "post-7",
            },
        },
        {
            "name": "generate_lead",
            "params": {
                "seminar": seminar.slug,
                "engagement_time_msec": 1,
                "link_code": link.code,
                "network": "bluesky",
            },
        },
    ]
    number, stamp = body["client_id"].split(".")
    assert number.isdigit() and stamp == str(int(registration.created_at.timestamp()))
    assert "eleni" not in json.dumps(ga4_endpoint.requests)  # no personal data
    # A task that runs again sends nothing more.
    ga4_event_send(registration_id=registration.pk, event="created")
    assert len(ga4_endpoint.requests) == 2
    assert (
        Ga4Delivery.objects.filter(registration_id=registration.pk, sent_at__isnull=False).count()
        == 2
    )


def test_nothing_is_sent_without_a_setting_or_when_paused(
    ga4_endpoint, user, workspace, seminar, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    publish(seminar, user)
    with django_capture_on_commit_callbacks(execute=True):
        register(seminar, "a@example.org")
    _forward_to(user, workspace, seminar=seminar, enabled=False)
    _forward_to(user, workspace)  # the workspace forwards, but this seminar is paused
    with django_capture_on_commit_callbacks(execute=True):
        register(seminar, "b@example.org")
    assert ga4_endpoint.requests == []


def test_a_refusal_by_ga4_is_recorded_and_not_retried(
    ga4_endpoint, user, workspace, seminar, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    publish(seminar, user)
    _forward_to(user, workspace)
    ga4_endpoint.status = 400
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(seminar, "a@example.org")
    delivery = Ga4Delivery.objects.get(registration_id=registration.pk, event="created")
    assert (delivery.status, delivery.sent_at, delivery.error[:8]) == (400, None, "HTTP 400")
    ga4_event_send(registration_id=registration.pk, event="created")
    assert len(ga4_endpoint.requests) == 1


def test_the_setting_needs_a_measurement_id_and_a_secret_stored_encrypted(user, workspace) -> None:  # type: ignore[no-untyped-def]
    access = workspace_access(user, workspace, Perm.ANALYTICS_EDIT)
    with pytest.raises(ValidationFailed) as caught:
        ga4_forwarding_save(access=access, seminar=None, data=Ga4Data(measurement_id="UA-1"))
    assert set(caught.value.fields) == {"measurement_id", "api_secret"}
    saved = _forward_to(user, workspace)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT api_secret FROM links_ga4forwarding WHERE id = %s", [saved.pk])
        stored = cursor.fetchone()[0]
    assert "s3cret" not in stored
    assert Ga4Forwarding.objects.get(pk=saved.pk).api_secret == "s3cret-value"
    # Changing it without a new secret keeps the old one.
    ga4_forwarding_save(
        access=access, seminar=None, data=Ga4Data(measurement_id="G-ZZ99ZZ99", api_secret="")
    )
    assert Ga4Forwarding.objects.get(pk=saved.pk).api_secret == "s3cret-value"
