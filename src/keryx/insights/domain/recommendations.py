"""Recommendations for a seminar from Keryx's own data, each with its evidence: the figures, how
many posts or people they rest on (n) and the period they cover. Never a bare claim: below the
minimum evidence a recommendation says "not enough data yet" with its n (decision 0911).

- **Best time**: the best-time model of the publishing app (engagement per impression of each
  account's own posts, twelve weeks), with the best hour's engagement beside the average.
- **Best network**: people's clicks and registrations per published post on each network, from
  the tracked links' attribution (last touch).
- **Theme** and **format** (image, video or text only): the same per-post figures, grouped by
  the post's theme or by what it carries.
- **Personas**: the plan's personas against the real audience (the surveys' match score) and,
  for one that few fit, the network that brought most people of its age, gender or sector.
- **Trending now**: the listening trends of the last hour, with their counts and baselines.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.enums import Theme, VariantStatus
from keryx.content.models import Post, PostMedia, Variant
from keryx.links.enums import ClickKind
from keryx.links.funnel import NO_CHANNEL, NOT_TRACKED, funnel_of
from keryx.links.models import Click
from keryx.networks.models import NetworkAccount
from keryx.networks.registry import find_spec
from keryx.publishing.domain.besttime import (
    HISTORY,
    MIN_POSTS,
    best_times,
    settled_engagement,
    slot_of,
)
from keryx.seminars.models import Seminar

# Decision 0911: the least evidence a comparison may rest on.
MIN_POSTS_PER_GROUP = 3  # posts in a network, theme or format before it is compared
MIN_GROUPS = 2  # a "best" needs something to be better than
MIN_CLICKS = 30  # people's clicks across the compared posts
MIN_REGISTRATIONS = 10  # below this, rank by clicks per post and say so
MIN_AUDIENCE = 10  # people with known answers before a persona is called under-reached
UNDER_REACHED = 20  # % of the audience that fits a persona, below which it is under-reached


@dataclass
class Recommendation:
    key: str  # best_time | best_network | theme | format | personas | trending
    title: str
    advice: str  # the recommendation in one sentence, or why there is none yet
    enough: bool
    n: int  # how many posts (or people, or texts) the evidence rests on
    needed: int  # the minimum n (0 where the rule is not a count)
    period: str  # "12 Oct 2026 – 5 Dec 2026", or "" where there is no period
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _weekday(index: int) -> str:
    from django.utils.dates import WEEKDAYS as LOCAL

    return str(LOCAL[index])


def _date(value: dt.datetime | None, zone: dt.tzinfo) -> str:
    if value is None:
        return ""
    return formats.date_format(value.astimezone(zone), "DATE_FORMAT")


def _period(start: dt.datetime | None, end: dt.datetime | None, zone: dt.tzinfo) -> str:
    if start is None or end is None:
        return ""
    return f"{_date(start, zone)} – {_date(end, zone)}"


def _hours(start: dt.datetime, end: dt.datetime, zone: dt.tzinfo) -> str:
    first = formats.time_format(start.astimezone(zone), "H:i")
    last = formats.time_format(end.astimezone(zone), "H:i")
    return f"{_date(end, zone)} {first}–{last}"


def _per(part: int, whole: int) -> float | None:
    return round(part / whole, 2) if whole else None


def _pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _not_enough(n: int, needed: int, unit: str) -> str:
    texts = {
        "posts": _("Not enough data yet (n=%(n)s posts; at least %(needed)s needed)."),
        "clicks": _("Not enough data yet (n=%(n)s clicks; at least %(needed)s needed)."),
        "people": _(
            "Not enough data yet (n=%(n)s people with answers; at least %(needed)s needed)."
        ),
    }
    return texts[unit] % {"n": n, "needed": needed}


# --- best time ------------------------------------------------------------------------------


def _accounts(access: Access, seminar: Seminar) -> list[NetworkAccount]:
    used = Variant.objects.filter(post__seminar=seminar, post__workspace=access.workspace).values(
        "account_id"
    )
    found = list(
        NetworkAccount.objects.filter(workspace=access.workspace, pk__in=used).order_by(
            "network", "name", "pk"
        )
    )
    return found or list(
        NetworkAccount.objects.filter(workspace=access.workspace).order_by("network", "name", "pk")
    )


def best_time(access: Access, seminar: Seminar, *, now: dt.datetime) -> Recommendation:
    """Each account's best hour of the week from its own posts' engagement (publishing's
    best-time model), with that hour's engagement rate beside the account's average."""
    rows: list[list[Any]] = []
    measured: list[str] = []
    total = 0
    starts: list[dt.datetime] = []
    ends: list[dt.datetime] = []
    for account in _accounts(access, seminar):
        found = best_times(account, now=now)
        name = f"{_network_name(account.network)} · {account.handle or account.name}"
        total += found.posts
        if found.source != "history":
            rows.append([name, found.posts, "—", None, None])
            continue
        zone = zoneinfo.ZoneInfo(found.time_zone)
        history = settled_engagement(account, since=now - HISTORY)
        starts.append(min(h[0] for h in history))
        ends.append(max(h[0] for h in history))
        hour_scores: dict[tuple[int, int], float] = defaultdict(float)
        for slot, score in enumerate(found.scores):
            day, half = divmod(slot, 48)
            hour_scores[(day, half // 2)] = max(hour_scores[(day, half // 2)], score)
        day, hour = max(hour_scores, key=lambda k: (hour_scores[k], -k[0], -k[1]))
        rates = [(at, e / i if i else float(e)) for at, e, i in history]
        in_hour = [r for at, r in rates if slot_of(at, zone) // 2 == day * 24 + hour]
        average = sum(r for _at, r in rates) / len(rates)
        window = _("%(day)s %(start)02d:00–%(end)02d:00") % {
            "day": _weekday(day),
            "start": hour,
            "end": (hour + 1) % 24,
        }
        rows.append(
            [
                name,
                found.posts,
                window,
                _pct(sum(in_hour), len(in_hour)) if in_hour else None,
                _pct(average, 1),
            ]
        )
        measured.append(
            _("%(account)s: %(window)s (%(zone)s)")
            % {"account": name, "window": window, "zone": found.time_zone}
        )
    zone = zoneinfo.ZoneInfo(seminar.time_zone)
    enough = bool(measured)
    return Recommendation(
        key="best_time",
        title=_("Best time to post"),
        advice=(
            _("Post at these times: %(list)s.") % {"list": "; ".join(measured)}
            if enough
            else _not_enough(total, MIN_POSTS, "posts")
            + " "
            + _("Until then the networks' published best times are used.")
        ),
        enough=enough,
        n=total,
        needed=MIN_POSTS,
        period=_period(min(starts, default=None), max(ends, default=None), zone),
        columns=[
            _("Account"),
            _("Posts measured"),
            _("Best hour"),
            _("Engagement in that hour (%)"),
            _("Average engagement (%)"),
        ],
        rows=rows,
        notes=[
            ngettext(
                "An account needs %(n)s measured post in the last twelve weeks.",
                "An account needs %(n)s measured posts in the last twelve weeks.",
                MIN_POSTS,
            )
            % {"n": MIN_POSTS}
        ],
    )


def _network_name(key: str) -> str:
    found = find_spec(key)
    return str(found.name) if found is not None else key


# --- networks, themes, formats: clicks and registrations per post ----------------------------


@dataclass
class _Group:
    key: str
    label: str
    posts: int = 0
    clicks: int = 0
    registrations: int = 0


def _compare(
    *,
    key: str,
    title: str,
    groups: list[_Group],
    period: str,
    what: str,
) -> Recommendation:
    """Rank groups by registrations per post (clicks per post with too few registrations)."""
    eligible = [g for g in groups if g.posts >= MIN_POSTS_PER_GROUP]
    posts = sum(g.posts for g in groups)
    clicks = sum(g.clicks for g in eligible)
    registrations = sum(g.registrations for g in eligible)
    by_registrations = registrations >= MIN_REGISTRATIONS
    columns = [
        what,
        _("Posts"),
        _("Clicks (people)"),
        _("Registrations"),
        _("Clicks per post"),
        _("Registrations per post"),
    ]
    rows = [
        [
            g.label,
            g.posts,
            g.clicks,
            g.registrations,
            _per(g.clicks, g.posts),
            _per(g.registrations, g.posts),
        ]
        for g in sorted(
            groups,
            key=lambda g: (
                -(g.registrations / g.posts if g.posts else -1),
                -(g.clicks / g.posts if g.posts else -1),
                g.label,
            ),
        )
    ]
    notes = [
        _(
            "Compared: groups with at least %(posts)s posts; at least %(groups)s such groups "
            "and %(clicks)s clicks in all."
        )
        % {"posts": MIN_POSTS_PER_GROUP, "groups": MIN_GROUPS, "clicks": MIN_CLICKS}
    ]
    enough = len(eligible) >= MIN_GROUPS and clicks >= MIN_CLICKS
    if not enough:
        few_groups = len(eligible) < MIN_GROUPS
        advice = (
            _not_enough(posts, MIN_POSTS_PER_GROUP * MIN_GROUPS, "posts")
            if few_groups
            else _not_enough(clicks, MIN_CLICKS, "clicks")
        )
        return Recommendation(
            key, title, advice, False, posts, _needed(eligible), period, columns, rows, notes
        )
    if by_registrations:
        best = max(eligible, key=lambda g: (g.registrations / g.posts, g.clicks / g.posts))
        rest = [g for g in eligible if g is not best]
        others_rate = _per(sum(g.registrations for g in rest), sum(g.posts for g in rest))
        advice = _(
            "%(best)s: %(rate)s registrations per post (%(posts)s posts), against %(others)s "
            "for the rest."
        ) % {
            "best": best.label,
            "rate": _per(best.registrations, best.posts),
            "posts": best.posts,
            "others": others_rate,
        }
    else:
        best = max(eligible, key=lambda g: (g.clicks / g.posts, g.label))
        rest = [g for g in eligible if g is not best]
        advice = _(
            "%(best)s: %(rate)s clicks per post (%(posts)s posts), against %(others)s for the "
            "rest. Too few registrations yet to rank by them."
        ) % {
            "best": best.label,
            "rate": _per(best.clicks, best.posts),
            "posts": best.posts,
            "others": _per(sum(g.clicks for g in rest), sum(g.posts for g in rest)),
        }
    return Recommendation(
        key, title, advice, True, posts, MIN_POSTS_PER_GROUP, period, columns, rows, notes
    )


def _needed(eligible: list[_Group]) -> int:
    return MIN_POSTS_PER_GROUP * MIN_GROUPS if len(eligible) < MIN_GROUPS else MIN_CLICKS


@dataclass
class _Evidence:
    """The seminar's funnel per post and per network, and the posts that went out."""

    per_post: dict[int, tuple[int, int]]  # post id → (clicks, registrations)
    per_network: dict[str, tuple[str, int, int]]  # channel → (label, clicks, registrations)
    published: dict[int, set[str]]  # post id → networks it went out on
    period: str


