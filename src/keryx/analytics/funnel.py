"""The funnel down to the rating: post → people's clicks → unique visitors → registrations →
confirmations → check-ins → ratings, per network, per post, per theme and per ad campaign, with
each step's conversion and drop-off. Built from the pre-aggregated figures
(``domain.rollups``), so it reads a few thousand rows whatever the number of clicks.

Registrations are credited to their last tracked link (decision 0957); a registrant "rated"
when they answered a live rating poll or a feedback survey's 1–5 rating (the live participant
or the survey response is tied to their registration). Unique visitors are counted per link
and day (the visitor id changes every day by design, decision of the links app) and summed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.analytics.charts import Chart
from keryx.analytics.domain.rollups import rollups_ensure
from keryx.analytics.exports import csv_text
from keryx.analytics.figures import series_per_key
from keryx.analytics.models import AdCampaign
from keryx.content.enums import Theme
from keryx.content.models import Post
from keryx.links.enums import LINK_CHANNEL_CHOICES
from keryx.links.models import TrackedLink
from keryx.seminars.models import Seminar

STEPS = ("clicks", "visitors", "registrations", "confirmations", "check_ins", "ratings")
NOT_TRACKED = "none"


class By(StrEnum):
    NETWORK = "network"
    POST = "post"
    THEME = "theme"
    CAMPAIGN = "campaign"


def step_labels() -> dict[str, str]:
    return {
        "clicks": _("Clicks (people)"),
        "visitors": _("Unique visitors"),
        "registrations": _("Registrations"),
        "confirmations": _("Confirmations"),
        "check_ins": _("Check-ins"),
        "ratings": _("Rated"),
    }


def by_labels() -> dict[str, str]:
    return {
        By.NETWORK: _("Per network"),
        By.POST: _("Per post"),
        By.THEME: _("Per theme"),
        By.CAMPAIGN: _("Per ad campaign"),
    }


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class FunnelRow:
    key: str
    label: str
    clicks: int = 0
    visitors: int = 0
    registrations: int = 0
    confirmations: int = 0
    check_ins: int = 0
    ratings: int = 0
    rating_sum: int = 0
    rating_n: int = 0

    def add(self, counts: dict[str, int]) -> None:
        for name, value in counts.items():
            setattr(self, name, getattr(self, name) + value)

    @property
    def average_rating(self) -> Decimal | None:
        if not self.rating_n:
            return None
        return (Decimal(self.rating_sum) / self.rating_n).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def conversions(self) -> list[Decimal | None]:
        """Each step as a share of the step before (the first has none)."""
        counts = [getattr(self, step) for step in STEPS]
        return [None, *(_rate(counts[i], counts[i - 1]) for i in range(1, len(counts)))]

    def drop_offs(self) -> list[Decimal | None]:
        """The share of the step before that did not go on (0 where more people reached a
        step than the one before, e.g. rated online without a check-in at the door)."""
        return [None if c is None else max(100 - c, Decimal("0.0")) for c in self.conversions()]

    @property
    def overall(self) -> Decimal | None:
        """Rated per 100 people who clicked: the whole funnel's yield."""
        return _rate(self.ratings, self.clicks)

    def cells(self) -> list[tuple[int, Decimal | None, Decimal | None]]:
        return list(
            zip(
                [getattr(self, step) for step in STEPS],
                self.conversions(),
                self.drop_offs(),
                strict=True,
            )
        )


@dataclass
class FunnelView:
    seminar: Seminar
    by: By
    total: FunnelRow
    rows: list[FunnelRow]
    as_of: datetime

    def stages_chart(self) -> Chart:
        labels = step_labels()
        return Chart(
            key="funnel",
            title=_("Funnel down to the rating"),
            labels=[labels[s] for s in STEPS],
            datasets=[
                {"label": _("People"), "data": [getattr(self.total, s) for s in STEPS]},
                {
                    "label": _("Conversion from the step before (%)"),
                    "data": self.total.conversions(),
                },
            ],
            kind="bar",
            label_header=_("Step"),
        )

    def header(self) -> list[str]:
        labels = step_labels()
        header = [by_labels()[self.by]]
        for i, step in enumerate(STEPS):
            header.append(labels[step])
            if i:
                header += [
                    _("%(step)s: conversion %%") % {"step": labels[step]},
                    _("%(step)s: drop-off %%") % {"step": labels[step]},
                ]
        return [*header, _("Average rating"), _("Rated per 100 clicks")]

    def table(self) -> list[list[Any]]:
        lines = []
        for row in [*self.rows, self.total]:
            line: list[Any] = [row.label]
            for i, (count, conversion, drop) in enumerate(row.cells()):
                line.append(count)
                if i:
                    line += [conversion, drop]
            lines.append([*line, row.average_rating, row.overall])
        return lines

    def csv(self) -> str:
        return csv_text(self.header(), self.table())


