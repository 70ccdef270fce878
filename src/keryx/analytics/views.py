"""The Analytics area: seminars with their KPIs, the seminar dashboard with CSV downloads of
its charts, and ad campaigns with their imported results. Thin: the presenters build the data."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.analytics import queries
from keryx.analytics.audience import audience_charts
from keryx.analytics.domain.ab import compare_variants
from keryx.analytics.domain.abtests import (
    ab_results,
    ab_test_create,
    ab_winner_declare,
    ab_winner_use,
)
from keryx.analytics.domain.campaigns import campaign_create
from keryx.analytics.domain.meta_import import meta_access_save, meta_insights_import
from keryx.analytics.domain.rollups import rollups_ensure
from keryx.analytics.forms import AbForm, AbTestForm, CampaignForm, ImportForm, MetaAdsForm
from keryx.analytics.funnel import By, by_labels, funnel_view, step_labels
from keryx.analytics.importers import ImportProblem, import_results
from keryx.analytics.models import MetaAdsAccess
from keryx.analytics.presenters import dashboard_of
from keryx.analytics.reporting import campaign_report
from keryx.content.models import Variant
from keryx.core.errors import KeryxError
from keryx.seminars.queries import seminar_in, seminars_in
from keryx.web.access import area
from keryx.web.forms import apply_error

KEY = "analytics"


@area(Perm.ANALYTICS_VIEW, key=KEY)
def home(request: HttpRequest, access: Access) -> HttpResponse:
    return render(
        request, "analytics/home.html", {"access": access, "seminars": list(seminars_in(access))}
    )


@area(Perm.ANALYTICS_VIEW, key=KEY)
def dashboard(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    return render(
        request,
        "analytics/dashboard.html",
        {"access": access, "seminar": seminar, "board": dashboard_of(access, seminar)},
    )


@area(Perm.ANALYTICS_VIEW, key=KEY)
def chart_csv(request: HttpRequest, access: Access, seminar_id: int, chart: str) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    found = dashboard_of(access, seminar).charts.get(chart)
    if found is None:
        raise Http404
    response = HttpResponse(found.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{seminar.slug}-{chart}.csv"'
    return response


@area(Perm.ANALYTICS_VIEW, key=KEY)
def campaigns(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    can_edit = access.can(Perm.ANALYTICS_EDIT)
    form = CampaignForm(request.POST or None, seminar=seminar) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                campaign = campaign_create(access=access, seminar=seminar, data=form.data_out())
            except KeryxError as exc:
                apply_error(form, exc)
            else:
                messages.success(
                    request, _("Campaign “%(name)s” created.") % {"name": campaign.name}
                )
                return redirect(
                    "analytics:campaign",
                    workspace=access.workspace.slug,
                    seminar_id=seminar.pk,
                    campaign_id=campaign.pk,
                )
    rows = [campaign_report(c) for c in queries.campaigns_of(access, seminar)]
    return render(
        request,
        "analytics/campaigns.html",
        {"access": access, "seminar": seminar, "rows": rows, "form": form, "can_edit": can_edit},
    )


@area(Perm.ANALYTICS_VIEW, key=KEY)
def campaign_detail(
    request: HttpRequest, access: Access, seminar_id: int, campaign_id: int
) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    campaign = queries.campaign_in(access, seminar, campaign_id)
    can_edit = access.can(Perm.ANALYTICS_EDIT)
    meta_access = MetaAdsAccess.objects.filter(workspace=access.workspace).first()
    form = ImportForm(request.POST or None, request.FILES or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                outcome = import_results(
                    access=access, campaign=campaign, raw=form.cleaned_data["file"].read()
                )
            except ImportProblem as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(rows)s row imported from %(platform)s.",
                        "%(rows)s rows imported from %(platform)s.",
                        outcome.rows,
                    )
                    % {"rows": outcome.rows, "platform": outcome.platform_label},
                )
                return redirect(request.path)
    return render(
        request,
        "analytics/campaign.html",
        {
            "access": access,
            "seminar": seminar,
            "campaign": campaign,
            "report": campaign_report(campaign),
            "results": list(campaign.results.all()),
            "form": form,
            "meta_form": MetaAdsForm(
                initial={"ad_account_id": getattr(meta_access, "ad_account_id", "")}
            )
            if can_edit and campaign.platform == "meta"
            else None,
            "meta_access": meta_access,
            "can_edit": can_edit,
        },
    )


@area(Perm.ANALYTICS_VIEW, key=KEY)
def ab_test(request: HttpRequest, access: Access) -> HttpResponse:
    """Compare two variants' clicks or registrations: is the difference real?"""
    form = AbForm(request.GET or None)
    result = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            result = compare_variants(
                d["success_a"],
                d["shown_a"],
                d["success_b"],
                d["shown_b"],
                mde=float(d["mde"]) / 100,
            )
        except ValueError:
            form.add_error("mde", _("The rates with this difference must stay below 100%."))
    return render(request, "analytics/ab.html", {"access": access, "form": form, "result": result})


