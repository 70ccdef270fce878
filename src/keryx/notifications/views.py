from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from keryx.notifications.domain.notify import notifications_mark_read
from keryx.notifications.models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notes = Notification.objects.filter(recipient=request.user).select_related("workspace")  # type: ignore[misc]
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@login_required
def notification_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() else None
    notifications_mark_read(user=request.user, ids=ids)  # type: ignore[arg-type]
    target = request.POST.get("url", "")
    if ids and target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications:list")
