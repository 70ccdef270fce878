"""Registrations' figures on /metrics: registrant e-mails by delivery status."""

from __future__ import annotations

from django.db.models import Count

from keryx.core.observability import GaugeRows, register_gauge


def _emails() -> GaugeRows:
    from keryx.registrations.models import RegistrantEmail

    for row in RegistrantEmail.objects.values("status").annotate(n=Count("id")).order_by():
        yield {"status": row["status"]}, float(row["n"])


def register() -> None:
    register_gauge(
        "keryx_emails",
        "Registrant e-mails so far, by delivery status.",
        _emails,
        labels=("status",),
    )
