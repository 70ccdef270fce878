"""API: registrations of a seminar, check-in, settings, counts, import and export."""

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.pagination import paginate

from keryx.accounts.roles import Perm
from keryx.api.pagination import Page
from keryx.api.permissions import access_for, needs
from keryx.core.errors import ValidationFailed
from keryx.registrations import queries
from keryx.registrations.domain import checkin, exports, imports
from keryx.registrations.domain.artifacts import public_url
from keryx.registrations.domain.delivery import (
    registrant_email_resend,
    registrant_emails_resend_failed,
)
from keryx.registrations.domain.registrations import registration_cancel, registration_update
from keryx.registrations.domain.settings import settings_of, settings_update
from keryx.registrations.schemas import (
    CheckInOut,
    CountsOut,
    ImportIn,
    ImportOut,
    RegistrantEmailOut,
    RegistrationOut,
    RegistrationPatch,
    ResendFailedOut,
    SettingsOut,
    SettingsPatch,
    TicketIn,
)
from keryx.seminars.queries import seminar_in

router = Router(tags=["registrations"])
SEMINAR = "/workspaces/{workspace}/seminars/{seminar_id}"
ONE = SEMINAR + "/registrations/{registration_id}"


def _settings_out(seminar: Any) -> dict[str, Any]:
    row = settings_of(seminar)
    return {
        **{k: getattr(row, k) for k in SettingsOut.model_fields if k != "public_url"},
        "public_url": public_url(seminar),
    }


@router.get(
    SEMINAR + "/registrations",
    response=list[RegistrationOut],
    operation_id="registrations_list",
    openapi_extra=needs(Perm.REGISTRATIONS_VIEW),
)
@paginate(Page)
def registrations_list(
    request: HttpRequest,
    workspace: str,
    seminar_id: int,
    status: Literal["", "registered", "waitlisted", "cancelled"] = "",
    q: str = "",
    confirmed: bool | None = None,
    checked_in: bool | None = None,
) -> Any:
    access = access_for(request, workspace, Perm.REGISTRATIONS_VIEW)
    seminar = seminar_in(access, seminar_id)
    return queries.registrations_of(
        access, seminar, status=status, q=q, confirmed=confirmed, checked_in=checked_in
    )


@router.get(
    ONE,
    response=RegistrationOut,
    operation_id="registrations_get",
    openapi_extra=needs(Perm.REGISTRATIONS_VIEW),
)
def registrations_get(
    request: HttpRequest, workspace: str, seminar_id: int, registration_id: int
) -> Any:
    access = access_for(request, workspace, Perm.REGISTRATIONS_VIEW)
    return queries.registration_in(access, seminar_in(access, seminar_id), registration_id)


@router.patch(
    ONE,
    response=RegistrationOut,
    operation_id="registrations_update",
    openapi_extra=needs(Perm.REGISTRATIONS_MANAGE),
)
def registrations_update(
    request: HttpRequest,
    workspace: str,
    seminar_id: int,
    registration_id: int,
    payload: RegistrationPatch,
) -> Any:
    access = access_for(request, workspace, Perm.REGISTRATIONS_MANAGE)
    registration = queries.registration_in(access, seminar_in(access, seminar_id), registration_id)
    return registration_update(
        registration=registration, access=access, fields=payload.dict(exclude_unset=True)
    )


@router.post(
    ONE + "/cancel",
    response=RegistrationOut,
    operation_id="registrations_cancel",
    openapi_extra=needs(Perm.REGISTRATIONS_MANAGE),
)
def registrations_cancel(
    request: HttpRequest, workspace: str, seminar_id: int, registration_id: int
) -> Any:
    access = access_for(request, workspace, Perm.REGISTRATIONS_MANAGE)
    registration = queries.registration_in(access, seminar_in(access, seminar_id), registration_id)
    return registration_cancel(registration=registration, access=access)


@router.post(
    ONE + "/check-in",
    response=CheckInOut,
    operation_id="registrations_check_in",
    openapi_extra=needs(Perm.REGISTRATIONS_CHECKIN),
)
def registrations_check_in(
    request: HttpRequest, workspace: str, seminar_id: int, registration_id: int
) -> Any:
    access = access_for(request, workspace, Perm.REGISTRATIONS_CHECKIN)
    seminar = seminar_in(access, seminar_id)
    registration = queries.registration_in_for_checkin(access, seminar, registration_id)
    outcome = checkin.registration_check_in(access=access, registration=registration)
    return {"already": outcome.already, "registration": outcome.registration}


@router.post(
    SEMINAR + "/check-in",
    response=CheckInOut,
    operation_id="registrations_check_in_ticket",
    openapi_extra=needs(Perm.REGISTRATIONS_CHECKIN),
)
def registrations_check_in_ticket(
    request: HttpRequest, workspace: str, seminar_id: int, payload: TicketIn
) -> Any:
    """Check in the holder of a scanned ticket (the QR code's text)."""
    access = access_for(request, workspace, Perm.REGISTRATIONS_CHECKIN)
    seminar = seminar_in(access, seminar_id)
    registration = checkin.registration_by_ticket(
        access=access, seminar=seminar, token=payload.token
    )
    outcome = checkin.registration_check_in(access=access, registration=registration)
    return {"already": outcome.already, "registration": outcome.registration}


