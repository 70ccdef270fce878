"""The funnel of a seminar, per network and per post: people who clicked, unique visitors,
registrations, confirmations, check-ins, and the rates between them.

Registrations are credited to the last touch (the link that brought the visitor to the form)
unless the first touch is asked for. Clicks count people only: previews, bots and
Do-Not-Track visits are counted apart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.models import Post
from keryx.links.attribution import links_by_code, registration_model
from keryx.links.enums import LINK_CHANNEL_CHOICES, ClickKind, Touch
from keryx.links.models import Click, TrackedLink
from keryx.seminars.models import Seminar

NO_CHANNEL = ""
NOT_TRACKED = "none"


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass
class Row:
    key: str
    label: str
    clicks: int = 0
    visitors: int = 0
    registrations: int = 0
    confirmations: int = 0
    check_ins: int = 0
    cancellations: int = 0
    ratings: int = 0  # registrants who rated a session in a live rating poll
    networks: list[str] = field(default_factory=list)

    @property
    def registration_rate(self) -> float | None:
        """Registrations per 100 unique visitors."""
        return _rate(self.registrations, self.visitors)

    @property
    def confirmation_rate(self) -> float | None:
        return _rate(self.confirmations, self.registrations)

    @property
    def check_in_rate(self) -> float | None:
        return _rate(self.check_ins, self.registrations)

    @property
    def network_labels(self) -> list[str]:
        """The networks' names as people know them (the data keeps the keys)."""
        return [_channel_label(network) for network in self.networks]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            registration_rate=self.registration_rate,
            confirmation_rate=self.confirmation_rate,
            check_in_rate=self.check_in_rate,
        )
        return data


@dataclass(frozen=True)
class Stage:
    """One step of the funnel chart: how many reached it, its bar's width (per cent of the
    first step) and how many of the step before went on to it."""

    key: str
    label: str
    count: int
    width: float
    conversion: float | None


@dataclass
class Funnel:
    seminar: Seminar
    touch: str
    total: Row
    networks: list[Row]
    posts: list[Row]
    previews: int
    bots: int
    untracked: int

    def chart(self) -> dict[str, Any]:
        """Data for the chart (static/links/funnel.js): one group of bars per network."""
        rows = [r for r in self.networks if r.key != NOT_TRACKED]
        series = [
            ("clicks", _("Clicks (people)")),
            ("visitors", _("Unique visitors")),
            ("registrations", _("Registrations")),
            ("confirmations", _("Confirmations")),
            ("check_ins", _("Check-ins")),
        ]
        return {
            "labels": [r.label for r in rows],
            "datasets": [
                {"key": key, "label": label, "data": [getattr(r, key) for r in rows]}
                for key, label in series
            ],
        }

    def stages(self) -> list[Stage]:
        """The whole seminar's funnel, narrowing: people who clicked → unique visitors →
        registrations → confirmations → check-ins."""
        steps = [
            ("clicks", _("Clicks (people)")),
            ("visitors", _("Unique visitors")),
            ("registrations", _("Registrations")),
            ("confirmations", _("Confirmations")),
            ("check_ins", _("Check-ins")),
        ]
        counts = [getattr(self.total, key) for key, _label in steps]
        top = max(counts) or 1
        stages = []
        for i, ((key, label), count) in enumerate(zip(steps, counts, strict=True)):
            width = round(100.0 * count / top, 1)
            stages.append(
                Stage(
                    key=key,
                    label=str(label),
                    count=count,
                    width=max(width, 2.0) if count else 0.0,
                    conversion=_rate(count, counts[i - 1]) if i else None,
                )
            )
        return stages

    def as_dict(self) -> dict[str, Any]:
        return {
            "seminar_id": self.seminar.pk,
            "touch": self.touch,
            "total": self.total.as_dict(),
            "networks": [r.as_dict() for r in self.networks],
            "posts": [r.as_dict() for r in self.posts],
            "previews": self.previews,
            "bots": self.bots,
            "untracked": self.untracked,
        }


def _channel_label(key: str) -> str:
    if key == NOT_TRACKED:
        return _("No tracked link")
    if key == NO_CHANNEL:
        return _("Links without a channel")
    return str(dict(LINK_CHANNEL_CHOICES).get(key, key))


def _add_clicks(rows: dict[str, Row], grouped: Any, key_field: str, label: Any) -> None:
    for item in grouped:
        key = item[key_field]
        key = NO_CHANNEL if key is None else str(key)
        row = rows.setdefault(key, Row(key=key, label=label(key)))
        row.clicks += item["clicks"]
        row.visitors += item["visitors"]


def _add_registrations(rows: dict[str, Row], counts: dict[str, int], key: str, label: Any) -> None:
    row = rows.setdefault(key, Row(key=key, label=label(key)))
    for name, value in counts.items():
        setattr(row, name, getattr(row, name) + value)


