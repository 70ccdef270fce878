"""Reading back from the networks: paged reads that resume where they stopped, read quotas
consulted before each read, signed inbound webhooks stored once, and metric snapshots.

- :func:`sync_read` reads one thing (an account's mentions, a post's comments, a search) page
  by page; after each page the items and the cursor are saved together, so a sweep killed
  halfway resumes at the next page: no gap, and no duplicate (one row per account and remote
  id). A failure is kept in plain words on the :class:`SyncState`, with a backoff.
- :func:`read_quota_take` refuses a metered read before any request (Instagram's 30 unique
  hashtags in 7 days, Threads' daily keyword searches, X's monthly cap, X reads off until
  turned on) and records the use.
- :func:`webhook_receive` answers a network's handshake, refuses a bad signature (logged),
  and stores a delivery's items once however often it is delivered.
- :func:`metrics_snapshot` takes one snapshot per post for a batch of posts in one call.
See docs/networks/README.md#reading-back and decision 0563.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.core.http import OutboundError, RateLimited
from keryx.networks.base import (
    BadSignature,
    Connector,
    Conversation,
    Page,
    WebhookAnswer,
    WebhookRequest,
)
from keryx.networks.domain.accounts import connect_error, connector_for_account
from keryx.networks.models import (
    AccountStatus,
    MetricSnapshot,
    NetworkAccount,
    ReadUse,
    RemoteItem,
    SyncState,
    WebhookDelivery,
)
from keryx.networks.registry import connector_class, network_name, spec

logger = logging.getLogger(__name__)

# How often a finished read runs again, and the longest wait after failures.
SYNC_INTERVAL = dt.timedelta(minutes=10)
MAX_BACKOFF = dt.timedelta(hours=6)


class QuotaExceeded(RateLimited):
    """A metered read that would pass the network's (or the workspace's) limit: refused
    before any request."""

    code = "read_quota"


# --- read quotas -------------------------------------------------------------------------------


def read_quota_take(
    account: NetworkAccount, kind: str, key: str = "", *, now: dt.datetime | None = None
) -> None:
    """Record one metered read of ``kind`` (``key``: what counts as unique), or raise
    :class:`QuotaExceeded` when it would pass the limit. Reads without a quota pass."""
    quota = spec(account.network).read_quota(kind)
    if quota is None:
        return
    now = now or timezone.now()
    name = network_name(account.network)
    options = account.read_settings if isinstance(account.read_settings, dict) else {}
    if quota.opt_in and not options.get("enabled"):
        raise QuotaExceeded(
            _(
                "Reading from %(network)s costs money per read, so it is off. An owner or "
                "manager can turn it on, with a monthly cap, under Settings → Connected accounts."
            )
            % {"network": name},
            retry_after=0,
        )
    limit = int(options.get("monthly_cap") or quota.limit) if quota.opt_in else quota.limit
    since = now - dt.timedelta(hours=quota.window_hours)
    with transaction.atomic():
        # One account's metered reads are counted one at a time.
        NetworkAccount.objects.select_for_update().filter(pk=account.pk).first()
        used = ReadUse.objects.filter(account=account, kind=kind, used_at__gte=since)
        if quota.unique:
            keys = set(used.values_list("key", flat=True))
            if key in keys:
                ReadUse.objects.create(account=account, kind=kind, key=key, used_at=now)
                return
            count = len(keys)
        else:
            count = used.count()
        if count >= limit:
            oldest = used.order_by("used_at").values_list("used_at", flat=True).first()
            wait = (oldest + dt.timedelta(hours=quota.window_hours) - now) if oldest else None
            raise QuotaExceeded(
                _quota_message(name, kind, limit, quota.window_hours, key),
                retry_after=wait.total_seconds() if wait else 0,
            )
        ReadUse.objects.create(account=account, kind=kind, key=key, used_at=now)


def _quota_message(network: str, kind: str, limit: int, hours: float, key: str) -> str:
    days = max(1, round(hours / 24))
    if kind == "hashtag_search":
        return ngettext(
            "%(network)s allows searching %(limit)d different hashtags in %(days)d day; "
            "#%(key)s would be one more. Search again for a hashtag already searched, or wait.",
            "%(network)s allows searching %(limit)d different hashtags in %(days)d days; "
            "#%(key)s would be one more. Search again for a hashtag already searched, or wait.",
            days,
        ) % {"network": network, "limit": limit, "days": days, "key": key.lstrip("#")}
    return ngettext(
        "%(network)s allows %(limit)d reads of this kind in %(days)d day; the limit is reached.",
        "%(network)s allows %(limit)d reads of this kind in %(days)d days; the limit is reached.",
        days,
    ) % {"network": network, "limit": limit, "days": days}


def reading_summary(account: NetworkAccount, *, now: dt.datetime | None = None) -> list[str]:
    """What the accounts page says about reading back: each read quota's use in its window,
    and the last read error in plain words."""
    now = now or timezone.now()
    lines: list[str] = []
    declared = spec(account.network)
    options = account.read_settings if isinstance(account.read_settings, dict) else {}
    for quota in declared.read_quotas:
        if quota.opt_in and not options.get("enabled"):
            lines.append(_("Reading is off (paid per read)."))
            continue
        used = ReadUse.objects.filter(
            account=account,
            kind=quota.kind,
            used_at__gte=now - dt.timedelta(hours=quota.window_hours),
        )
        count = used.values("key").distinct().count() if quota.unique else used.count()
        limit = int(options.get("monthly_cap") or quota.limit) if quota.opt_in else quota.limit
        days = max(1, round(quota.window_hours / 24))
        values = {"used": count, "limit": limit, "days": days}
        if quota.kind == "hashtag_search":
            line = ngettext(
                "Hashtags searched: %(used)d of %(limit)d in the last %(days)d day.",
                "Hashtags searched: %(used)d of %(limit)d in the last %(days)d days.",
                days,
            )
        elif quota.kind == "keyword_search":
            line = ngettext(
                "Keyword searches: %(used)d of %(limit)d in the last %(days)d day.",
                "Keyword searches: %(used)d of %(limit)d in the last %(days)d days.",
                days,
            )
        else:
            line = ngettext(
                "Reads: %(used)d of %(limit)d in the last %(days)d day.",
                "Reads: %(used)d of %(limit)d in the last %(days)d days.",
                days,
            )
        lines.append(line % values)
    failed = account.syncs.exclude(last_error="").order_by("-updated_at").first()
    if failed is not None:
        lines.append(_("Last read failed: %(reason)s") % {"reason": failed.last_error})
    return lines


def account_reads_set(
    *, access: Access, account: NetworkAccount, enabled: bool, monthly_cap: int | None = None
) -> NetworkAccount:
    """Turn reads that cost money on or off for an account (X), with a cap per 30 days."""
    access.require(Perm.NETWORKS_CONNECT)
    if not any(q.opt_in for q in spec(account.network).read_quotas):
        raise ValidationFailed(
            fields={"enabled": [_("Reading from this network costs nothing; nothing to turn on.")]}
        )
    if monthly_cap is not None and monthly_cap < 1:
        raise ValidationFailed(fields={"monthly_cap": [_("Enter a whole number above 0.")]})
    settings_ = {"enabled": enabled, **({"monthly_cap": monthly_cap} if monthly_cap else {})}
    account.read_settings = settings_
    account.save(update_fields=["read_settings", "updated_at"])
    audit_record(
        action="network_account.reads",
        actor=access.user,
        workspace=access.workspace,
        obj=account,
        changes=settings_,
    )
    return account


# --- paged reads -------------------------------------------------------------------------------


def _reader(connector: Connector, kind: str, scope: str) -> Callable[[str], Page]:
    if kind == "mentions":
        return connector.fetch_mentions
    if kind == "comments":
        return lambda cursor: connector.fetch_comments(scope, cursor)
    if kind == "search":
        return lambda cursor: connector.search(scope, cursor)
    raise LookupError(kind)


def store_items(account: NetworkAccount, items: Sequence[Conversation]) -> int:
    """Store what was read; an item already stored is left as it is. Returns how many were
    new."""
    rows = [
        RemoteItem(
            account=account,
            kind=item.kind,
            remote_id=item.remote_id[:300],
            post_remote_id=item.post_remote_id[:300],
            in_reply_to=item.in_reply_to[:300],
            author_name=item.author_name[:300],
            author_handle=item.author_handle[:300],
            text=item.text,
            url=item.url[:1000],
            created_at=item.created_at,
            raw=item.raw,
        )
        for item in items
    ]
    before = RemoteItem.objects.filter(account=account).count()
    RemoteItem.objects.bulk_create(rows, ignore_conflicts=True)
    return RemoteItem.objects.filter(account=account).count() - before


def sync_read(
    account: NetworkAccount,
    kind: str,
    scope: str = "",
    *,
    max_pages: int | None = None,
    connector: Connector | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Read ``kind`` for the account from where the last run stopped, page after page, until
    the last page (or ``max_pages``). Returns how many new items were stored. A network error
    is kept on the sync state in plain words and the next run waits (backoff)."""
    state, _created = SyncState.objects.get_or_create(account=account, kind=kind, scope=scope)
    read = _reader(connector or connector_for_account(account), kind, scope)
    stored = 0
    pages = 0
    quotas = [q for q in spec(account.network).read_quotas if kind in q.reads]
    while max_pages is None or pages < max_pages:
        try:
            for quota in quotas:  # before any request
                read_quota_take(account, quota.kind, scope if quota.unique else "", now=now)
            page = read(state.cursor)
        except QuotaExceeded as exc:
            _failed(state, exc, now=now or timezone.now())
            raise
        except OutboundError as exc:
            _failed(state, exc, now=now or timezone.now())
            return stored
        with transaction.atomic():
            stored += store_items(account, page.items)
            state.cursor = page.cursor
            state.save(update_fields=["cursor", "updated_at"])
        pages += 1
        if page.last:
            moment = now or timezone.now()
            state.last_success_at = moment
            state.last_error = ""
            state.failures = 0
            state.next_run_at = moment + SYNC_INTERVAL
            state.save(update_fields=["last_success_at", "last_error", "failures", "next_run_at"])
            break
    return stored


