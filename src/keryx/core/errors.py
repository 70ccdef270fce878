"""One error hierarchy for the whole application.

Domain functions raise these; views render them as messages, the API renders every one of
them as ``{"error": {"code", "message", "fields"}}`` with the HTTP status given here (plus
``"data"`` when an error carries facts a client needs, e.g. the current revision on a 409).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class KeryxError(Exception):
    """Base of every error a user may see."""

    code = "error"
    status = 400
    default_message: str | Promise = _("Something went wrong.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        fields: Mapping[str, Sequence[str]] | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        self.data: dict[str, Any] = dict(data or {})
        self.message = str(message if message is not None else self.default_message)
        if code:
            self.code = code
        self.fields: dict[str, list[str]] = {
            k: [str(m) for m in v] for k, v in (fields or {}).items()
        }
        super().__init__(self.message)


class ValidationFailed(KeryxError):
    code = "invalid"
    status = 422
    default_message = _("Some fields are not valid. Nothing was saved.")

    @classmethod
    def from_django(cls, error: DjangoValidationError) -> ValidationFailed:
        if hasattr(error, "error_dict"):
            fields = {
                ("__all__" if key == NON_FIELD_ERRORS else key): [str(m) for m in messages]
                for key, messages in error.message_dict.items()
            }
        else:
            fields = {"__all__": [str(m) for m in error.messages]}
        return cls(fields=fields)


class NotFound(KeryxError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class Forbidden(KeryxError):
    code = "forbidden"
    status = 403
    default_message = _("Your role in this workspace does not allow this.")


class Conflict(KeryxError):
    code = "conflict"
    status = 409
    default_message = _("This was changed by someone else. Reload and try again.")


class RateLimited(KeryxError):
    code = "rate_limited"
    status = 429
    default_message = _("Too many requests. Please wait a moment and try again.")

    def __init__(self, retry_after: int, message: str | Promise | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
