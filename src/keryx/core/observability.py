"""Health, readiness and Prometheus metrics (docs/operations.md, "Watching it run").

* ``/healthz`` answers 200 while the process can answer at all; it touches nothing else.
* ``/readyz`` answers 200 when the database, the task queue and (in the scaled shape) Redis
  answer, 503 naming what does not.
* ``/metrics`` is the Prometheus text format, behind ``KERYX_METRICS_TOKEN`` (a bearer token;
  unset, the endpoint does not exist). Request counts and durations are counted in the web
  process; everything that other processes do (publishing outcomes, clicks written, e-mails sent,
  the queue's depth) is read from the database or the queue when the page is scraped, so it is
  the same whichever process answers.

Apps add their own figures with :func:`register_gauge` from their ``AppConfig.ready``; core
imports no other app.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

# One registry of our own: the default one also carries the process collectors, which we add
# explicitly so a test can read exactly what Keryx exports.
REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "keryx_http_requests",
    "HTTP requests answered by this web process, by view and status class.",
    ["view", "method", "status"],
    registry=REGISTRY,
)
REQUEST_SECONDS = Histogram(
    "keryx_http_request_duration_seconds",
    "Time to answer an HTTP request in this web process.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)

# (labels, value) rows read at scrape time.
GaugeRows = Iterable[tuple[dict[str, str], float]]


@dataclass(frozen=True)
class _Gauge:
    name: str
    documentation: str
    labels: tuple[str, ...]
    read: Callable[[], GaugeRows]


_GAUGES: dict[str, _Gauge] = {}


def register_gauge(
    name: str,
    documentation: str,
    read: Callable[[], GaugeRows],
    *,
    labels: tuple[str, ...] = (),
) -> None:
    """A figure read when ``/metrics`` is scraped: ``read()`` yields ``(labels, value)`` rows."""
    _GAUGES[name] = _Gauge(name, documentation, labels, read)


class _ScrapeTimeCollector(Collector):
    def collect(self) -> Iterable[Metric]:
        for gauge in list(_GAUGES.values()):
            family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=list(gauge.labels))
            try:
                for labels, value in gauge.read():
                    family.add_metric([labels.get(label, "") for label in gauge.labels], value)
            except Exception:  # a broken figure must not hide the others
                log.exception("metrics: reading %s failed", gauge.name)
                continue
            yield family


REGISTRY.register(_ScrapeTimeCollector())


def _queue_rows() -> GaugeRows:
    from huey.contrib.djhuey import HUEY

    yield {}, float(HUEY.pending_count())


register_gauge("keryx_queue_depth", "Tasks waiting in the task queue.", _queue_rows)


# --- request metrics ------------------------------------------------------------------------


class RequestMetricsMiddleware:
    """Counts each request by the name of the view that answered it (never by raw path)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        REQUESTS.labels(view, request.method or "", f"{response.status_code // 100}xx").inc()
        REQUEST_SECONDS.labels(view).observe(time.perf_counter() - started)
        return response


# --- the three endpoints --------------------------------------------------------------------


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_queue() -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.pending_count()


def _check_redis() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def readiness() -> dict[str, str]:
    """Each dependency with "ok" or what went wrong (without secrets)."""
    checks: dict[str, Callable[[], None]] = {"database": _check_database, "queue": _check_queue}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:
            results[name] = type(exc).__name__
        else:
            results[name] = "ok"
    return results


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    results = readiness()
    ready = all(value == "ok" for value in results.values())
    return JsonResponse({"ready": ready, "checks": results}, status=200 if ready else 503)


def _token_matches(request: HttpRequest, token: str) -> bool:
    header = request.headers.get("Authorization", "")
    given = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.KERYX_METRICS_TOKEN
    if not token:
        return HttpResponse(status=404)
    if not _token_matches(request, token):
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry_for_scrape()), content_type=CONTENT_TYPE_LATEST)


def _registry_for_scrape() -> Any:
    """With PROMETHEUS_MULTIPROC_DIR set, request figures are summed over all web workers."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined)
    combined.register(_ScrapeTimeCollector())
    return combined
