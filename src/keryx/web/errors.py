"""Error pages: Django's own handlers render ``403.html``, ``404.html`` and ``500.html`` (the
500 page needs no database and no context processors); the CSRF failure page is this view."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check: say so in the reader's language, with a way back."""
    return render(request, "403_csrf.html", status=403)
