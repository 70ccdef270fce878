"""Pre-aggregated figures of a seminar, so the dashboard, funnel and audience pages read a few
thousand rows instead of millions of clicks and metric snapshots (decision 0955).

- **Clicks** (``DailyFigure``): per tracked link, day (seminar's time zone) and kind; people's
  unique visitors per link and day; people's clicks per referring site and day. Incremental:
  only the days from the earliest day of the clicks stored since the last run (by id), plus
  today and yesterday (a click committed late under a lower id is caught there), are counted
  again.
- **Metric snapshots** (``MetricDay``): each variant's last snapshot of each day. Incremental
  the same way, per variant.
- **Registrations**: regrouped in full each run (a few grouped queries; their status changes
  at any time, so a day's count is not final).

``rollups_refresh`` is safe to run twice and at the same time as itself (each part replaces
its rows in one transaction). The periodic task runs it for the seminars that are not over;
a page refreshes a seminar whose figures were never built, or are older than ``STALE_AFTER``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Func, Max, Min, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from keryx.analytics.models import DailyFigure, MetricDay, RollupState
from keryx.content.models import Variant
from keryx.links.enums import ClickKind
from keryx.links.models import Click
from keryx.networks.models import MetricSnapshot
from keryx.registrations.enums import RegistrationStatus
from keryx.registrations.models import Registration
from keryx.seminars.models import Seminar

STALE_AFTER = dt.timedelta(minutes=5)
CLICK_SERIES = tuple(f"clicks:{kind}" for kind in ClickKind.values)
METRIC_FIELDS = ("likes", "shares", "comments", "impressions", "reach", "link_clicks")
REGISTRATION_SERIES = (
    "registrations",  # not cancelled, by the day created, key: last touch code
    "confirmed",  # not cancelled, by the day confirmed
    "checked_in",  # by the day checked in
    "region",  # not cancelled, no day, key: region
    "heard_from",  # not cancelled, no day, key: answer
    "funnel:registrations",  # every registration, no day, key: last touch code
    "funnel:confirmations",
    "funnel:check_ins",
    "funnel:cancellations",
    "funnel:ratings",  # registrants who rated (live rating poll or feedback survey)
    "funnel:rating_sum",  # the sum of their ratings (1–5), for the average
    "funnel:rating_n",  # how many ratings
)


def _day_start(day: dt.date, seminar: Seminar) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=seminar.tz)


def _figures(seminar: Seminar, series: str, rows: Iterable[tuple[Any, Any, int]]) -> list[Any]:
    return [
        DailyFigure(seminar=seminar, series=series, day=day, key="" if key is None else str(key),
                    value=value)
        for day, key, value in rows
        if value
    ]  # fmt: skip


def _day_runs(
    seminar: Seminar, first: dt.date, last: dt.date
) -> list[tuple[dt.datetime, dt.datetime, int]]:
    """The local days ``first``…``last`` as runs of constant UTC offset: (UTC start, UTC
    end, offset in seconds), cut where the clocks change. Within a run, a time's local day is
    the date of the UTC time shifted by the offset. (A day the clocks change is in two runs;
    its counts come in two rows, which the readers sum.)"""
    start = _day_start(first, seminar).astimezone(dt.UTC)  # steps in real time, not wall time
    end = _day_start(last + dt.timedelta(days=1), seminar).astimezone(dt.UTC)
    step = dt.timedelta(minutes=15)

    def offset(at: dt.datetime) -> int:
        return int(at.astimezone(seminar.tz).utcoffset().total_seconds())  # type: ignore[union-attr]

    runs: list[tuple[dt.datetime, dt.datetime, int]] = []
    run_start, current, at = start, offset(start), start
    while at < end:
        at = min(at + step, end)
        if at < end and offset(at) != current:
            runs.append((run_start, at, current))
            run_start, current = at, offset(at)
    runs.append((run_start, end, current))
    return runs


def _local_day(field: str, seminar: Seminar, offset: int) -> Any:
    """The local day of a time field: TruncDate where the database knows time zones; on
    SQLite the date of the stored UTC time shifted by the run's offset (no per-row Python
    function: a million rows in a second, not half a minute)."""
    if connection.vendor == "sqlite":
        return Func(
            F(field), Value(f"{offset:+d} seconds"), function="date", output_field=DateField()
        )
    return TruncDate(field, tzinfo=seminar.tz)


def _insert_grouped(seminar: Seminar, series: str, key: str, grouped: QuerySet[Any]) -> None:
    """INSERT … SELECT of a grouped query with the columns ``day``, ``key`` and ``n`` (the
    rows never travel through Python). ``series`` is SQL over the query's columns, or a
    literal series name."""
    sql, params = grouped.query.sql_with_params()
    quote = connection.ops.quote_name
    series_sql = series if "||" in series else "%s"
    series_params = [] if "||" in series else [series]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(DailyFigure._meta.db_table)} "  # noqa: S608 - names, not input
            f"(seminar_id, series, day, {quote('key')}, value) "
            f"SELECT %s, {series_sql}, q.day, COALESCE(CAST(q.{key} AS TEXT), ''), q.n "
            f"FROM ({sql}) q WHERE q.n > 0",
            [seminar.pk, *series_params, *params],
        )


def _clicks_refresh(seminar: Seminar, state: RollupState, today: dt.date) -> None:
    clicks = Click.objects.filter(link__seminar=seminar)
    # the newest click of any seminar (the primary key's end: no scan); only clicks above the
    # watermark are looked at for their days
    newest = Click.objects.aggregate(top=Max("pk"))["top"] or 0
    if newest <= state.clicks_upto and state.refreshed_at is not None:
        since = today - dt.timedelta(days=1)
    else:
        earliest = (
            clicks.filter(pk__gt=state.clicks_upto).order_by("at").values_list("at", flat=True)[:1]
        )
        first = earliest[0].astimezone(seminar.tz).date() if earliest else today
        since = min(first, today - dt.timedelta(days=1))
    latest = clicks.order_by("-at").values_list("at", flat=True)[:1]
    until = max(today, latest[0].astimezone(seminar.tz).date() if latest else today)
    with transaction.atomic():
        DailyFigure.objects.filter(
            seminar=seminar, series__in=[*CLICK_SERIES, "visitors", "referrer"], day__gte=since
        ).delete()
        for start, end, offset in _day_runs(seminar, since, until):
            run = clicks.filter(at__gte=start, at__lt=end).annotate(
                day=_local_day("at", seminar, offset)
            )
            _insert_grouped(
                seminar,
                "'clicks:' || q.kind",
                "link_id",
                run.values("day", "link_id", "kind").annotate(n=Count("pk")).order_by(),
            )
            people = run.filter(kind=ClickKind.HUMAN)
            _insert_grouped(
                seminar,
                "visitors",
                "link_id",
                people.exclude(visitor="")
                .values("day", "link_id")
                .annotate(n=Count("visitor", distinct=True))
                .order_by(),
            )
            _insert_grouped(
                seminar,
                "referrer",
                "referrer",
                people.values("day", "referrer").annotate(n=Count("pk")).order_by(),
            )
    state.clicks_upto = max(newest, state.clicks_upto)


def _rated(seminar: Seminar) -> dict[int, list[int]]:
    """Each registrant's ratings (1–5): live rating polls and feedback surveys' 1–5 ratings."""
    from keryx.live.models import Vote
    from keryx.surveys.models import Answer

    ratings: dict[int, list[int]] = {}
    votes = Vote.objects.filter(
        poll__room__seminar=seminar,
        poll__kind="rating",
        value__isnull=False,
        participant__registration__isnull=False,
    ).values_list("participant__registration_id", "value")
    answers = Answer.objects.filter(
        response__survey__seminar=seminar,
        response__survey__kind="feedback",
        response__submitted=True,
        response__registration__isnull=False,
        question__kind="rating5",
        number__isnull=False,
    ).values_list("response__registration_id", "number")
    for registration_id, value in [*votes, *answers]:
        ratings.setdefault(registration_id, []).append(round(value or 0))
    return ratings


def _registrations_refresh(seminar: Seminar) -> None:
    everyone = Registration.objects.filter(seminar=seminar)
    active = everyone.exclude(status=RegistrationStatus.CANCELLED)
    made: list[DailyFigure] = []

    def per_day(series: str, qs: QuerySet[Registration], field: str) -> None:
        span = qs.aggregate(first=Min(field), last=Max(field))
        if span["first"] is None:
            return
        first, last = (span[k].astimezone(seminar.tz).date() for k in ("first", "last"))
        for start, end, offset in _day_runs(seminar, first, last):
            _insert_grouped(
                seminar,
                series,
                "last_touch_code",
                qs.filter(**{f"{field}__gte": start, f"{field}__lt": end})
                .annotate(day=_local_day(field, seminar, offset))
                .values("day", "last_touch_code")
                .annotate(n=Count("pk"))
                .order_by(),
            )

    for field in ("region", "heard_from"):
        made += _figures(
            seminar,
            field,
            ((None, k, n) for k, n in active.values_list(field).annotate(n=Count("pk")).order_by()),
        )
    funnel = list(
        everyone.values_list("last_touch_code")
        .annotate(
            registrations=Count("pk"),
            confirmations=Count("pk", filter=Q(confirmed_at__isnull=False)),
            check_ins=Count("pk", filter=Q(checked_in_at__isnull=False)),
            cancellations=Count("pk", filter=Q(cancelled_at__isnull=False)),
        )
        .order_by()
    )
    for i, name in enumerate(("registrations", "confirmations", "check_ins", "cancellations")):
        made += _figures(seminar, f"funnel:{name}", ((None, row[0], row[i + 1]) for row in funnel))
    ratings = _rated(seminar)
    if ratings:
        codes = dict(everyone.filter(pk__in=list(ratings)).values_list("pk", "last_touch_code"))
        per_code: dict[str, list[int]] = {}
        for registration_id, values in ratings.items():
            per_code.setdefault(codes.get(registration_id, ""), []).extend(
                [len(values), sum(values), 1]
            )
        for code, (n, total, people) in (
            (c, (sum(v[0::3]), sum(v[1::3]), sum(v[2::3]))) for c, v in per_code.items()
        ):
            made += _figures(seminar, "funnel:ratings", [(None, code, people)])
            made += _figures(seminar, "funnel:rating_sum", [(None, code, total)])
            made += _figures(seminar, "funnel:rating_n", [(None, code, n)])
    with transaction.atomic():
        DailyFigure.objects.filter(seminar=seminar, series__in=REGISTRATION_SERIES).delete()
        DailyFigure.objects.bulk_create(made, batch_size=2000)
        per_day("registrations", active, "created_at")
        per_day("confirmed", active, "confirmed_at")
        per_day("checked_in", everyone, "checked_in_at")


def seminar_variants(seminar: Seminar) -> dict[tuple[int, str], tuple[int, str]]:
    """(account id, remote id) → (variant id, network) of the seminar's published variants."""
    return {
        (account_id, remote_id): (pk, network)
        for pk, account_id, remote_id, network in Variant.objects.filter(
            post__seminar=seminar, account__isnull=False
        )
        .exclude(remote_id="")
        .values_list("pk", "account_id", "remote_id", "network")
    }