def _evidence(access: Access, seminar: Seminar) -> _Evidence:
    funnel = funnel_of(access, seminar)
    per_post = {
        int(row.key): (row.clicks, row.registrations) for row in funnel.posts if row.key.isdigit()
    }
    per_network = {
        row.key: (row.label, row.clicks, row.registrations)
        for row in funnel.networks
        if row.key not in {NOT_TRACKED, NO_CHANNEL}
    }
    published: dict[int, set[str]] = defaultdict(set)
    for post_id, network in Variant.objects.filter(
        post__seminar=seminar,
        post__workspace=access.workspace,
        status=VariantStatus.PUBLISHED,
    ).values_list("post_id", "account__network"):
        published[post_id].add(network)
    span = Click.objects.filter(
        link__seminar=seminar, link__workspace=access.workspace, kind=ClickKind.HUMAN
    ).aggregate(first=Min("at"), last=Max("at"))
    zone = zoneinfo.ZoneInfo(seminar.time_zone)
    return _Evidence(
        per_post, per_network, dict(published), _period(span["first"], span["last"], zone)
    )


def best_network(evidence: _Evidence) -> Recommendation:
    groups: dict[str, _Group] = {}
    for networks in evidence.published.values():
        for network in networks:
            group = groups.setdefault(network, _Group(network, _network_name(network)))
            group.posts += 1
    for network, (label, clicks, registrations) in evidence.per_network.items():
        group = groups.setdefault(network, _Group(network, label))
        group.clicks += clicks
        group.registrations += registrations
    return _compare(
        key="best_network",
        title=_("Best network"),
        groups=list(groups.values()),
        period=evidence.period,
        what=_("Network"),
    )


