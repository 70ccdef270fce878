"""Thin tasks: load the registration, call the domain."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from keryx.registrations.domain.emails import registration_email_send
from keryx.registrations.models import Registration


@db_task(retries=3, retry_delay=60)
def send_registration_email(registration_id: int, kind: str) -> None:
    registration = Registration.objects.select_related("seminar").filter(pk=registration_id).first()
    if registration is not None:
        registration_email_send(registration=registration, kind=kind)