_CLICKS = {
    "clicks": Count("pk"),
    "visitors": Count("visitor", distinct=True),
}
_REGISTRATIONS = {
    "registrations": Count("pk"),
    "confirmations": Count("pk", filter=Q(confirmed_at__isnull=False)),
    "check_ins": Count("pk", filter=Q(checked_in_at__isnull=False)),
    "cancellations": Count("pk", filter=Q(cancelled_at__isnull=False)),
}


def _registrations(access: Access, seminar: Seminar, touch: str) -> list[dict[str, Any]]:
    """Registrations of the seminar counted per touch code (empty without the app)."""
    model = registration_model()
    if model is None:
        return []
    code = f"{touch}_touch_code"
    return list(
        model._default_manager.filter(seminar=seminar, seminar__workspace=access.workspace)
        .values(code)
        .annotate(**_REGISTRATIONS)
        .order_by()
    )


def _ratings(access: Access, seminar: Seminar, touch: str) -> dict[str, int]:
    """Registrants who rated (a live rating poll), per touch code: the funnel's last step."""
    from django.apps import apps

    model = registration_model()
    if model is None or not apps.is_installed("keryx.live"):
        return {}
    code = f"{touch}_touch_code"
    return dict(
        model._default_manager.filter(
            seminar=seminar,
            seminar__workspace=access.workspace,
            live_participants__votes__poll__kind="rating",
        )
        .values(code)
        .annotate(n=Count("pk", distinct=True))
        .order_by()
        .values_list(code, "n")
    )


def funnel_of(access: Access, seminar: Seminar, *, touch: str = Touch.LAST) -> Funnel:
    access.require(Perm.LINKS_VIEW)
    touch = touch if touch in Touch.values else Touch.LAST
    clicks = Click.objects.filter(link__seminar=seminar, link__workspace=access.workspace)
    people = clicks.filter(kind=ClickKind.HUMAN)

    channel_order = {key: i for i, (key, _label) in enumerate(LINK_CHANNEL_CHOICES)}
    networks: dict[str, Row] = {}
    posts: dict[str, Row] = {}
    _add_clicks(
        networks,
        people.values("link__network").annotate(**_CLICKS).order_by(),
        "link__network",
        _channel_label,
    )
    _add_clicks(
        posts,
        people.filter(link__post__isnull=False).values("link__post").annotate(**_CLICKS).order_by(),
        "link__post",
        str,
    )

    total = Row(key="total", label=_("All"))
    grouped = _registrations(access, seminar, touch)
    links = links_by_code(
        (row[f"{touch}_touch_code"] for row in grouped), workspace_id=access.workspace.pk
    )
    rated = _ratings(access, seminar, touch)
    for row in grouped:
        counts = {name: row[name] for name in _REGISTRATIONS}
        counts["ratings"] = rated.get(row[f"{touch}_touch_code"], 0)
        link = links.get(row[f"{touch}_touch_code"])
        for name, value in counts.items():
            setattr(total, name, getattr(total, name) + value)
        channel = NOT_TRACKED if link is None else (link.network or NO_CHANNEL)
        _add_registrations(networks, counts, channel, _channel_label)
        if link is not None and link.post_id is not None:
            _add_registrations(posts, counts, str(link.post_id), str)
    _label_posts(access, posts)

    total.clicks = people.count()
    total.visitors = people.values("visitor").distinct().count()
    kinds = dict(clicks.values_list("kind").annotate(n=Count("pk")).order_by())
    return Funnel(
        seminar=seminar,
        touch=touch,
        total=total,
        networks=sorted(
            networks.values(), key=lambda r: (r.key == NOT_TRACKED, channel_order.get(r.key, 99))
        ),
        posts=sorted(posts.values(), key=lambda r: (-r.registrations, -r.clicks, r.key)),
        previews=kinds.get(ClickKind.PREVIEW, 0),
        bots=kinds.get(ClickKind.BOT, 0),
        untracked=kinds.get(ClickKind.ANONYMOUS, 0),
    )


def _label_posts(access: Access, rows: dict[str, Row]) -> None:
    ids = [int(key) for key in rows]
    titles = {
        str(p.pk): str(p) for p in Post.objects.filter(pk__in=ids, workspace=access.workspace)
    }
    channels: dict[str, list[str]] = {}
    for post_id, network in (
        TrackedLink.objects.filter(post_id__in=ids, workspace=access.workspace)
        .exclude(network="")
        .values_list("post_id", "network")
        .distinct()
        .order_by("network")
    ):
        channels.setdefault(str(post_id), []).append(network)
    for key, row in rows.items():
        row.label = titles.get(key) or _("Post #%(id)s") % {"id": key}
        row.networks = channels.get(key, [])
