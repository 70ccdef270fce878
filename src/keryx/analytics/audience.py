"""Where the audience comes from: people's clicks per channel, referring site and UTM source,
and registrations per region and per "how did you hear about us". Built as charts (with
tables and CSV) for the dashboard. Keryx keeps no device for people (only for bots), so there
is no device breakdown."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from keryx.analytics.charts import Chart
from keryx.links.enums import LINK_CHANNEL_CHOICES, ClickKind
from keryx.links.models import Click
from keryx.registrations.enums import HeardFrom, RegistrationStatus
from keryx.registrations.models import Registration
from keryx.seminars.models import Seminar

TOP = 10


def _chart(key: str, title: str, header: str, pairs: list[tuple[str, int]], series: str) -> Chart:
    return Chart(
        key=key,
        title=title,
        labels=[label for label, _n in pairs],
        datasets=[{"label": series, "data": [n for _label, n in pairs]}],
        kind="bar",
        label_header=header,
    )


def audience_charts(seminar: Seminar) -> list[Chart]:
    people = Click.objects.filter(link__seminar=seminar, kind=ClickKind.HUMAN)
    channels = dict(LINK_CHANNEL_CHOICES)
    by_channel = [
        (str(channels.get(row["link__network"], row["link__network"])) or _("Other"), row["n"])
        for row in people.values("link__network").annotate(n=Count("pk")).order_by("-n")
    ]
    by_referrer = [
        (row["referrer"] or _("None (typed, app or e-mail)"), row["n"])
        for row in people.values("referrer")
        .annotate(n=Count("pk"))
        .order_by("-n", "referrer")[:TOP]
    ]
    by_source = [
        (row["link__utm_source"] or "—", row["n"])
        for row in people.values("link__utm_source")
        .annotate(n=Count("pk"))
        .order_by("-n", "link__utm_source")[:TOP]
    ]
    registered = Registration.objects.filter(seminar=seminar).exclude(
        status=RegistrationStatus.CANCELLED
    )
    by_region = [
        (row["region"] or _("Not given"), row["n"])
        for row in registered.values("region")
        .annotate(n=Count("pk"))
        .order_by("-n", "region")[:TOP]
    ]
    heard = dict(HeardFrom.choices)
    by_heard = [
        (str(heard.get(row["heard_from"], _("Not given"))), row["n"])
        for row in registered.values("heard_from").annotate(n=Count("pk")).order_by("-n")
    ]
    clicks, regs = _("Clicks (people)"), _("Registrations")
    return [
        _chart("audience-channel", _("Clicks per channel"), _("Channel"), by_channel, clicks),
        _chart("audience-referrer", _("Clicks per referring site"), _("Site"), by_referrer, clicks),
        _chart("audience-utm-source", _("Clicks per UTM source"), "utm_source", by_source, clicks),
        _chart("audience-region", _("Registrations per region"), _("Region"), by_region, regs),
        _chart(
            "audience-heard-from",
            _("Registrations per “how did you hear about us”"),
            _("Answer"),
            by_heard,
            regs,
        ),
    ]
