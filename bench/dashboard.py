"""The seminar dashboard at scale: 1,000,000 clicks, 1,000,000 metric snapshots and 100,000
registrations in one seminar, on SQLite and on PostgreSQL.

    python bench/dashboard.py --out bench/results/dashboard.json
    python bench/dashboard.py --quick --out /tmp/dashboard-quick.json   # 1/20 of the data
    python bench/dashboard.py --quick --only sqlite --out /tmp/d.json
    python bench/dashboard.py --database-url postgres://… --only postgresql --out /tmp/d.json

For each database a child process migrates a fresh database (SQLite: a file in a temporary
directory; PostgreSQL: ``--database-url``, else BENCH_DASHBOARD_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/kx_dashboard, emptied first), bulk-inserts the data (raw
multi-row inserts; COPY on PostgreSQL), builds the pre-aggregated figures once (as the
periodic task does; timed apart as ``rollup_build_s``, and an incremental run after 1,000 more
clicks as ``rollup_incremental_s``), then requests the dashboard, the funnel and the audience
pages 20 times each as a signed-in owner through Django's test client (the real views and
templates), and renders the PDF report once if ``keryx.analytics.reports.render_pdf`` exists.

Writes ``{"sqlite": {...}, "postgresql": {...}}`` with ``clicks``, ``snapshots``,
``registrations``, ``dashboard_p95_ms``, ``funnel_p95_ms``, ``audience_p95_ms`` and
``report_pdf_s`` (null when the report module is not there) per database. Goals: every page
p95 < 300 ms, report < 20 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

from _support import fresh_database, owner_and_workspace, run_child

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get(
    "BENCH_DASHBOARD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kx_dashboard"
)
NETWORKS = ["facebook", "instagram", "linkedin", "x", "mastodon", "bluesky"]
REFERRERS = ["", "", "t.co", "l.facebook.com", "www.linkedin.com", "l.instagram.com", "google.com"]
DAYS = 60
REQUESTS = 20


def _p95(times: list[float]) -> float:
    return round(sorted(times)[int(len(times) * 0.95) - 1], 1)


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Many rows fast: COPY on PostgreSQL, multi-row INSERTs on SQLite."""
    from django.db import connection

    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
            buffer.seek(0)
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(buffer.read())
        else:
            placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
            step = max(1, 900 // len(columns))
            for start in range(0, len(rows), step):
                chunk = rows[start : start + step]
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608 - names
                    + ", ".join([placeholders] * len(chunk)),
                    [v for row in chunk for v in row],
                )


