"""The address networks push to: ``/networks/webhooks/<network>/`` (Meta's handshake and
signed deliveries, LinkedIn's challenge, X's CRC). No session, no CSRF token (the network is
not a browser): the signature is the check, and a bad one is refused (403) and logged."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from keryx.core.ratelimit import client_ip, rate_limit_hit
from keryx.networks.base import BadSignature, Unsupported, WebhookRequest
from keryx.networks.domain.reading import webhook_receive
from keryx.networks.registry import find_spec


@csrf_exempt
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest, network: str) -> HttpResponse:
    found = find_spec(network)
    if found is None or not found.capabilities.webhooks:
        raise Http404
    if (
        rate_limit_hit(f"network-webhook:{network}:{client_ip(request)}", limit=600, window=60)
        > 600
    ):
        return HttpResponse("slow down", status=429, content_type="text/plain")
    inbound = WebhookRequest(
        method=request.method or "GET",
        headers={k.lower(): v for k, v in request.headers.items()},
        query={k: str(request.GET.get(k, "")) for k in request.GET},
        body=request.body,
    )
    try:
        answer = webhook_receive(network, inbound)
    except BadSignature:
        return HttpResponse("bad signature", status=403, content_type="text/plain")
    except Unsupported as exc:
        raise Http404 from exc
    return HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
