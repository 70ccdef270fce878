"""Every API error has one shape: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from keryx.core.errors import KeryxError, RateLimited, ValidationFailed

logger = logging.getLogger(__name__)


def error_body(
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message, "fields": fields or {}}
    if data:
        body["data"] = data
    return {"error": body}


def _field_name(loc: list[Any]) -> str:
    # ninja reports ("body", "payload", "personas", 0, "name"); we say "personas[0].name".
    parts = [p for p in loc if p not in {"body", "query", "path", "payload", "data"}]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "__all__"


def _validation_message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "string_too_long": _("Use at most %(n)s characters.") % {"n": ctx.get("max_length")},
        "string_too_short": _("Use at least %(n)s characters.") % {"n": ctx.get("min_length")},
        "int_parsing": _("Enter a whole number."),
        "decimal_parsing": _("Enter a number."),
        "float_parsing": _("Enter a number."),
        "datetime_parsing": _("Enter a date and time such as 2026-05-14T09:30:00+03:00."),
        "datetime_from_date_parsing": _("Enter a date and time such as 2026-05-14T09:30:00+03:00."),
        "date_from_datetime_parsing": _("Enter a date such as 2026-05-14."),
        "bool_parsing": _("Enter true or false."),
        "list_type": _("Give a list."),
        "dict_type": _("Give an object."),
        "enum": _("Choose one of: %(values)s.") % {"values": ctx.get("expected", "")},
        "literal_error": _("Choose one of: %(values)s.") % {"values": ctx.get("expected", "")},
        "greater_than_equal": _("Give a value of %(n)s or more.") % {"n": ctx.get("ge")},
        "less_than_equal": _("Give a value of %(n)s or less.") % {"n": ctx.get("le")},
        "json_invalid": _("The request body is not valid JSON."),
        "value_error": str(ctx.get("error", "")) or _("This value is not valid."),
    }
    return messages.get(kind) or _("This value is not valid.")


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(
        request: HttpRequest, status: int, body: dict[str, Any], **headers: str
    ) -> HttpResponse:
        response = api.create_response(request, body, status=status)
        for key, value in headers.items():
            response[key] = value
        return response

    @api.exception_handler(KeryxError)
    def _keryx(request: HttpRequest, exc: KeryxError) -> HttpResponse:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else {}
        return respond(
            request, exc.status, error_body(exc.code, exc.message, exc.fields, exc.data), **headers
        )

    @api.exception_handler(DjangoValidationError)
    def _model_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        # A model's own validation (full_clean) that a domain function let through: the
        # same 422 as every other invalid input, never a 500.
        return _keryx(request, ValidationFailed.from_django(exc))

    @api.exception_handler(RequestDataTooBig)
    def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return respond(
            request,
            413,
            error_body(
                "too_large",
                _("The request is larger than %(mib)s MiB. Send less at a time.")
                % {"mib": round(limit / 1024 / 1024, 1)},
            ),
        )

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            fields.setdefault(_field_name(list(err.get("loc", []))), []).append(
                _validation_message(err)
            )
        return respond(
            request,
            422,
            error_body("invalid", _("Some fields are not valid. Nothing was saved."), fields),
        )

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            401,
            error_body(
                "unauthenticated",
                _("Sign in, or send a valid API token: Authorization: Bearer kx_…"),
            ),
        )

    @api.exception_handler(Throttled)
    def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = int(exc.wait or 1)
        return respond(
            request,
            429,
            error_body("rate_limited", _("Too many requests. Please wait a moment and try again.")),
            **{"Retry-After": str(wait)},
        )

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(
            request,
            403,
            error_body("forbidden", _("Your role in this workspace does not allow this.")),
        )

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", _("Not found.")))

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja wraps what the body parser raises ("Cannot parse request body").
        if isinstance(exc.__cause__, KeryxError):
            return _keryx(request, exc.__cause__)
        if isinstance(exc.__cause__, RequestDataTooBig):
            return _too_large(request, exc.__cause__)
        return respond(request, exc.status_code, error_body("http_error", str(exc)))

    @api.exception_handler(Exception)
    def _crash(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(
            request,
            500,
            error_body(
                "server_error",
                _("Something went wrong on our side. It was logged; please try again."),
            ),
        )