def _metrics_refresh(seminar: Seminar, state: RollupState) -> None:
    variants = seminar_variants(seminar)
    if not variants:
        return
    snapshots = MetricSnapshot.objects.filter(
        account_id__in={a for a, _r in variants}, remote_id__in={r for _a, r in variants}
    )
    newest = MetricSnapshot.objects.aggregate(top=Max("pk"))["top"] or 0
    if newest <= state.snapshots_upto:
        return
    fresh = list(
        snapshots.filter(pk__gt=state.snapshots_upto)
        .values("account_id", "remote_id")
        .annotate(earliest=Min("taken_at"), top=Max("pk"))
        .order_by()
        .values_list("account_id", "remote_id", "earliest", "top")
    )
    fresh = [row for row in fresh if (row[0], row[1]) in variants]
    if not fresh:
        state.snapshots_upto = newest
        return
    touched = {variants[(a, r)][0]: since for a, r, since, _top in fresh}
    since_day = min(t.astimezone(seminar.tz).date() for t in touched.values())
    latest = snapshots.aggregate(last=Max("taken_at"))["last"]
    until_day = latest.astimezone(seminar.tz).date()
    since_of = {v: t.astimezone(seminar.tz).date() for v, t in touched.items()}
    made: dict[tuple[int, dt.date], MetricDay] = {}
    for start, end, offset in _day_runs(seminar, since_day, until_day):
        day = _local_day("taken_at", seminar, offset)
        # each post's last snapshot of each day, chosen by the database (a window function)
        last_of_day = (
            snapshots.filter(taken_at__gte=start, taken_at__lt=end)
            .annotate(
                day=day,
                rank=Window(
                    RowNumber(),
                    partition_by=[F("account_id"), F("remote_id"), day],
                    order_by=[F("taken_at").desc(), F("pk").desc()],
                ),
            )
            .filter(rank=1)
            .values_list("account_id", "remote_id", "day", "taken_at", *METRIC_FIELDS)
        )
        for account_id, remote_id, local_day, taken_at, *numbers in last_of_day:
            found = variants.get((account_id, remote_id))
            if found is None or found[0] not in since_of or local_day < since_of[found[0]]:
                continue
            # a day the clocks change is in two runs: its later snapshot wins
            previous = made.get((found[0], local_day))
            if previous is not None and previous.taken_at > taken_at:
                continue
            made[(found[0], local_day)] = MetricDay(
                seminar=seminar,
                variant_id=found[0],
                network=found[1],
                day=local_day,
                taken_at=taken_at,
                **dict(zip(METRIC_FIELDS, numbers, strict=True)),
            )
    with transaction.atomic():
        by_since: dict[dt.date, list[int]] = {}
        for variant_id, since in since_of.items():
            by_since.setdefault(since, []).append(variant_id)
        for since, ids in by_since.items():
            MetricDay.objects.filter(variant_id__in=ids, day__gte=since).delete()
        MetricDay.objects.bulk_create(list(made.values()), batch_size=2000)
        _metric_totals_refresh(seminar)
    state.snapshots_upto = max(state.snapshots_upto, max(top for *_x, top in fresh))