@router.get(
    ONE + "/emails",
    response=list[RegistrantEmailOut],
    operation_id="registrant_emails_list",
    openapi_extra=needs(Perm.REGISTRATIONS_VIEW),
)
def registrant_emails_list(
    request: HttpRequest, workspace: str, seminar_id: int, registration_id: int
) -> Any:
    """The registrant's e-mails, newest first: kind, delivery status, tries and, for one that
    failed, why and what to do."""
    access = access_for(request, workspace, Perm.REGISTRATIONS_VIEW)
    registration = queries.registration_in(access, seminar_in(access, seminar_id), registration_id)
    return queries.emails_of(registration)


@router.post(
    ONE + "/emails/{email_id}/resend",
    response=RegistrantEmailOut,
    operation_id="registrant_emails_resend",
    openapi_extra=needs(Perm.REGISTRATIONS_MANAGE),
)
def registrant_emails_resend(
    request: HttpRequest, workspace: str, seminar_id: int, registration_id: int, email_id: int
) -> Any:
    """Queue the e-mail again: a failed or waiting one gets a fresh series of tries (same
    Message-ID); a sent one is sent anew with today's content. 409 while it is being sent."""
    access = access_for(request, workspace, Perm.REGISTRATIONS_MANAGE)
    registration = queries.registration_in(access, seminar_in(access, seminar_id), registration_id)
    return registrant_email_resend(access=access, email=queries.email_in(registration, email_id))


@router.post(
    SEMINAR + "/registrant-emails/resend-failed",
    response=ResendFailedOut,
    operation_id="registrant_emails_resend_failed",
    openapi_extra=needs(Perm.REGISTRATIONS_MANAGE),
)
def registrant_emails_resend_failed_api(
    request: HttpRequest, workspace: str, seminar_id: int
) -> Any:
    """After fixing the mail settings: every failed e-mail of the seminar is queued again."""
    access = access_for(request, workspace, Perm.REGISTRATIONS_MANAGE)
    seminar = seminar_in(access, seminar_id)
    return {"queued": registrant_emails_resend_failed(access=access, seminar=seminar)}


@router.get(
    SEMINAR + "/registration-settings",
    response=SettingsOut,
    operation_id="registration_settings_get",
    openapi_extra=needs(Perm.SEMINAR_VIEW),
)
def registration_settings_get(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_VIEW)
    return _settings_out(seminar_in(access, seminar_id))


@router.patch(
    SEMINAR + "/registration-settings",
    response=SettingsOut,
    operation_id="registration_settings_update",
    openapi_extra=needs(Perm.REGISTRATIONS_MANAGE),
)
def registration_settings_update(
    request: HttpRequest, workspace: str, seminar_id: int, payload: SettingsPatch
) -> Any:
    access = access_for(request, workspace, Perm.REGISTRATIONS_MANAGE)
    seminar = seminar_in(access, seminar_id)
    settings_update(access=access, seminar=seminar, fields=payload.dict(exclude_unset=True))
    return _settings_out(seminar)


@router.get(
    SEMINAR + "/registration-counts",
    response=CountsOut,
    operation_id="registration_counts",
    openapi_extra=needs(Perm.SEMINAR_VIEW),
)
def registration_counts(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_VIEW)
    return queries.counts_of(seminar_in(access, seminar_id)).as_dict()


@router.post(
    SEMINAR + "/registrations-import",
    response=ImportOut,
    operation_id="registrations_import",
    openapi_extra=needs(Perm.REGISTRATIONS_MANAGE),
)
def registrations_import(
    request: HttpRequest, workspace: str, seminar_id: int, payload: ImportIn
) -> Any:
    """Dry run (the default) reports every bad row; with ``dry_run: false`` all rows or none
    are imported (422 with the report's errors per line when any row is bad)."""
    access = access_for(request, workspace, Perm.REGISTRATIONS_MANAGE)
    seminar = seminar_in(access, seminar_id)
    report = imports.registrations_import(
        access=access,
        seminar=seminar,
        content=payload.csv,
        dry_run=payload.dry_run,
        filename=payload.filename,
    )
    if not payload.dry_run and not report.committed:
        fields: dict[str, list[str]] = {}
        for line, message in report.errors:
            fields.setdefault(f"line {line}", []).append(message)
        raise ValidationFailed(fields=fields)
    return report.as_dict()


@router.get(
    SEMINAR + "/registrations-export",
    operation_id="registrations_export",
    openapi_extra=needs(Perm.REGISTRATIONS_MANAGE),
    response={200: None},
)
def registrations_export(
    request: HttpRequest,
    workspace: str,
    seminar_id: int,
    format: Literal["csv", "xlsx"] = "csv",
    status: Literal["", "registered", "waitlisted", "cancelled"] = "",
) -> HttpResponse:
    """The registrants as CSV (UTF-8 with BOM) or XLSX."""
    access = access_for(request, workspace, Perm.REGISTRATIONS_MANAGE)
    seminar = seminar_in(access, seminar_id)
    qs = queries.registrations_of(access, seminar, status=status)
    if format == "xlsx":
        body = exports.registrations_export_xlsx(access=access, seminar=seminar, registrations=qs)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.registrations_export_csv(access=access, seminar=seminar, registrations=qs)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename(seminar, format)}"'
    )
    return response
