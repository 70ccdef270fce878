"""Staff actions on registrant e-mails: Resend one, resend every failed one of a seminar."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.errors import KeryxError
from keryx.registrations import queries
from keryx.registrations.domain.delivery import (
    registrant_email_resend,
    registrant_emails_resend_failed,
)
from keryx.seminars import queries as seminar_queries
from keryx.web.access import area

KEY = "registrations"


@require_POST
@area(Perm.REGISTRATIONS_MANAGE, key=KEY)
def email_resend(
    request: HttpRequest, access: Access, seminar_id: int, registration_id: int, email_id: int
) -> HttpResponse:
    seminar = seminar_queries.seminar_in(access, seminar_id)
    registration = queries.registration_in(access, seminar, registration_id)
    email = queries.email_in(registration, email_id)
    try:
        registrant_email_resend(access=access, email=email)
    except KeryxError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The e-mail to %(email)s is queued again; this page shows when it is sent.")
            % {"email": registration.email},
        )
    return redirect(
        "registrations:detail",
        workspace=access.workspace.slug,
        seminar_id=seminar.pk,
        registration_id=registration.pk,
    )


@require_POST
@area(Perm.REGISTRATIONS_MANAGE, key=KEY)
def emails_resend_failed(request: HttpRequest, access: Access, seminar_id: int) -> HttpResponse:
    seminar = seminar_queries.seminar_in(access, seminar_id)
    count = registrant_emails_resend_failed(access=access, seminar=seminar)
    messages.success(
        request,
        ngettext(
            "%(n)s failed e-mail is queued again.", "%(n)s failed e-mails are queued again.", count
        )
        % {"n": count}
        if count
        else _("No failed e-mail to resend."),
    )
    return redirect("registrations:list", workspace=access.workspace.slug, seminar_id=seminar.pk)
