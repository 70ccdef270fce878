"""Crisis mode, one click: pause scheduled posts, prepare a holding statement and send it for
approval, and keep a timeline; at the end, a summary.

The pause is the publishing app's emergency pause (:func:`pause_start`): the worker holds every
post that comes due. The holding statement is a post made with the content app's own functions
(:func:`post_create`, :func:`post_submit`), from a bilingual template, addressed to the
workspace's usable network accounts; it waits for approval like any post, so nobody publishes
words about a crisis alone (decision 0905).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Conflict, KeryxError, ValidationFailed
from keryx.insights.models import AnalysedText, CrisisAlert
from keryx.seminars.models import Seminar

HOLDING_TEMPLATE = {
    "el": (
        "Γνωρίζουμε τα σχόλιά σας για {seminar} και το εξετάζουμε. Θα επανέλθουμε με "
        "ενημέρωση το συντομότερο. Ευχαριστούμε για την υπομονή σας."
    ),
    "en": (
        "We have seen your comments about {seminar} and we are looking into it. We will come "
        "back with an update as soon as we can. Thank you for your patience."
    ),
}


def holding_statement(seminar: Seminar) -> str:
    """The holding statement in the seminar's languages (Greek first when it has both)."""
    languages = [code for code in ("el", "en") if code in (seminar.languages or [])]
    if not languages:
        languages = [seminar.language if seminar.language in HOLDING_TEMPLATE else "en"]
    return "\n\n".join(HOLDING_TEMPLATE[code].format(seminar=seminar.title) for code in languages)


def _seminar_for(access: Access, alert: CrisisAlert) -> Seminar:
    if alert.seminar_id:
        return Seminar.objects.get(pk=alert.seminar_id, workspace=access.workspace)
    now = timezone.now()
    seminars = Seminar.objects.filter(workspace=access.workspace)
    seminar = (
        seminars.filter(ends_at__gte=now).order_by("starts_at").first()
        or seminars.order_by("-starts_at").first()
    )
    if seminar is None:
        raise ValidationFailed(_("Crisis mode needs a seminar to speak for; create one first."))
    return seminar


@transaction.atomic
def crisis_mode_start(*, access: Access, alert: CrisisAlert) -> CrisisAlert:
    """Pause publishing, prepare the holding statement and send it for approval."""
    from keryx.content.domain.posts import PostInput, post_create, usable_accounts
    from keryx.content.domain.review import post_submit
    from keryx.publishing.domain.pause import pause_start
    from keryx.publishing.models import Pause

    access.require(Perm.PUBLISH_PAUSE)
    access.require(Perm.CONTENT_EDIT)
    started = timezone.now()
    alert = CrisisAlert.objects.select_for_update().get(pk=alert.pk, workspace=access.workspace)
    if alert.crisis_mode_at is not None:
        raise Conflict(_("Crisis mode is already on for this alert."), code="crisis_mode_on")
    seminar = _seminar_for(access, alert)
    with translation.override(access.workspace.default_language or "en"):
        reason = _("Crisis mode: %(n)d mentions, %(share)d%% negative") % {
            "n": alert.mentions,
            "share": round(alert.negative_share * 100),
        }
    try:
        pause = pause_start(access=access, reason=reason)
    except Conflict as exc:
        if exc.code != "already_paused":
            raise
        pause = Pause.objects.get(workspace=access.workspace, seminar=None, resumed_at__isnull=True)
    accounts = [a.pk for a in usable_accounts(access)]
    post = post_create(
        access=access,
        seminar=seminar,
        data=PostInput(
            fields={"master_text": holding_statement(seminar)},
            account_ids=accounts,
        ),
    )
    if accounts:
        # A variant that breaks its network's rules leaves a draft to fix; the summary says so.
        with contextlib.suppress(KeryxError), transaction.atomic():
            post_submit(access=access, post=post)
    alert.crisis_mode_at = started
    alert.crisis_mode_by = access.user
    alert.pause_id = pause.pk
    alert.holding_post_id = post.pk
    alert.seminar = seminar
    alert.save(
        update_fields=[
            "crisis_mode_at",
            "crisis_mode_by",
            "pause_id",
            "holding_post_id",
            "seminar",
        ]
    )
    audit_record(
        action="insights.crisis_mode",
        actor=access.user,
        workspace=access.workspace,
        obj=alert,
        changes={"pause": [None, pause.pk], "holding_post": [None, post.pk]},
    )
    return alert


@dataclass
class TimelineEntry:
    at: dt.datetime
    what: str


@dataclass
class CrisisSummary:
    mentions: int
    negative: int
    positive: int
    neutral: int
    timeline: list[TimelineEntry] = field(default_factory=list)
    posted: list[str] = field(default_factory=list)
    # Median minutes to the team's first reply since the surge started (from the inbox);
    # None when nothing was answered or no inbox is installed.
    first_reply_minutes: Decimal | None = None

    @property
    def negative_share(self) -> float:
        return self.negative / self.mentions if self.mentions else 0.0


# Where the summary's first-reply time comes from: the inbox registers its figure here
# (insights does not import the inbox, which depends on it).
FirstReplySource = Callable[[int, dt.datetime], "Decimal | None"]
_FIRST_REPLY: list[FirstReplySource] = []


def register_first_reply_source(source: FirstReplySource) -> None:
    if source not in _FIRST_REPLY:
        _FIRST_REPLY.append(source)


def crisis_summary(
    *, access: Access, alert: CrisisAlert, now: dt.datetime | None = None
) -> CrisisSummary:
    """Volume and sentiment since the surge started, the timeline, and what was posted."""
    from keryx.content.models import Post
    from keryx.publishing.models import Pause

    access.require(Perm.INBOX_VIEW)
    now = now or timezone.now()
    labels = list(
        AnalysedText.objects.filter(
            workspace=access.workspace, posted_at__gte=alert.window_start, posted_at__lte=now
        ).values_list("label", flat=True)
    )
    summary = CrisisSummary(
        mentions=len(labels),
        negative=labels.count("negative"),
        positive=labels.count("positive"),
        neutral=labels.count("neutral"),
    )
    events = [
        TimelineEntry(alert.window_start, _("The surge of mentions started")),
        TimelineEntry(alert.detected_at, _("Keryx raised the alert")),
    ]
    if alert.crisis_mode_at:
        events.append(TimelineEntry(alert.crisis_mode_at, _("Crisis mode: publishing paused")))
    pause = (
        Pause.objects.filter(pk=alert.pause_id, workspace=access.workspace).first()
        if alert.pause_id
        else None
    )
    if pause is not None and pause.resumed_at:
        events.append(TimelineEntry(pause.resumed_at, _("Publishing resumed")))
    post = (
        Post.objects.filter(pk=alert.holding_post_id, workspace=access.workspace).first()
        if alert.holding_post_id
        else None
    )
    if post is not None:
        if post.submitted_at:
            events.append(
                TimelineEntry(post.submitted_at, _("Holding statement sent for approval"))
            )
        summary.posted.append(post.master_text)
    summary.timeline = sorted(events, key=lambda e: e.at)
    for source in _FIRST_REPLY:
        summary.first_reply_minutes = source(access.workspace.pk, alert.window_start)
    return summary