def _post_groups(evidence: _Evidence, label_of: dict[int, tuple[str, str]]) -> list[_Group]:
    groups: dict[str, _Group] = {}
    for post_id in evidence.published:
        key, label = label_of.get(post_id, ("", ""))
        group = groups.setdefault(key, _Group(key, label))
        clicks, registrations = evidence.per_post.get(post_id, (0, 0))
        group.posts += 1
        group.clicks += clicks
        group.registrations += registrations
    return list(groups.values())


def best_theme(access: Access, evidence: _Evidence) -> Recommendation:
    themes = dict(Theme.choices)
    labels = {
        pk: (theme, str(themes.get(theme, _("No theme"))))
        for pk, theme in Post.objects.filter(
            workspace=access.workspace, pk__in=list(evidence.published)
        ).values_list("pk", "theme")
    }
    return _compare(
        key="theme",
        title=_("Theme that works for this audience"),
        groups=_post_groups(evidence, labels),
        period=evidence.period,
        what=_("Theme"),
    )


def best_format(access: Access, evidence: _Evidence) -> Recommendation:
    kinds: dict[int, set[str]] = defaultdict(set)
    for post_id, kind in PostMedia.objects.filter(
        post__workspace=access.workspace, post_id__in=list(evidence.published)
    ).values_list("post_id", "media__kind"):
        kinds[post_id].add(kind)
    names = {"video": _("With a video"), "image": _("With images"), "text": _("Text only")}
    labels = {}
    for post_id in evidence.published:
        found = kinds.get(post_id, set())
        key = "video" if "video" in found else ("image" if found else "text")
        labels[post_id] = (key, str(names[key]))
    return _compare(
        key="format",
        title=_("Format: images, video or text"),
        groups=_post_groups(evidence, labels),
        period=evidence.period,
        what=_("Format"),
    )