@area(Perm.ANALYTICS_VIEW, key=KEY)
def funnel(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    """The funnel down to the rating per network, post, theme or ad campaign."""
    seminar = seminar_in(access, seminar_id)
    view = funnel_view(access, seminar, by=request.GET.get("by", By.NETWORK))
    return render(
        request,
        "analytics/funnel.html",
        {
            "access": access,
            "seminar": seminar,
            "funnel": view,
            "chart": view.stages_chart(),
            "groupings": by_labels(),
            "by_label": by_labels()[view.by],
            "steps": step_labels(),
        },
    )


@area(Perm.ANALYTICS_VIEW, key=KEY)
def funnel_csv(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    view = funnel_view(access, seminar, by=request.GET.get("by", By.NETWORK))
    response = HttpResponse(view.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{seminar.slug}-funnel-{view.by}.csv"'
    return response


@area(Perm.ANALYTICS_VIEW, key=KEY)
def audience(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    """Where the audience comes from (the dashboard's section on a page of its own)."""
    seminar = seminar_in(access, seminar_id)
    as_of = rollups_ensure(seminar)
    return render(
        request,
        "analytics/audience.html",
        {
            "access": access,
            "seminar": seminar,
            "charts": audience_charts(seminar),
            "as_of": as_of,
        },
    )


@area(Perm.ANALYTICS_EDIT, key=KEY)
def campaign_meta_import(
    request: HttpRequest, access: Access, seminar_id: int, campaign_id: int
) -> HttpResponse:
    """Save the workspace's Meta ad account (and token) and read the campaign's results from
    the Meta Marketing API."""
    if request.method != "POST":
        raise Http404
    seminar = seminar_in(access, seminar_id)
    campaign = queries.campaign_in(access, seminar, campaign_id)
    form = MetaAdsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the Meta ad account ID."))
        return redirect(request.path.rsplit("meta/", 1)[0])
    try:
        meta_access_save(
            access=access,
            ad_account_id=form.cleaned_data["ad_account_id"],
            access_token=form.cleaned_data["access_token"],
        )
        outcome = meta_insights_import(access=access, campaign=campaign)
    except ImportProblem as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            ngettext(
                "%(rows)s day imported from the Meta Marketing API.",
                "%(rows)s days imported from the Meta Marketing API.",
                outcome.rows,
            )
            % {"rows": outcome.rows},
        )
    return redirect(
        "analytics:campaign",
        workspace=access.workspace.slug,
        seminar_id=seminar.pk,
        campaign_id=campaign.pk,
    )


def _variant_choices(seminar_id: int, workspace_id: int) -> list[tuple[int, str]]:
    return [
        (v.pk, f"{v.network} · {v.post} · {str(v.text or v.source_text)[:60]}")
        for v in Variant.objects.filter(
            post__seminar_id=seminar_id, post__workspace_id=workspace_id
        ).select_related("post")
    ]


@area(Perm.ANALYTICS_VIEW, key=KEY)
def ab_tests(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    """The seminar's A/B tests, and a new one for editors."""
    seminar = seminar_in(access, seminar_id)
    can_edit = access.can(Perm.ANALYTICS_EDIT)
    form = (
        AbTestForm(request.POST or None, variants=_variant_choices(seminar.pk, access.workspace.pk))
        if can_edit
        else None
    )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                test = ab_test_create(
                    access=access,
                    seminar=seminar,
                    name=d["name"],
                    kind=d["kind"],
                    goal=d["goal"],
                    variant_a_id=d["variant_a"],
                    variant_b_id=d["variant_b"],
                )
            except KeryxError as exc:
                apply_error(form, exc)
            else:
                return redirect(
                    "analytics:ab_test",
                    workspace=access.workspace.slug,
                    seminar_id=seminar.pk,
                    test_id=test.pk,
                )
    return render(
        request,
        "analytics/ab_tests.html",
        {
            "access": access,
            "seminar": seminar,
            "tests": list(queries.ab_tests_of(access, seminar)),
            "form": form,
        },
    )


@area(Perm.ANALYTICS_VIEW, key=KEY)
def ab_test_detail(
    request: HttpRequest, access: Access, seminar_id: int, test_id: int
) -> HttpResponse:
    seminar = seminar_in(access, seminar_id)
    test = queries.ab_test_in(access, seminar, test_id)
    if request.method == "POST":
        if not access.can(Perm.ANALYTICS_EDIT):
            raise Http404
        try:
            if request.POST.get("action") == "use":
                template_id = ab_winner_use(access=access, test=test)
                return redirect(
                    reverse("content:new", kwargs={"workspace": access.workspace.slug})
                    + f"?seminar={seminar.pk}&template={template_id}"
                )
            ab_winner_declare(access=access, test=test, winner=request.POST.get("winner", ""))
            messages.success(request, _("Winner saved."))
        except KeryxError as exc:
            messages.error(request, str(exc.message))
        return redirect(request.path)
    rollups_ensure(seminar)
    return render(
        request,
        "analytics/ab_test.html",
        {
            "access": access,
            "seminar": seminar,
            "test": test,
            "result": ab_results(test),
            "can_edit": access.can(Perm.ANALYTICS_EDIT),
            "can_compose": access.can(Perm.CONTENT_EDIT),
        },
    )