def _metric_totals_refresh(seminar: Seminar) -> None:
    """Engagement per network and day, summed over the variants' days (small: variants ×
    days rows in, networks × days × fields out)."""
    from keryx.analytics.engagement import FIELDS, network_totals

    rows = [
        (variant_id, network, day, list(numbers))
        for variant_id, network, day, *numbers in MetricDay.objects.filter(seminar=seminar)
        .order_by("day")
        .values_list("variant_id", "network", "day", *FIELDS)
        .iterator(chunk_size=5000)
    ]
    made = network_totals(rows)
    for figure in made:
        figure.seminar = seminar
    DailyFigure.objects.filter(seminar=seminar, series__in=[f"metric:{f}" for f in FIELDS]).delete()
    DailyFigure.objects.bulk_create(made, batch_size=2000)


# Series read whole by the pages: summed once per refresh into "total:<series>" (per key, no
# day) and "daily:<series>" (per day, no key), so a page reads hundreds of rows, not the
# links × days ones.
TOTALLED = ("clicks:human", "visitors", "referrer", "registrations", "confirmed", "checked_in")


def _totals_refresh(seminar: Seminar) -> None:
    table = connection.ops.quote_name(DailyFigure._meta.db_table)
    key = connection.ops.quote_name("key")
    names = ", ".join(["%s"] * len(TOTALLED))
    with transaction.atomic(), connection.cursor() as cursor:
        DailyFigure.objects.filter(
            seminar=seminar,
            series__in=[f"{kind}:{s}" for kind in ("total", "daily") for s in TOTALLED],
        ).delete()
        cursor.execute(
            f"INSERT INTO {table} (seminar_id, series, day, {key}, value) "  # noqa: S608
            f"SELECT seminar_id, 'total:' || series, NULL, {key}, SUM(value) FROM {table} "
            f"WHERE seminar_id = %s AND series IN ({names}) AND day IS NOT NULL "
            f"GROUP BY seminar_id, series, {key}",
            [seminar.pk, *TOTALLED],
        )
        cursor.execute(
            f"INSERT INTO {table} (seminar_id, series, day, {key}, value) "  # noqa: S608
            f"SELECT seminar_id, 'daily:' || series, day, '', SUM(value) FROM {table} "
            f"WHERE seminar_id = %s AND series IN ({names}) AND day IS NOT NULL "
            f"GROUP BY seminar_id, series, day",
            [seminar.pk, *TOTALLED],
        )


