"""The "Links and funnel" pages (Analytics area): links per seminar with the UTM builder,
one link with its QR code, the funnel, and the GA4 setting."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import KeryxError
from keryx.links import queries
from keryx.links.attribution import registration_model
from keryx.links.domain.ga4 import ga4_forwarding_delete, ga4_forwarding_save
from keryx.links.domain.links import tracked_link_create, tracked_link_delete, tracked_link_update
from keryx.links.domain.utm import all_channel_defaults, seminar_page_url
from keryx.links.enums import ClickKind, Touch
from keryx.links.forms import Ga4Form, LinkForm, TouchForm
from keryx.links.funnel import funnel_of
from keryx.links.models import Click
from keryx.links.qr import FORMATS, qr_image
from keryx.seminars.queries import seminar_in, seminars_in
from keryx.web.access import area
from keryx.web.forms import apply_error

KEY = "analytics"


@area(Perm.LINKS_VIEW, key=KEY)
def analytics(request: HttpRequest, access: Access) -> HttpResponse:
    """Every seminar with its headline numbers, leading to its links and funnel."""
    seminars = list(seminars_in(access).annotate(link_count=Count("tracked_links")))
    clicks = dict(
        Click.objects.filter(link__workspace=access.workspace, kind=ClickKind.HUMAN)
        .values_list("link__seminar")
        .annotate(n=Count("pk"))
        .order_by()
    )
    model = registration_model()
    conversions = (
        {
            row["seminar"]: row
            for row in model._default_manager.filter(seminar__workspace=access.workspace)
            .values("seminar")
            .annotate(
                registrations=Count("pk"),
                check_ins=Count("pk", filter=Q(checked_in_at__isnull=False)),
            )
            .order_by()
        }
        if model is not None
        else {}
    )
    rows = [
        {
            "seminar": s,
            "links": s.link_count,
            "clicks": clicks.get(s.pk, 0),
            "registrations": conversions.get(s.pk, {}).get("registrations", 0),
            "check_ins": conversions.get(s.pk, {}).get("check_ins", 0),
        }
        for s in seminars
    ]
    return render(
        request,
        "links/analytics.html",
        {"access": access, "rows": rows, "can_ga4": access.can(Perm.ANALYTICS_EDIT)},
    )


@area(Perm.LINKS_VIEW, key=KEY)
def link_list(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    can_edit = access.can(Perm.LINKS_EDIT)
    form = LinkForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                link = tracked_link_create(
                    access=access, seminar=seminar, data=form.link_data(creating=True)
                )
            except KeryxError as exc:
                apply_error(form, exc)
            else:
                messages.success(
                    request, _("Tracked link %(url)s created.") % {"url": link.short_url}
                )
                return redirect(
                    "links:detail",
                    workspace=access.workspace.slug,
                    seminar_id=seminar.pk,
                    link_id=link.pk,
                )
    return render(
        request,
        "links/list.html",
        {
            "access": access,
            "seminar": seminar,
            "links": queries.links_of(access, seminar),
            "form": form,
            "can_edit": can_edit,
            "utm_defaults": all_channel_defaults(seminar_slug=seminar.slug),
            "seminar_page": seminar_page_url(seminar.slug),
            "tab": "links",
        },
    )


@area(Perm.LINKS_VIEW, key=KEY)
def link_detail(
    request: HttpRequest, access: Access, seminar_id: int, link_id: int
) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    link = queries.link_in(access, link_id, seminar=seminar)
    can_edit = access.can(Perm.LINKS_EDIT)
    form = LinkForm.for_link(link, request.POST or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                tracked_link_update(access=access, link=link, data=form.link_data(creating=False))
            except KeryxError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Link saved. Its short address is unchanged."))
                return redirect(
                    "links:detail",
                    workspace=access.workspace.slug,
                    seminar_id=seminar.pk,
                    link_id=link.pk,
                )
    days = queries.clicks_by_day(link, time_zone=seminar.time_zone)
    chart = {
        # Days in the reader's language ("20 Νοεμβρίου", "20 November").
        "labels": [date_format(row["day"], "MONTH_DAY_FORMAT") for row in days],
        "datasets": [
            {"key": "human", "label": _("Clicks (people)"), "data": [r["human"] for r in days]},
            {
                "key": "visitors",
                "label": _("Unique visitors"),
                "data": [r["visitors"] for r in days],
            },
            {
                "key": "preview",
                "label": _("Previews and bots"),
                "data": [r["preview"] + r["bot"] for r in days],
            },
        ],
    }
    return render(
        request,
        "links/detail.html",
        {
            "access": access,
            "seminar": seminar,
            "link": link,
            "form": form,
            "can_edit": can_edit,
            "chart": chart,
            "referrers": queries.top_referrers(link),
            "agents": queries.top_agents(link),
            "utm_defaults": all_channel_defaults(seminar_slug=seminar.slug),
            "tab": "links",
        },
    )


@require_POST
@area(Perm.LINKS_EDIT, key=KEY)
def link_delete(
    request: HttpRequest, access: Access, seminar_id: int, link_id: int
) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    link = queries.link_in(access, link_id, seminar=seminar)
    tracked_link_delete(access=access, link=link)
    messages.success(request, _("Link %(url)s deleted.") % {"url": link.short_url})
    return redirect("links:list", workspace=access.workspace.slug, seminar_id=seminar.pk)


@area(Perm.LINKS_VIEW, key=KEY)
def link_qr(
    request: HttpRequest, access: Access, seminar_id: int, link_id: int, fmt: str
) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    seminar = seminar_in(access, seminar_id)
    link = queries.link_in(access, link_id, seminar=seminar)
    response = HttpResponse(qr_image(link.short_url, fmt), content_type=FORMATS[fmt])
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="keryx-{link.code}.{fmt}"'
    return response


@area(Perm.LINKS_VIEW, key=KEY)
def funnel(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    touch_form = TouchForm(request.GET or None)
    touch = Touch.LAST.value
    if touch_form.is_valid() and touch_form.cleaned_data["touch"]:
        touch = touch_form.cleaned_data["touch"]
    result = funnel_of(access, seminar, touch=touch)
    return render(
        request,
        "links/funnel.html",
        {
            "access": access,
            "seminar": seminar,
            "funnel": result,
            "chart": result.chart(),
            "stages": result.stages(),
            "touch_form": touch_form,
            "touch": touch,
            "tab": "funnel",
        },
    )


@area(Perm.ANALYTICS_EDIT, key=KEY)
def ga4_settings(request: HttpRequest, access: Access) -> HttpResponse:
    seminars = list(seminars_in(access))
    forwardings = queries.ga4_forwardings_of(access)
    if request.method == "POST" and request.POST.get("delete"):
        raw_id = request.POST.get("delete", "")
        target = forwardings.filter(pk=int(raw_id)).first() if raw_id.isdigit() else None
        if target is None:
            raise Http404
        ga4_forwarding_delete(access=access, forwarding=target)
        messages.success(request, _("GA4 forwarding removed."))
        return redirect("links:ga4", workspace=access.workspace.slug)
    form = Ga4Form(request.POST or None, seminars=seminars)
    if request.method == "POST" and form.is_valid():
        try:
            ga4_forwarding_save(access=access, seminar=form.chosen_seminar(), data=form.ga4_data())
        except KeryxError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("GA4 forwarding saved."))
            return redirect("links:ga4", workspace=access.workspace.slug)
    return render(
        request,
        "links/ga4.html",
        {"access": access, "form": form, "forwardings": forwardings},
    )