def child(clicks: int, snapshots: int, registrations: int) -> dict[str, Any]:
    fresh_database()
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from keryx.analytics.domain.rollups import rollups_refresh
    from keryx.analytics.models import AdCampaign
    from keryx.content.models import Post, Variant
    from keryx.links.models import Click, TrackedLink
    from keryx.networks.models import MetricSnapshot, NetworkAccount
    from keryx.registrations.models import Registration
    from keryx.seminars.models import KpiTarget, Seminar

    rng = random.Random(14)
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    user, workspace = owner_and_workspace()
    seminar = Seminar.objects.create(
        workspace=workspace,
        title="Σεμινάριο μετρήσεων",
        slug="bench-dashboard",
        time_zone="Europe/Athens",
        starts_at=now + dt.timedelta(days=10),
        ends_at=now + dt.timedelta(days=10, hours=6),
    )
    for metric, target in (("registrations", 120000), ("clicks", 1200000), ("engagement", 10**6)):
        KpiTarget.objects.create(seminar=seminar, metric=metric, target=target)
    accounts = [
        NetworkAccount.objects.create(
            workspace=workspace, network=n, name=n, remote_id=f"{n}-bench"
        )
        for n in NETWORKS
    ]
    themes = ["speaker_spotlight", "practical_tip", "countdown", "success_story", ""]
    posts = Post.objects.bulk_create(
        Post(
            workspace=workspace,
            seminar=seminar,
            master_text=f"Ανάρτηση {i}",
            theme=themes[i % len(themes)],
        )
        for i in range(200)
    )
    variant_count = max(1, snapshots // 1000)  # a thousand snapshots each
    variants = Variant.objects.bulk_create(
        Variant(
            post=posts[i % len(posts)],
            account=accounts[(i // len(posts)) % len(accounts)],
            network=accounts[(i // len(posts)) % len(accounts)].network,
            text=f"Ανάρτηση {i}",
            status="published",
            published_at=now - dt.timedelta(days=DAYS),
            remote_id=f"remote-{i}",
        )
        for i in range(min(variant_count, len(posts) * len(accounts)))
    )
    links = TrackedLink.objects.bulk_create(
        TrackedLink(
            workspace=workspace,
            seminar=seminar,
            code=f"b{i:05d}",
            destination="https://example.org/",
            network=NETWORKS[i % len(NETWORKS)],
            utm_source=NETWORKS[i % len(NETWORKS)],
            post=posts[i % len(posts)],
        )
        for i in range(300)
    )
    campaign = AdCampaign.objects.create(
        workspace=workspace,
        seminar=seminar,
        platform="meta",
        name="Bench",
        starts_on=(now - dt.timedelta(days=DAYS)).date(),
        ends_on=seminar.starts_at.date(),
        budget=5000,
    )
    campaign.links.set(links[:40])

    started = time.perf_counter()
    start = now - dt.timedelta(days=DAYS)
    span = DAYS * 86400
    batch = 50_000
    with transaction.atomic():
        for offset in range(0, clicks, batch):
            _insert(
                Click._meta.db_table,
                ["link_id", "at", "kind", "agent", "visitor", "user_agent", "referrer"],
                [
                    (
                        links[rng.randrange(len(links))].pk,
                        adapt(start + dt.timedelta(seconds=rng.randrange(span))),
                        "human" if rng.random() < 0.9 else rng.choice(["bot", "preview"]),
                        "",
                        f"v{rng.randrange(clicks // 3 or 1):x}",
                        "",
                        rng.choice(REFERRERS),
                    )
                    for _ in range(min(batch, clicks - offset))
                ],
            )
    clicks_s = time.perf_counter() - started

    t0 = time.perf_counter()
    per_variant = snapshots // len(variants)
    with transaction.atomic():
        rows: list[tuple[Any, ...]] = []
        for variant in variants:
            likes = shares = comments = impressions = 0
            for k in range(per_variant):
                likes += rng.randrange(3)
                shares += rng.randrange(2)
                comments += rng.randrange(2)
                impressions += rng.randrange(40)
                rows.append(
                    (
                        variant.account_id,
                        variant.remote_id,
                        adapt(start + dt.timedelta(seconds=span * k // per_variant)),
                        likes,
                        shares,
                        comments,
                        None if variant.network == "x" else impressions,
                        None if variant.network in ("x", "mastodon") else impressions // 2,
                    )
                )
            if len(rows) >= batch:
                _insert(MetricSnapshot._meta.db_table, SNAPSHOT_COLUMNS, rows)
                rows = []
        _insert(MetricSnapshot._meta.db_table, SNAPSHOT_COLUMNS, rows)
    snapshots_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    regions = ["Αττική", "Κεντρική Μακεδονία", "Κρήτη", "Θεσσαλία", ""]
    heard = ["social", "friend", "newsletter", ""]
    for offset in range(0, registrations, 5000):
        made = Registration.objects.bulk_create(
            Registration(
                seminar=seminar,
                status="cancelled" if (offset + i) % 25 == 0 else "registered",
                name=f"Συμμετέχων {offset + i}",
                email=f"p{offset + i}@example.org",
                language="el",
                region=rng.choice(regions),
                heard_from=rng.choice(heard),
                last_touch_code=links[rng.randrange(len(links))].code if rng.random() < 0.8 else "",
                confirmed_at=now if rng.random() < 0.7 else None,
                checked_in_at=now if rng.random() < 0.1 else None,
            )
            for i in range(min(5000, registrations - offset))
        )
        when = [start + dt.timedelta(seconds=rng.randrange(span)) for _ in made]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Registration._meta.db_table} SET created_at = %s WHERE id = %s",  # noqa: S608
                [(adapt(w), r.pk) for w, r in zip(when, made, strict=True)],
            )
    registrations_s = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    t0 = time.perf_counter()
    rollups_refresh(seminar)
    rollup_build_s = time.perf_counter() - t0
    _insert(
        Click._meta.db_table,
        ["link_id", "at", "kind", "agent", "visitor", "user_agent", "referrer"],
        [(links[i % len(links)].pk, adapt(now), "human", "", f"n{i}", "", "") for i in range(1000)],
    )
    t0 = time.perf_counter()
    rollups_refresh(seminar)
    rollup_incremental_s = time.perf_counter() - t0

    client = Client()
    client.force_login(user)
    base = f"/w/{workspace.slug}/analytics/kpis/{seminar.pk}/"
    result: dict[str, Any] = {
        "clicks": Click.objects.filter(link__seminar=seminar).count(),
        "snapshots": MetricSnapshot.objects.count(),
        "registrations": Registration.objects.filter(seminar=seminar).count(),
    }
    for name, url in (
        ("dashboard", base),
        ("funnel", base + "funnel/?by=network"),
        ("audience", base + "audience/"),
    ):
        assert client.get(url).status_code == 200  # warm-up
        times = []
        for _ in range(REQUESTS):
            t0 = time.perf_counter()
            answer = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert answer.status_code == 200, (url, answer.status_code)
        result[f"{name}_p95_ms"] = _p95(times)
        result[f"{name}_p50_ms"] = round(statistics.median(times), 1)
    for by in ("post", "theme", "campaign"):
        t0 = time.perf_counter()
        assert client.get(base + f"funnel/?by={by}").status_code == 200
        result[f"funnel_by_{by}_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    result["report_pdf_s"] = _report(seminar)
    result.update(
        {
            "clicks_write_s": round(clicks_s, 1),
            "snapshots_write_s": round(snapshots_s, 1),
            "registrations_write_s": round(registrations_s, 1),
            "rollup_build_s": round(rollup_build_s, 2),
            "rollup_incremental_s": round(rollup_incremental_s, 2),
            "variants": len(variants),
            "tracked_links": len(links),
            "machine_load_1m": round(os.getloadavg()[0], 1),
        }
    )
    return result


SNAPSHOT_COLUMNS = [
    "account_id",
    "remote_id",
    "taken_at",
    "likes",
    "shares",
    "comments",
    "impressions",
    "reach",
]


def _report(seminar: Any) -> float | None:
    """The PDF report's time, or None where ``keryx.analytics.reports`` is not on this
    branch (the reports work is merged separately)."""
    try:
        from keryx.analytics.reports import render_pdf  # type: ignore[attr-defined]
    except ImportError:
        return None
    t0 = time.perf_counter()
    render_pdf(seminar, language="el")
    return round(time.perf_counter() - t0, 2)


def run(database: str, sizes: tuple[int, int, int], database_url: str | None) -> dict[str, Any]:
    url = (database_url or PG_URL) if database == "postgresql" else None
    try:
        return run_child(__file__, ["--child", ",".join(map(str, sizes))], database_url=url)
    except RuntimeError as exc:
        raise SystemExit(f"the {database} run failed: {exc}") from exc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=False)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--database-url", help="PostgreSQL database to empty and fill")
    args = parser.parse_args()
    if args.child:
        clicks, snapshots, registrations = (int(n) for n in args.child.split(","))
        print(json.dumps(child(clicks, snapshots, registrations)))
        return 0
    if not args.out:
        parser.error("--out FILE is required")
    sizes = (50_000, 50_000, 5_000) if args.quick else (1_000_000, 1_000_000, 100_000)
    results = {}
    for database in ["sqlite", "postgresql"]:
        if args.only and database != args.only:
            continue
        results[database] = r = run(database, sizes, args.database_url)
        report = (
            "n/a (reports module not on this branch)"
            if r["report_pdf_s"] is None
            else (f"{r['report_pdf_s']} s")
        )
        print(
            f"{database:>10}: {r['clicks']} clicks, {r['snapshots']} snapshots, "
            f"{r['registrations']} registrations (written in {r['clicks_write_s']} + "
            f"{r['snapshots_write_s']} + {r['registrations_write_s']} s; figures built in "
            f"{r['rollup_build_s']} s, then {r['rollup_incremental_s']} s incremental) · p95: "
            f"dashboard {r['dashboard_p95_ms']} ms, funnel {r['funnel_p95_ms']} ms, audience "
            f"{r['audience_p95_ms']} ms · PDF report {report} · load {r['machine_load_1m']}"
        )
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
