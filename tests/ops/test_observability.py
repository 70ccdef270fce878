"""/healthz, /readyz, /metrics and the JSON log format."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.test import Client
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.core.logs import JsonFormatter
from keryx.links.domain.links import LinkData, tracked_link_create
from keryx.links.models import Click

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_anything(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_readyz_names_each_dependency() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["queue"] == "ok"


def test_readyz_is_503_and_says_which_when_redis_does_not_answer(settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] == "ConnectionError"


def test_metrics_does_not_exist_without_a_token(settings) -> None:
    settings.KERYX_METRICS_TOKEN = ""
    assert Client().get("/metrics").status_code == 404


def test_metrics_refuses_a_wrong_token(settings) -> None:
    settings.KERYX_METRICS_TOKEN = "s3cret-metrics-token"
    assert Client().get("/metrics").status_code == 401
    response = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def _sample(text: str, name: str, **labels: str) -> float | None:
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{key}="{value}"' in line for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_count_requests_clicks_and_queue(settings, user, workspace, seminar) -> None:
    settings.KERYX_METRICS_TOKEN = "s3cret-metrics-token"
    auth = {"HTTP_AUTHORIZATION": "Bearer s3cret-metrics-token"}
    client = Client()

    before = client.get("/metrics", **auth).content.decode()
    healthz_before = _sample(before, "keryx_http_requests_total", view="healthz") or 0.0
    client.get("/healthz")
    client.get("/healthz")

    access = workspace_access(user, workspace, Perm.LINKS_EDIT)
    link = tracked_link_create(access=access, seminar=seminar, data=LinkData(network="bluesky"))
    Click.objects.bulk_create(
        [Click(link=link, at=timezone.now(), kind="human") for _ in range(3)]
        + [Click(link=link, at=timezone.now(), kind="bot", agent="head")]
    )

    response = client.get("/metrics", **auth)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert _sample(text, "keryx_http_requests_total", view="healthz", status="2xx") == (
        healthz_before + 2
    )
    assert _sample(text, "keryx_clicks_written", kind="human") == 3.0
    assert _sample(text, "keryx_clicks_written", kind="bot") == 1.0
    assert _sample(text, "keryx_queue_depth") is not None
    assert "keryx_http_request_duration_seconds_bucket" in text


def test_json_log_lines_carry_the_extras() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("keryx.test.jsonlogs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("variant %s held", 42, extra={"variant_id": 42})
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines() if line[:1] == "{")
    assert first["message"] == "variant 42 held"
    assert first["level"] == "WARNING"
    assert first["variant_id"] == 42
    assert first["time"].endswith("+00:00")
    assert "RuntimeError: boom" in second["exception"]