def rollups_refresh(
    seminar: Seminar, *, now: dt.datetime | None = None, full: bool = False
) -> RollupState:
    """Bring the seminar's figures up to date (incrementally where possible; ``full`` counts
    everything again, for data changed in place)."""
    now = now or timezone.now()
    today = now.astimezone(seminar.tz).date()
    state, _created = RollupState.objects.get_or_create(seminar=seminar)
    if full:
        state.clicks_upto = state.snapshots_upto = 0
    _clicks_refresh(seminar, state, today)
    _registrations_refresh(seminar)
    _metrics_refresh(seminar, state)
    _totals_refresh(seminar)
    state.refreshed_at = now
    state.save(update_fields=["clicks_upto", "snapshots_upto", "refreshed_at"])
    return state


def rollups_ensure(seminar: Seminar, *, now: dt.datetime | None = None) -> dt.datetime:
    """The time the seminar's figures are as of; builds them first if they are missing or
    older than ``STALE_AFTER`` (the periodic task normally keeps them fresher)."""
    now = now or timezone.now()
    state = RollupState.objects.filter(seminar=seminar).first()
    if state is None or state.refreshed_at is None or now - state.refreshed_at > STALE_AFTER:
        state = rollups_refresh(seminar, now=now)
    assert state.refreshed_at is not None
    return state.refreshed_at


def rollups_periodic(*, now: dt.datetime | None = None) -> int:
    """Refresh every seminar that is not long over (periodic; safe to run twice)."""
    now = now or timezone.now()
    count = 0
    for seminar in Seminar.objects.filter(starts_at__gte=now - dt.timedelta(days=60)):
        rollups_refresh(seminar, now=now)
        count += 1
    return count
