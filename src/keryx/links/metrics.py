"""Tracked links' figures on /metrics: clicks written to the database, people and bots."""

from __future__ import annotations

from django.db.models import Count

from keryx.core.observability import GaugeRows, register_gauge


def _clicks() -> GaugeRows:
    from keryx.links.models import Click

    for row in Click.objects.values("kind").annotate(n=Count("id")).order_by():
        yield {"kind": row["kind"]}, float(row["n"])


def register() -> None:
    register_gauge(
        "keryx_clicks_written", "Clicks stored so far, by kind.", _clicks, labels=("kind",)
    )
