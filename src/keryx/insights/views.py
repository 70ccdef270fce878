"""Listening pages: trending now (hashtags and terms bursting above their baseline, topics to
post about with their evidence, keyword ideas), the mood of recent texts, alerts and crisis
mode, and the alert settings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import KeryxError
from keryx.insights import queries
from keryx.insights.domain.crisis_mode import crisis_mode_start, crisis_summary
from keryx.insights.domain.keywords import keyword_suggestions
from keryx.insights.domain.settings import listening_settings_of, listening_settings_save
from keryx.insights.domain.trends import topic_suggestions, trending
from keryx.insights.forms import ListeningSettingsForm
from keryx.seminars.queries import seminars_in
from keryx.web.access import area
from keryx.web.forms import apply_error

KEY = "listening"


@area(Perm.INBOX_VIEW, key=KEY)
def trending_now(request: HttpRequest, access: Access) -> HttpResponse:
    seminars = list(seminars_in(access)) if access.can(Perm.SEMINAR_VIEW) else []
    raw = request.GET.get("seminar", "")
    seminar = next((s for s in seminars if str(s.pk) == raw), None)
    texts = queries.texts_of(access, seminar)
    now = timezone.now()
    trends = trending(texts, now=now)
    day = texts.filter(posted_at__gt=now - dt.timedelta(hours=24))
    keywords = (
        keyword_suggestions(
            description=f"{seminar.title}. {seminar.summary}\n{seminar.description}",
            language=seminar.language,
            trends=trends,
        )
        if seminar is not None
        else []
    )
    alerts = list(queries.alerts_of(access)[:10])
    return render(
        request,
        "insights/trending.html",
        {
            "access": access,
            "seminars": seminars,
            "seminar": seminar,
            "trends": trends,
            "topics": topic_suggestions(trends),
            "keywords": keywords,
            "mood": queries.mood_of(day),
            "alerts": alerts,
            "can_crisis": access.can(Perm.PUBLISH_PAUSE) and access.can(Perm.CONTENT_EDIT),
            "can_settings": access.can(Perm.WORKSPACE_MANAGE),
        },
    )


@area(Perm.INBOX_VIEW, key=KEY)
def alert_detail(request: HttpRequest, access: Access, alert_id: int) -> HttpResponse:
    alert = queries.alerts_of(access).filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    return render(
        request,
        "insights/alert.html",
        {
            "access": access,
            "alert": alert,
            "summary": crisis_summary(access=access, alert=alert),
            "can_crisis": access.can(Perm.PUBLISH_PAUSE) and access.can(Perm.CONTENT_EDIT),
        },
    )


@require_POST
@area(Perm.PUBLISH_PAUSE, key=KEY)
def crisis_mode(request: HttpRequest, access: Access, alert_id: int) -> HttpResponse:
    alert = queries.alerts_of(access).filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    try:
        crisis_mode_start(access=access, alert=alert)
    except KeryxError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Crisis mode is on: scheduled posts are paused and the holding statement "
                "waits for approval."
            ),
        )
    return redirect("insights:alert", workspace=access.workspace.slug, alert_id=alert.pk)


@area(Perm.WORKSPACE_MANAGE, key=KEY)
def alert_settings(request: HttpRequest, access: Access) -> HttpResponse:
    current = listening_settings_of(access)
    form = ListeningSettingsForm(
        request.POST or None,
        initial={"webhook_url": current.webhook_url, "alert_spikes": current.alert_spikes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            listening_settings_save(
                access=access,
                webhook_url=form.cleaned_data["webhook_url"] or "",
                alert_spikes=bool(form.cleaned_data["alert_spikes"]),
            )
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Alert settings saved."))
            return redirect("insights:trending", workspace=access.workspace.slug)
    return render(request, "insights/settings.html", {"access": access, "form": form})
