"""Where a wall's items come from, merged into one list (each once, by network and remote id):

- **the networks that can search**: each of the seminar's hashtags on each connected account
  whose spec declares ``search``, read through the networks' own read layer
  (:func:`keryx.networks.domain.reading.sync_read`: resumable cursors, backoff, the read quota
  ledger consulted before any request — a refusal is kept on the read in plain words and shown
  on the moderation page, never raised to the sweep). What the read layer stored is then
  matched to the seminar's hashtags, folded as the insights app folds them (#Σεμινάριο =
  #σεμιναριο), so a post found earlier as a mention counts too;
- **the seminar's own published posts** (every published variant);
- **the questions approved in the seminar's rooms**.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from keryx.content.enums import VariantStatus
from keryx.content.models import Variant
from keryx.core.text import normalize_hashtag
from keryx.insights.terms import hashtags_of
from keryx.live.domain.wall import Arrival, wall_items_add
from keryx.live.enums import QuestionStatus
from keryx.live.models import Question, Wall, WallItem, WallSource
from keryx.networks.domain.reading import QuotaExceeded, sync_read
from keryx.networks.models import AccountStatus, NetworkAccount, RemoteItem, SyncState
from keryx.networks.registry import find_spec

logger = logging.getLogger(__name__)

SEARCH_KIND = "search"
PAGES_PER_SWEEP = 2  # per hashtag and account; the cursor resumes the rest next time
COLLECT_BATCH = 2000  # stored network items looked at per sweep
# A wall keeps searching from its creation until a day after its seminar ends.
AFTER_THE_END = dt.timedelta(days=1)


def search_every() -> dt.timedelta:
    """How often a wall searches each hashtag on each account (``KERYX_WALL_SEARCH_EVERY``
    seconds, 120 by default): quicker than the read layer's own 10-minute sweep, within the
    quotas because every read still goes through the quota ledger."""
    return dt.timedelta(seconds=int(getattr(settings, "KERYX_WALL_SEARCH_EVERY", 120)))


def wall_queries(wall: Wall) -> list[str]:
    """The seminar's hashtags as written, one per folded key (``#Σεμινάριο`` once)."""
    seen: dict[str, str] = {}
    for tag in wall.seminar.hashtags or []:
        written = normalize_hashtag(str(tag))
        for key in hashtags_of(written):
            seen.setdefault(key, written)
    return list(seen.values())


def searching_accounts(wall: Wall) -> list[NetworkAccount]:
    """The workspace's connected accounts whose network can search."""
    accounts = NetworkAccount.objects.filter(
        workspace_id=wall.workspace_id, status=AccountStatus.CONNECTED
    )
    return [a for a in accounts if (s := find_spec(a.network)) and s.capabilities.search]


def wall_search_states(wall: Wall) -> list[SyncState]:
    """One read per hashtag and searching account (made on first use)."""
    states = []
    for account in searching_accounts(wall):
        for query in wall_queries(wall):
            state, _made = SyncState.objects.get_or_create(
                account=account, kind=SEARCH_KIND, scope=query
            )
            state.account = account
            states.append(state)
    return states


def _due(state: SyncState, now: dt.datetime) -> bool:
    if state.failures and state.next_run_at is not None and state.next_run_at > now:
        return False  # backing off after a failure or a quota refusal
    last = state.last_success_at
    return last is None or now - last >= search_every()


def wall_search(wall: Wall, *, now: dt.datetime | None = None) -> int:
    """Search what is due; returns how many new network items the read layer stored."""
    now = now or timezone.now()
    stored = 0
    for state in wall_search_states(wall):
        if not _due(state, now):
            continue
        try:
            stored += sync_read(
                state.account, SEARCH_KIND, state.scope, max_pages=PAGES_PER_SWEEP, now=now
            )
        except QuotaExceeded:
            continue  # the read keeps the refusal in plain words; shown on the wall's page
        except Exception:  # one account's failure never stops the others
            logger.exception("wall %s: search %s failed", wall.pk, state.pk)
    return stored


def collect_network_items(wall: Wall) -> list[WallItem]:
    """Stored network items newer than the wall's mark that carry one of its hashtags."""
    keys = {key for query in wall_queries(wall) for key in hashtags_of(query)}
    rows = list(
        RemoteItem.objects.filter(
            account__workspace_id=wall.workspace_id, pk__gt=wall.collected_through
        )
        .select_related("account")
        .order_by("pk")[:COLLECT_BATCH]
    )
    if not rows:
        return []
    arrivals = [
        Arrival(
            source=WallSource.NETWORK,
            network=row.account.network,
            remote_id=row.remote_id,
            text=row.text,
            written_at=row.created_at,
            author_name=row.author_name,
            author_handle=row.author_handle,
            url=row.url,
        )
        for row in rows
        if not row.hidden and keys & set(hashtags_of(row.text))
    ]
    made = wall_items_add(wall, arrivals)
    Wall.objects.filter(pk=wall.pk).update(collected_through=rows[-1].pk)
    wall.collected_through = rows[-1].pk
    return made