def _failed(state: SyncState, exc: OutboundError, *, now: dt.datetime) -> None:
    state.failures += 1
    wait = min(SYNC_INTERVAL * (2 ** min(state.failures, 10)), MAX_BACKOFF)
    if isinstance(exc, RateLimited) and exc.retry_after:
        wait = max(wait, dt.timedelta(seconds=exc.retry_after))
    state.last_error = connect_error(exc)[:500]
    state.next_run_at = now + wait
    state.save(update_fields=["failures", "last_error", "next_run_at", "updated_at"])
    logger.info("sync %s failed (%s): %s", state, exc.code, exc.detail or exc.message)


def sync_sweep(*, now: dt.datetime | None = None, max_pages: int | None = None) -> int:
    """The periodic job: every connected account's mentions (where the network has them)
    and every read that is due, except searches: a search belongs to whoever asked for it
    (the social wall runs its hashtags on its own cadence and releases them when it stops),
    and running it here as well spent the network's search quota twice. Safe to run twice:
    each read resumes from its cursor and stores each item once."""
    now = now or timezone.now()
    for account in NetworkAccount.objects.filter(status=AccountStatus.CONNECTED):
        declared = spec(account.network)
        paid = any(q.opt_in and "mentions" in q.reads for q in declared.read_quotas)
        if declared.capabilities.mentions and not paid:
            SyncState.objects.get_or_create(account=account, kind="mentions", scope="")
    stored = 0
    due = SyncState.objects.filter(account__status=AccountStatus.CONNECTED).select_related(
        "account"
    )
    for state in due.exclude(next_run_at__gt=now).exclude(kind="search"):
        try:
            stored += sync_read(
                state.account, state.kind, state.scope, max_pages=max_pages, now=now
            )
        except QuotaExceeded:
            continue  # kept on the state in plain words; tried again after the wait
    return stored


