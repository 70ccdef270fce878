"""Where the audience comes from: people's clicks per channel, referring site and UTM source,
and registrations per region and per "how did you hear about us". Built as charts (with
tables and CSV) for the dashboard, from the pre-aggregated figures (``domain.rollups``).
Keryx keeps no device for people (only for bots), so there is no device breakdown."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from keryx.analytics.charts import Chart
from keryx.analytics.figures import series_per_key
from keryx.links.enums import LINK_CHANNEL_CHOICES
from keryx.links.models import TrackedLink
from keryx.registrations.enums import HeardFrom
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


def _ranked(counts: Counter[str], top: int | None = None) -> list[tuple[str, int]]:
    return sorted(((k, n) for k, n in counts.items() if n), key=lambda p: (-p[1], p[0]))[:top]


def audience_charts(seminar: Seminar) -> list[Chart]:
    found = series_per_key(seminar, "clicks:human", "referrer", "region", "heard_from")
    links = {
        str(pk): (network, source)
        for pk, network, source in TrackedLink.objects.filter(seminar=seminar).values_list(
            "pk", "network", "utm_source"
        )
    }
    channels = dict(LINK_CHANNEL_CHOICES)
    per_channel: Counter[str] = Counter()
    per_source: Counter[str] = Counter()
    for link_id, n in found["clicks:human"].items():
        network, source = links.get(link_id, ("", ""))
        per_channel[str(channels.get(network, network)) or _("Other")] += n
        per_source[source or "—"] += n
    by_referrer = [
        (site or _("None (typed, app or e-mail)"), n)
        for site, n in _ranked(Counter(found["referrer"]), TOP)
    ]
    by_region = [
        (region or _("Not given"), n) for region, n in _ranked(Counter(found["region"]), TOP)
    ]
    heard = dict(HeardFrom.choices)
    by_heard = [
        (str(heard.get(answer, _("Not given"))), n)
        for answer, n in _ranked(Counter(found["heard_from"]))
    ]
    clicks, regs = _("Clicks (people)"), _("Registrations")
    return [
        _chart(
            "audience-channel", _("Clicks per channel"), _("Channel"), _ranked(per_channel), clicks
        ),
        _chart("audience-referrer", _("Clicks per referring site"), _("Site"), by_referrer, clicks),
        _chart(
            "audience-utm-source",
            _("Clicks per UTM source"),
            "utm_source",
            _ranked(per_source, TOP),
            clicks,
        ),
        _chart("audience-region", _("Registrations per region"), _("Region"), by_region, regs),
        _chart(
            "audience-heard-from",
            _("Registrations per “how did you hear about us”"),
            _("Answer"),
            by_heard,
            regs,
        ),
    ]