def collect_posts(wall: Wall, *, only: Sequence[int] | None = None) -> list[WallItem]:
    """The seminar's published variants (or just ``only``) not on the wall yet."""
    have = set(
        WallItem.objects.filter(wall=wall, source=WallSource.POST).values_list(
            "network", "remote_id"
        )
    )
    variants = Variant.objects.filter(
        post__seminar_id=wall.seminar_id, status=VariantStatus.PUBLISHED
    ).select_related("account")
    if only is not None:
        variants = variants.filter(pk__in=only)
    arrivals = []
    for variant in variants:
        remote_id = variant.remote_id or f"variant:{variant.pk}"
        if (variant.network, remote_id) in have:
            continue
        arrivals.append(
            Arrival(
                source=WallSource.POST,
                network=variant.network,
                remote_id=remote_id,
                text=variant.text,
                written_at=variant.published_at or variant.updated_at,
                author_name=variant.account.name,
                author_handle=variant.account.handle,
                url=variant.remote_url,
            )
        )
    return wall_items_add(wall, arrivals)


def question_remote_id(question_id: int) -> str:
    return f"question:{question_id}"


def collect_questions(wall: Wall, *, only: Sequence[int] | None = None) -> list[WallItem]:
    """The questions approved in the seminar's rooms (or just ``only``) not on the wall yet."""
    questions = Question.objects.filter(
        room__seminar_id=wall.seminar_id, status=QuestionStatus.APPROVED
    ).order_by("pk")
    if only is not None:
        questions = questions.filter(pk__in=only)
    wanted = [question_remote_id(pk) for pk in only] if only is not None else None
    existing = WallItem.objects.filter(wall=wall, source=WallSource.QUESTION)
    if wanted is not None:
        existing = existing.filter(remote_id__in=wanted)
    have = set(existing.values_list("remote_id", flat=True))
    arrivals = [
        Arrival(
            source=WallSource.QUESTION,
            network="",
            remote_id=question_remote_id(q.pk),
            text=q.text,
            written_at=q.created_at,
            author_name=q.author_name,
        )
        for q in questions
        if question_remote_id(q.pk) not in have
    ]
    return wall_items_add(wall, arrivals)


def wall_collect(wall: Wall, *, search: bool = True, now: dt.datetime | None = None) -> int:
    """Every source once, merged; returns how many items were added."""
    if search and wall.search_networks:
        wall_search(wall, now=now)
        Wall.objects.filter(pk=wall.pk).update(swept_at=now or timezone.now())
    # Ours first: our own post found again by the search stays "our post".
    made = collect_posts(wall)
    made += collect_questions(wall)
    made += collect_network_items(wall)
    return len(made)


def _running(now: dt.datetime) -> Q:
    return Q(seminar__ends_at__gte=now - AFTER_THE_END) | Q(seminar__ends_at__isnull=True)


def wall_search_release(wall: Wall, *, now: dt.datetime | None = None) -> int:
    """Forget the wall's searches once it stops searching (turned off, or its seminar over):
    the read layer's own sweep would otherwise go on reading them every ten minutes, spending
    quota for nobody. A search another searching wall of the workspace still needs is kept.
    Returns how many reads were dropped."""
    now = now or timezone.now()
    others = Wall.objects.filter(
        _running(now), workspace_id=wall.workspace_id, search_networks=True
    )
    needed = {q for other in others.exclude(pk=wall.pk) for q in wall_queries(other)}
    mine = [q for q in wall_queries(wall) if q not in needed]
    if not mine:
        return 0
    dropped, _kinds = SyncState.objects.filter(
        account__workspace_id=wall.workspace_id, kind=SEARCH_KIND, scope__in=mine
    ).delete()
    return int(dropped)


def walls_sweep(*, now: dt.datetime | None = None) -> int:
    """The periodic job: every wall whose seminar is not over (plus a day); the searches of
    walls that stopped are released. Safe to run twice: reads resume from their cursors and
    each item is stored once."""
    now = now or timezone.now()
    added = 0
    walls = Wall.objects.select_related("seminar")
    for wall in walls.filter(_running(now)):
        try:
            added += wall_collect(wall, now=now)
            if not wall.search_networks:
                wall_search_release(wall, now=now)
        except Exception:
            logger.exception("wall %s: sweep failed", wall.pk)
    for wall in walls.exclude(_running(now)):
        wall_search_release(wall, now=now)
    return added