# --- webhooks ----------------------------------------------------------------------------------


def _secrets(network: str) -> tuple[str, str]:
    """The app secret a network signs deliveries with, and Meta's verify token."""
    names = spec(network).webhook_secret
    return (
        str(getattr(settings, names[0], "") or "") if names else "",
        str(getattr(settings, "KERYX_META_WEBHOOK_VERIFY_TOKEN", "") or ""),
    )


def webhook_receive(network: str, request: WebhookRequest) -> WebhookAnswer:
    """Answer a handshake; check a delivery's signature (a bad one is refused and logged);
    store a delivery's items once, however often the network repeats it."""
    cls = connector_class(network)
    secret, verify_token = _secrets(network)
    try:
        answer = cls.handle_webhook(request, secret=secret, verify_token=verify_token)
    except BadSignature:
        logger.warning("webhook from %s refused: bad signature", network)
        raise
    if answer.handshake or not answer.delivery:
        return answer
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(network=network, delivery=answer.delivery)
    except IntegrityError:
        return answer  # delivered before: stored then
    by_account: dict[str, list[Conversation]] = {}
    for item in answer.items:
        by_account.setdefault(item.account_remote_id, []).append(item)
    stored = 0
    for remote_id, items in by_account.items():
        for account in NetworkAccount.objects.filter(network=network, remote_id=remote_id):
            stored += store_items(account, items)
    delivery.items = stored
    delivery.save(update_fields=["items"])
    return answer


# --- metrics -----------------------------------------------------------------------------------

HOURLY_UNTIL = dt.timedelta(hours=48)
DAILY_UNTIL = dt.timedelta(days=30)


def metrics_due(
    published_at: dt.datetime, last_taken: dt.datetime | None, now: dt.datetime
) -> bool:
    """Hourly while a post is under 48 hours old, daily to day 30, then frozen."""
    age = now - published_at
    if age > DAILY_UNTIL:
        return False
    if last_taken is None:
        return True
    every = dt.timedelta(hours=1) if age < HOURLY_UNTIL else dt.timedelta(days=1)
    return now - last_taken >= every


def metrics_snapshot(
    account: NetworkAccount, remote_ids: Sequence[str], *, now: dt.datetime | None = None
) -> int:
    """One snapshot for each of the account's posts, read in one batch call. Returns how many
    were taken; a network error leaves them for the next run."""
    if not remote_ids or not spec(account.network).capabilities.metrics:
        return 0
    now = now or timezone.now()
    try:
        numbers = connector_for_account(account).fetch_metrics(list(remote_ids))
    except OutboundError as exc:
        logger.info("metrics for %s failed: %s", account.pk, exc.detail or exc.message)
        return 0
    MetricSnapshot.objects.bulk_create(
        [
            MetricSnapshot(
                account=account,
                remote_id=remote_id,
                taken_at=now,
                likes=m.likes,
                shares=m.shares,
                comments=m.comments,
                impressions=m.impressions,
                reach=m.reach,
                link_clicks=m.clicks,
                video_views=m.video_views,
            )
            for remote_id, m in numbers.items()
        ]
    )
    return len(numbers)
