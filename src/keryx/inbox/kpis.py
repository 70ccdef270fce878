"""The inbox's KPIs in the analytics registry (replacing the "not measured yet" placeholder
for first-reply time): per seminar, over the conversations filed under its posts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from keryx.analytics.kpis import Kpi, NotMeasured, Unit, Value, register_kpi

if TYPE_CHECKING:
    from keryx.seminars.models import Seminar


def _first_reply(seminar: Seminar) -> Value:
    from keryx.inbox.domain.kpis import first_reply_minutes
    from keryx.inbox.models import Conversation

    value = first_reply_minutes(Conversation.objects.filter(seminar=seminar))
    return value if value is not None else NotMeasured(_("Nothing in the inbox was answered yet."))


def _response_rate(seminar: Seminar) -> Value:
    from keryx.inbox.domain.kpis import response_rate
    from keryx.inbox.models import Conversation

    value = response_rate(Conversation.objects.filter(seminar=seminar))
    return value if value is not None else NotMeasured(_("No comments or mentions yet."))


register_kpi(
    Kpi(
        key="first_reply_time",
        label=_("Time to first reply"),
        unit=Unit.MINUTES,
        compute=_first_reply,
        lower_is_better=True,
        forecastable=False,
        source=_("Median minutes from a comment or mention to the team's first reply (inbox)."),
    )
)
register_kpi(
    Kpi(
        key="inbox_response_rate",
        label=_("Inbox response rate"),
        unit=Unit.PERCENT,
        compute=_response_rate,
        forecastable=False,
        source=_("Share of comments and mentions the team answered (inbox)."),
    )
)
