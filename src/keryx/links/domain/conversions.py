"""Registrations credited to links: the end of the chain post → click → registration.

The registrations app stores the codes it read on the form (``kx`` parameter, ``kx_first`` and
``kx_last`` cookies) as ``first_touch_code`` / ``last_touch_code`` and sends a signal at each
step of a registration's life; each signal lands in :func:`conversion_record`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.utils import timezone

from keryx.core.tasks import enqueue_on_commit
from keryx.links.models import Conversion, Ga4Forwarding, TrackedLink
from keryx.links.redirect.targets import looks_like_code

Event = Literal["created", "confirmed", "cancelled", "checked_in"]
_STAMP = {"confirmed": "confirmed_at", "cancelled": "cancelled_at", "checked_in": "checked_in_at"}


def _code(value: Any) -> str:
    text = str(value or "").strip()
    return text if looks_like_code(text) else ""


def _link(code: str, workspace_id: int) -> TrackedLink | None:
    if not code:
        return None
    # Only the seminar's own workspace: a code from elsewhere credits nothing.
    return TrackedLink.objects.filter(code=code, workspace_id=workspace_id).first()


def _when(registration: Any, attribute: str) -> dt.datetime:
    value = getattr(registration, attribute, None)
    return value if isinstance(value, dt.datetime) else timezone.now()


def touch_codes(*, kx: str = "", first_cookie: str = "", last_cookie: str = "") -> tuple[str, str]:
    """``(first_touch_code, last_touch_code)`` from what the registration form received.

    Last touch: the ``kx`` parameter of the page, else the ``kx_last`` cookie. First touch: the
    ``kx_first`` cookie, else the last touch. Anything that is not a well-formed code is ignored.
    """
    last = _code(kx) or _code(last_cookie)
    first = _code(first_cookie) or last
    return first, last


@transaction.atomic
def conversion_record(*, registration: Any, event: Event) -> Conversion:
    """Note a step of a registration (from the registrations app's signals); idempotent."""
    seminar = registration.seminar
    conversion = (
        Conversion.objects.select_for_update().filter(registration_id=registration.pk).first()
    )
    if conversion is None:
        first = _code(getattr(registration, "first_touch_code", ""))
        last = _code(getattr(registration, "last_touch_code", "")) or first
        first = first or last
        try:
            with transaction.atomic():
                conversion = Conversion.objects.create(
                    registration_id=registration.pk,
                    workspace_id=seminar.workspace_id,
                    seminar=seminar,
                    first_code=first,
                    last_code=last,
                    first_link=_link(first, seminar.workspace_id),
                    last_link=_link(last, seminar.workspace_id),
                    registered_at=_when(registration, "created_at"),
                )
        except IntegrityError:  # the same signal handled twice at once
            conversion = Conversion.objects.select_for_update().get(registration_id=registration.pk)
        else:
            _forward(conversion, "created")
    stamp = _STAMP.get(event)
    if stamp and getattr(conversion, stamp) is None:
        setattr(conversion, stamp, _when(registration, stamp))
        conversion.save(update_fields=[stamp])
        _forward(conversion, event)
    return conversion


def _forward(conversion: Conversion, event: str) -> None:
    if Ga4Forwarding.objects.filter(workspace_id=conversion.workspace_id, enabled=True).exists():
        from keryx.links.tasks import forward_to_ga4

        enqueue_on_commit(forward_to_ga4, conversion.pk, event)
