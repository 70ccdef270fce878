"""From a registration back to the post: its first and last touch codes resolved to links.

The registrations app stores the codes it read on the form (``kx`` parameter, ``kx_first`` and
``kx_last`` cookies) as ``first_touch_code`` / ``last_touch_code`` (docs/decisions/
0600-attribution-contract.md). This module is the only place that reads its model, and only
when asked (never when the redirect's modules load).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model

from keryx.links.models import TrackedLink


def registration_model() -> type[Model] | None:
    """The registrations app's ``Registration``, or ``None`` when that app is not installed."""
    try:
        return apps.get_model("registrations", "Registration")
    except LookupError:
        return None


@dataclass(frozen=True)
class Touch:
    """Where a registrant came from: the link and what it stands for."""

    code: str
    link: TrackedLink | None

    @property
    def network(self) -> str:
        return self.link.network if self.link is not None else ""

    @property
    def post_id(self) -> int | None:
        return self.link.post_id if self.link is not None else None

    @property
    def campaign(self) -> str:
        return self.link.utm_campaign if self.link is not None else ""

    @property
    def campaign_phase(self) -> str:
        return self.link.campaign_phase if self.link is not None else ""


def links_by_code(codes: Iterable[str], *, workspace_id: int) -> dict[str, TrackedLink]:
    """The links of one workspace with these codes; a code from elsewhere resolves to nothing."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return {
        link.code: link
        for link in TrackedLink.objects.filter(workspace_id=workspace_id, code__in=wanted)
    }


def touches_of(registration: Any) -> tuple[Touch | None, Touch | None]:
    """``(first, last)`` touch of a registration; ``None`` where it has no code."""
    first = str(getattr(registration, "first_touch_code", "") or "")
    last = str(getattr(registration, "last_touch_code", "") or "")
    found = links_by_code([first, last], workspace_id=registration.seminar.workspace_id)
    return (
        Touch(first, found.get(first)) if first else None,
        Touch(last, found.get(last)) if last else None,
    )