# --- personas -------------------------------------------------------------------------------


def under_reached_personas(seminar: Seminar) -> Recommendation:
    from keryx.seminars.queries import personas_of
    from keryx.surveys.domain.options import NETWORK_NAMES
    from keryx.surveys.domain.personas import (
        audience_of,
        persona_match,
        sector_keys,
        segment_networks,
    )

    people = audience_of(seminar)
    segments = segment_networks(people)
    rows: list[list[Any]] = []
    advice: list[str] = []
    largest = 0
    for persona in personas_of(seminar):
        match = persona_match(persona, people)
        largest = max(largest, match.known)
        wanted = {("age_band", persona.age_band), ("gender", persona.gender)}
        wanted |= {("sector", key) for key in sector_keys(persona.sector or persona.profession)}
        where = [s for s in segments if (s["attr"], s["value"]) in wanted]
        where_text = " ".join(s["sentence"] for s in where[:2])
        if not where and persona.preferred_networks:
            where_text = _("No data yet on where they come from; the plan names %(networks)s.") % {
                "networks": ", ".join(
                    NETWORK_NAMES.get(n, _network_name(n)) for n in persona.preferred_networks
                )
            }
        under = (
            match.score is not None and match.known >= MIN_AUDIENCE and match.score < UNDER_REACHED
        )
        rows.append(
            [
                persona.name,
                match.score,
                match.fits,
                match.known,
                _("Under-reached")
                if under
                else ("—" if match.known < MIN_AUDIENCE else _("Reached")),
                where_text,
            ]
        )
        if under:
            advice.append(
                _("%(persona)s: %(fits)s of %(known)s people (%(score)s %%) fit. %(where)s")
                % {
                    "persona": persona.name,
                    "fits": match.fits,
                    "known": match.known,
                    "score": match.score,
                    "where": where_text,
                }
            )
    enough = largest >= MIN_AUDIENCE and bool(rows)
    if not rows:
        text = _("The plan has no personas yet: add them to the seminar to compare.")
    elif not enough:
        text = _not_enough(largest, MIN_AUDIENCE, "people")
    elif advice:
        text = " ".join(advice[:2])
        if len(advice) > 2:
            more = len(advice) - 2
            text += " " + ngettext(
                "One more persona is under-reached: see the table.",
                "%(n)s more personas are under-reached: see the table.",
                more,
            ) % {"n": more}
    else:
        text = _("Every persona is reached: at least %(pct)s %% of the audience fits each.") % {
            "pct": UNDER_REACHED
        }
    return Recommendation(
        key="personas",
        title=_("Personas you are not reaching"),
        advice=text,
        enough=enough,
        n=len(people),
        needed=MIN_AUDIENCE,
        period="",
        columns=[
            _("Persona"),
            _("Match (%)"),
            _("Fit"),
            _("People with answers"),
            _("Status"),
            _("Where to find them"),
        ],
        rows=rows,
        notes=[
            _(
                "Under-reached: fewer than %(pct)s %% of at least %(n)s people with known "
                "answers fit the persona."
            )
            % {"pct": UNDER_REACHED, "n": MIN_AUDIENCE}
        ],
    )