def _channel_label(key: str) -> str:
    if key == NOT_TRACKED:
        return _("No tracked link")
    if not key:
        return _("Links without a channel")
    return str(dict(LINK_CHANNEL_CHOICES).get(key, key))


def funnel_view(access: Access, seminar: Seminar, *, by: str = By.NETWORK) -> FunnelView:
    access.require(Perm.ANALYTICS_VIEW)
    if seminar.workspace_id != access.workspace.pk:
        raise ValueError("seminar outside the workspace")
    grouping = By(by) if by in By.__members__.values() else By.NETWORK
    as_of = rollups_ensure(seminar)
    found = series_per_key(
        seminar,
        "clicks:human",
        "visitors",
        "funnel:registrations",
        "funnel:confirmations",
        "funnel:check_ins",
        "funnel:ratings",
        "funnel:rating_sum",
        "funnel:rating_n",
    )
    links = list(
        TrackedLink.objects.filter(seminar=seminar, workspace=access.workspace).values_list(
            "pk", "code", "network", "post_id", "post__theme"
        )
    )
    campaigns: dict[int, list[int]] = {}
    campaign_names: dict[str, str] = {}
    if grouping == By.CAMPAIGN:
        for campaign in AdCampaign.objects.filter(seminar=seminar).prefetch_related("links"):
            campaign_names[str(campaign.pk)] = campaign.name
            for link in campaign.links.all():
                campaigns.setdefault(link.pk, []).append(campaign.pk)

    def keys_of(pk: int, network: str, post_id: int | None, theme: str | None) -> list[str]:
        if grouping == By.NETWORK:
            return [network]
        if grouping == By.POST:
            return [] if post_id is None else [str(post_id)]
        if grouping == By.THEME:
            return [] if post_id is None else [theme or ""]
        return [str(c) for c in campaigns.get(pk, [])]

    total = FunnelRow(key="total", label=_("All"))
    rows: dict[str, FunnelRow] = {}
    code_keys: dict[str, list[str]] = {}
    for pk, code, network, post_id, theme in links:
        counts = {
            "clicks": found["clicks:human"].get(str(pk), 0),
            "visitors": found["visitors"].get(str(pk), 0),
        }
        total.add(counts)
        code_keys[code] = keys_of(pk, network, post_id, theme)
        for key in code_keys[code]:
            rows.setdefault(key, FunnelRow(key=key, label=key)).add(counts)
    for code, registrations in found["funnel:registrations"].items():
        counts = {
            "registrations": registrations,
            "confirmations": found["funnel:confirmations"].get(code, 0),
            "check_ins": found["funnel:check_ins"].get(code, 0),
            "ratings": found["funnel:ratings"].get(code, 0),
            "rating_sum": found["funnel:rating_sum"].get(code, 0),
            "rating_n": found["funnel:rating_n"].get(code, 0),
        }
        total.add(counts)
        keys = code_keys.get(code)
        if keys is None:  # no tracked link of this seminar brought them
            keys = [NOT_TRACKED] if grouping == By.NETWORK else []
        for key in keys:
            rows.setdefault(key, FunnelRow(key=key, label=key)).add(counts)
    _label(grouping, rows, campaign_names)
    ordered = sorted(
        rows.values(),
        key=lambda r: (r.key == NOT_TRACKED, -r.registrations, -r.clicks, r.label),
    )
    return FunnelView(seminar=seminar, by=grouping, total=total, rows=ordered, as_of=as_of)


def _label(grouping: By, rows: dict[str, FunnelRow], campaign_names: dict[str, str]) -> None:
    if grouping == By.NETWORK:
        labels = {key: _channel_label(key) for key in rows}
    elif grouping == By.POST:
        posts = Post.objects.filter(pk__in=[int(k) for k in rows])
        labels = {str(p.pk): str(p) for p in posts}
    elif grouping == By.THEME:
        themes = dict(Theme.choices)
        labels = {key: str(themes.get(key, key)) if key else _("No theme") for key in rows}
    else:
        labels = campaign_names
    for key, row in rows.items():
        row.label = labels.get(key) or row.label
