"""Core's public pages: leaving a mailing list (the outbox's unsubscribe link)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from keryx.core.domain.outbox import (
    is_unsubscribed,
    list_label,
    outbox_unsubscribe,
    unsubscribe_parse,
)


@csrf_exempt  # the signed token is the credential; mail clients POST without a form (RFC 8058)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    parsed = unsubscribe_parse(token)
    if parsed is None:
        return render(request, "core/unsubscribe.html", {"state": "invalid"}, status=404)
    email, list_key = parsed
    context = {"email": email, "list": list_label(list_key)}
    if request.method == "POST":
        outbox_unsubscribe(email=email, list_key=list_key)
        return render(request, "core/unsubscribe.html", {**context, "state": "done"})
    state = "done" if is_unsubscribed(email, list_key) else "ask"
    return render(request, "core/unsubscribe.html", {**context, "state": state})
