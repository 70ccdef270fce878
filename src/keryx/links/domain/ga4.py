"""Forwarding registrations to Google Analytics 4 (Measurement Protocol), if a workspace or a
seminar asks for it.

Each step of a registration becomes one GA4 event, sent once: ``generate_lead`` (registered),
``sign_up`` (confirmed), ``keryx_check_in`` (checked in), ``keryx_cancel`` (cancelled). A
``campaign_details`` event with the link's UTM parameters goes first, so GA4 credits the
campaign. No personal data leaves Keryx: the client id is derived from the registration id, and no
name, e-mail address or answer is sent.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.core.http import OutboundClient, OutboundError, Unconfirmed
from keryx.core.tasks import enqueue_on_commit
from keryx.links.attribution import registration_model, touches_of
from keryx.links.models import Ga4Delivery, Ga4Forwarding
from keryx.seminars.models import Seminar

GA4_EVENTS = {
    "created": "generate_lead",
    "confirmed": "sign_up",
    "checked_in": "keryx_check_in",
    "cancelled": "keryx_cancel",
}
_MEASUREMENT_ID = re.compile(r"^G-[A-Z0-9]{4,20}$")


@dataclass
class Ga4Data:
    measurement_id: str
    api_secret: str = ""  # empty on update: keep the stored secret
    enabled: bool = True


@transaction.atomic
def ga4_forwarding_save(*, access: Access, seminar: Seminar | None, data: Ga4Data) -> Ga4Forwarding:
    """Create or change the GA4 setting of the workspace (``seminar=None``) or of a seminar."""
    access.require(Perm.ANALYTICS_EDIT)
    existing = Ga4Forwarding.objects.filter(workspace=access.workspace, seminar=seminar).first()
    measurement_id = data.measurement_id.strip().upper()
    errors: dict[str, list[str]] = {}
    if not _MEASUREMENT_ID.match(measurement_id):
        errors["measurement_id"] = [
            _("Enter the measurement ID of a GA4 web stream, e.g. G-AB12CD34EF.")
        ]
    secret = data.api_secret.strip()
    if not secret and existing is None:
        errors["api_secret"] = [
            _(
                "Create an API secret in GA4 (Admin → Data streams → Measurement Protocol) and paste it here."
            )
        ]
    if errors:
        raise ValidationFailed(fields=errors)
    forwarding = existing or Ga4Forwarding(workspace=access.workspace, seminar=seminar)
    forwarding.measurement_id = measurement_id
    forwarding.enabled = data.enabled
    if secret:
        forwarding.api_secret = secret
    forwarding.save()
    audit_record(
        action="ga4.update" if existing else "ga4.create",
        actor=access.user,
        workspace=access.workspace,
        obj=forwarding,
        changes={
            "measurement_id": [existing.measurement_id if existing else None, measurement_id],
            "enabled": [existing.enabled if existing else None, data.enabled],
            "api_secret": ["…", "…"] if secret else [],
        },
    )
    return forwarding


@transaction.atomic
def ga4_forwarding_delete(*, access: Access, forwarding: Ga4Forwarding) -> None:
    access.require(Perm.ANALYTICS_EDIT)
    audit_record(action="ga4.delete", actor=access.user, workspace=access.workspace, obj=forwarding)
    forwarding.delete()


def forwarding_for(*, workspace_id: int, seminar_id: int) -> Ga4Forwarding | None:
    """The seminar's own setting, else the workspace's; only if enabled."""
    candidates = Ga4Forwarding.objects.filter(workspace_id=workspace_id)
    own = candidates.filter(seminar_id=seminar_id).first()
    chosen = own if own is not None else candidates.filter(seminar__isnull=True).first()
    return chosen if chosen is not None and chosen.enabled else None


def ga4_forward(*, registration: Any, event: str) -> bool:
    """Queue the GA4 event of a registration step, if its seminar forwards to GA4."""
    seminar = registration.seminar
    if (
        event not in GA4_EVENTS
        or forwarding_for(workspace_id=seminar.workspace_id, seminar_id=seminar.pk) is None
    ):
        return False
    from keryx.links.tasks import forward_to_ga4

    enqueue_on_commit(forward_to_ga4, registration.pk, event)
    return True


def client_id(registration: Any) -> str:
    """A stable pseudonymous GA client id ("number.number"), not reversible to a person."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:ga4:{registration.pk}".encode())
    number = int.from_bytes(digest.digest()[:4], "big")
    return f"{number}.{int(registration.created_at.timestamp())}"


def ga4_payload(registration: Any, event: str) -> dict[str, Any]:
    _first, last = touches_of(registration)
    link = last.link if last is not None else None
    params: dict[str, Any] = {"seminar": registration.seminar.slug, "engagement_time_msec": 1}
    events: list[dict[str, Any]] = []
    if link is not None:
        params["link_code"] = link.code
        if link.network:
            params["network"] = link.network
        if link.post_id:
            params["post_id"] = link.post_id
        campaign = {
            "source": link.utm_source,
            "medium": link.utm_medium,
            "campaign": link.utm_campaign,
            "content": link.utm_content,
            "term": link.utm_term,
        }
        events.append(
            {"name": "campaign_details", "params": {k: v for k, v in campaign.items() if v}}
        )
    events.append({"name": GA4_EVENTS[event], "params": params})
    return {"client_id": client_id(registration), "non_personalized_ads": True, "events": events}


def ga4_event_send(*, registration_id: int, event: str) -> Ga4Delivery | None:
    """Send one event, at most once (a repeated task finds it sent and does nothing).

    Transient failures raise ``Unavailable`` and the task retries; GA4 answers 2xx even to a
    malformed payload, and anything else is final (its docs say not to retry).
    """
    model = registration_model()
    registration = (
        model._default_manager.select_related("seminar").filter(pk=registration_id).first()
        if model is not None
        else None
    )
    if registration is None or event not in GA4_EVENTS:
        return None
    seminar = registration.seminar  # type: ignore[attr-defined]
    forwarding = forwarding_for(workspace_id=seminar.workspace_id, seminar_id=seminar.pk)
    if forwarding is None:
        return None
    delivery, _created = Ga4Delivery.objects.get_or_create(
        registration_id=registration_id,
        event=event,
        defaults={"measurement_id": forwarding.measurement_id},
    )
    if delivery.sent_at is not None or delivery.status is not None:
        return delivery
    with OutboundClient(service="ga4") as client:
        try:
            response = client.post(
                settings.KERYX_GA4_ENDPOINT,
                params={
                    "measurement_id": forwarding.measurement_id,
                    "api_secret": forwarding.api_secret,
                },
                json=ga4_payload(registration, event),
            )
        except Unconfirmed as exc:
            # GA4 may have it already; an analytics event is not worth a duplicate.
            Ga4Delivery.objects.filter(pk=delivery.pk).update(status=0, error=exc.message[:300])
            return delivery
        except OutboundError as exc:
            Ga4Delivery.objects.filter(pk=delivery.pk).update(error=exc.message[:300])
            raise
    delivery.status = response.status_code
    if response.is_success:
        delivery.sent_at = timezone.now()
        delivery.error = ""
    else:
        delivery.error = f"HTTP {response.status_code}: {response.text[:200]}"
    delivery.save(update_fields=["status", "sent_at", "error"])
    return delivery
