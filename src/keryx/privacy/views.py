"""Privacy pages: the staff's tab under Settings, and the person's own pages (by link)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import KeryxError, RateLimited
from keryx.core.ratelimit import client_ip, rate_limit_hit
from keryx.privacy.domain.erasure import subject_erase
from keryx.privacy.domain.links import (
    consent_token_make,
    consent_token_read,
    consent_withdraw,
    consents_of,
    my_data_link_send,
    my_data_token_read,
)
from keryx.privacy.domain.requests import subject_export_logged
from keryx.privacy.domain.retention import retention_set, retention_table
from keryx.privacy.forms import AddressForm, EraseForm, RetentionForm
from keryx.privacy.models import PrivacyRequest, RequestChannel
from keryx.registrations.models import Consent
from keryx.web.access import area


def _zip(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _stamp() -> str:
    return timezone.now().strftime("%Y%m%d-%H%M")


@area(Perm.PRIVACY_MANAGE, key="settings")
def privacy_home(request: HttpRequest, access: Access) -> HttpResponse:
    requests = PrivacyRequest.objects.filter(workspace=access.workspace).select_related(
        "requested_by"
    )[:100]
    return render(
        request,
        "privacy/staff/home.html",
        {
            "access": access,
            "tab": "privacy",
            "export_form": AddressForm(prefix="export"),
            "erase_form": EraseForm(prefix="erase"),
            "requests": requests,
            "retention": retention_table(access.workspace.pk),
        },
    )


@require_POST
@area(Perm.PRIVACY_MANAGE, key="settings")
def privacy_export(request: HttpRequest, access: Access) -> HttpResponse:
    form = AddressForm(request.POST, prefix="export")
    if not form.is_valid():
        messages.error(request, _("Enter the person's e-mail address."))
        return redirect("privacy:home", workspace=access.workspace.slug)
    data, logged = subject_export_logged(
        form.cleaned_data["email"],
        channel=RequestChannel.STAFF,
        workspace_id=access.workspace.pk,
        requested_by=access.user,
    )
    audit_record(action="privacy.export", actor=access.user, workspace=access.workspace, obj=logged)
    if not logged.summary:
        messages.info(request, _("This workspace holds nothing on that address."))
        return redirect("privacy:home", workspace=access.workspace.slug)
    return _zip(data, f"personal-data-{_stamp()}.zip")


@require_POST
@area(Perm.PRIVACY_MANAGE, key="settings")
def privacy_erase(request: HttpRequest, access: Access) -> HttpResponse:
    form = EraseForm(request.POST, prefix="erase")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("privacy:home", workspace=access.workspace.slug)
    result = subject_erase(
        form.cleaned_data["email"],
        channel=RequestChannel.STAFF,
        workspace_id=access.workspace.pk,
        requested_by=access.user,
    )
    if result.found_anything:
        count = sum(v for k, v in result.summary.items() if k != "queue")
        messages.success(
            request,
            ngettext(
                "Erased: %(count)d record in this workspace.",
                "Erased: %(count)d records in this workspace.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("This workspace holds nothing on that address."))
    return redirect("privacy:home", workspace=access.workspace.slug)


@require_POST
@area(Perm.PRIVACY_MANAGE, key="settings")
def privacy_retention(request: HttpRequest, access: Access) -> HttpResponse:
    form = RetentionForm(request.POST)
    if form.is_valid():
        try:
            retention_set(
                workspace_id=access.workspace.pk,
                kind_key=form.cleaned_data["kind"],
                days=form.cleaned_data["days"],
            )
        except KeryxError as exc:
            for error in [m for ms in exc.fields.values() for m in ms] or [exc.message]:
                messages.error(request, error)
        else:
            audit_record(
                action="privacy.retention",
                actor=access.user,
                workspace=access.workspace,
                changes={form.cleaned_data["kind"]: [None, form.cleaned_data["days"]]},
            )
            messages.success(request, _("Retention period saved."))
    else:
        messages.error(request, _("Enter a number of days between 1 and 36500."))
    return redirect("privacy:home", workspace=access.workspace.slug)


# --- the person's own pages ------------------------------------------------------------------


def my_data_request(request: HttpRequest) -> HttpResponse:
    form = AddressForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            rate_limit_hit(f"privacy-link:{client_ip(request)}", limit=5, window=600)
            rate_limit_hit(f"privacy-link:{email.casefold()}", limit=3, window=3600)
        except RateLimited as exc:
            response = render(
                request, "privacy/public/request.html", {"form": form, "limited": True}, status=429
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        my_data_link_send(email, language=get_language() or "en")
        sent = True
    return render(
        request,
        "privacy/public/request.html",
        {"form": form, "sent": sent},
        status=422 if form.errors else 200,
    )


def my_data(request: HttpRequest, token: str) -> HttpResponse:
    email = my_data_token_read(token)
    if email is None:
        return render(request, "privacy/public/expired.html", status=410)
    consents = [(c, consent_token_make(c.pk)) for c in consents_of(email)]
    return render(
        request, "privacy/public/me.html", {"token": token, "consents": consents, "email": email}
    )


def my_data_export(request: HttpRequest, token: str) -> HttpResponse:
    email = my_data_token_read(token)
    if email is None:
        return render(request, "privacy/public/expired.html", status=410)
    data, _logged = subject_export_logged(email, channel=RequestChannel.SELF)
    return _zip(data, f"my-data-{_stamp()}.zip")


def consent_page(request: HttpRequest, token: str) -> HttpResponse:
    consent_id = consent_token_read(token)
    if consent_id is None:
        raise Http404
    consent = get_object_or_404(
        Consent.objects.select_related("registration__seminar"), pk=consent_id
    )
    if request.method == "POST":
        consent_withdraw(consent)
        messages.success(request, _("Your consent is withdrawn."))
        return redirect("privacy:consent", token=token)
    return render(request, "privacy/public/consent.html", {"consent": consent, "token": token})
