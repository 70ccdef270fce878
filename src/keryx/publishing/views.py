"""The Calendar area."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.web.access import area


@area(Perm.CONTENT_VIEW, key="calendar")
def calendar(request: HttpRequest, access: Access) -> HttpResponse:
    return render(request, "publishing/calendar.html", {"access": access})