# --- trending -------------------------------------------------------------------------------


def trending_topics(access: Access, seminar: Seminar, *, now: dt.datetime) -> Recommendation:
    from keryx.insights import queries
    from keryx.insights.domain.trends import MIN_COUNT, WINDOW, topic_suggestions, trending

    title = _("Topics trending now")
    columns = [
        _("Topic"),
        _("Texts in the last hour"),
        _("Expected"),
        _("Burst score"),
        _("Advice"),
    ]
    if not access.can(Perm.INBOX_VIEW):
        return Recommendation(
            "trending",
            title,
            _("Your role does not include the listening data."),
            False,
            0,
            MIN_COUNT,
            "",
            columns,
        )
    texts = queries.texts_of(access, seminar)
    recent = texts.filter(posted_at__gt=now - WINDOW, posted_at__lte=now).count()
    topics = topic_suggestions(trending(texts, now=now))[:5]
    zone = zoneinfo.ZoneInfo(seminar.time_zone)
    rows = [
        [
            t.trend.label,
            t.trend.count,
            t.trend.expected,
            t.trend.score,
            _("Post about it") if t.advice == "post" else _("Answer it"),
        ]
        for t in topics
    ]
    if topics:
        advice = (
            _("Post about %(labels)s now: each is well above its own baseline.")
            % {"labels": ", ".join(t.trend.label for t in topics if t.advice == "post")}
            if any(t.advice == "post" for t in topics)
            else _("People are complaining about %(labels)s: answer before posting more.")
            % {"labels": ", ".join(t.trend.label for t in topics)}
        )
    else:
        advice = _(
            "Nothing is trending about this seminar right now (n=%(n)s texts in the last hour)."
        ) % {"n": recent}
    return Recommendation(
        key="trending",
        title=title,
        advice=advice,
        enough=bool(topics),
        n=recent,
        needed=MIN_COUNT,
        period=_hours(now - WINDOW, now, zone),
        columns=columns,
        rows=rows,
        notes=[
            _(
                "Trending: at least %(n)s texts in the hour and well above what the past week "
                "predicts."
            )
            % {"n": MIN_COUNT}
        ],
    )


# --- all of them ----------------------------------------------------------------------------


def recommendations_for(
    access: Access, seminar: Seminar, *, now: dt.datetime | None = None
) -> list[Recommendation]:
    """Every recommendation for ``seminar``, in the order the page shows them."""
    access.require(Perm.ANALYTICS_VIEW)
    now = now or timezone.now()
    evidence = _evidence(access, seminar)
    return [
        best_time(access, seminar, now=now),
        best_network(evidence),
        best_theme(access, evidence),
        best_format(access, evidence),
        under_reached_personas(seminar),
        trending_topics(access, seminar, now=now),
    ]
