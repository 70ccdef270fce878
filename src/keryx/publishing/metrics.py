"""Publishing's figures on /metrics: attempts by outcome, variants waiting by state."""

from __future__ import annotations

from django.db.models import Count

from keryx.core.observability import GaugeRows, register_gauge


def _attempt_outcomes() -> GaugeRows:
    from keryx.publishing.models import Attempt

    for row in Attempt.objects.values("outcome").annotate(n=Count("id")).order_by():
        yield {"outcome": row["outcome"]}, float(row["n"])


def register() -> None:
    register_gauge(
        "keryx_publishing_attempts",
        "Publishing attempts so far, by how they ended.",
        _attempt_outcomes,
        labels=("outcome",),
    )
