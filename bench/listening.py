"""Listening speed: the offline sentiment analyser and the crisis replay.

    python bench/listening.py --out bench/results/listening.json   # 200,000 texts, 1,000,000 mentions
    python bench/listening.py --quick --out /tmp/listening.json     # 20,000 texts, 100,000 mentions
    python bench/listening.py --only inbox --out /tmp/inbox.json    # the inbox page only

Writes one JSON object with:

* ``sentiment_texts_per_s_per_core``: distinct short texts (a third each Greek, English and
  Greeklish, built from seminar-comment fragments so no two are equal: the per-text cache never
  hits) analysed by one process, divided by the CPU seconds it used (goal ≥ 5,000);
* ``sentiment_cli_texts_per_s_per_core``: the same through ``keryx analyze sentiment`` (JSON
  Lines in and out, start-up included), by the CPU time of the process;
* ``crisis_replay_s``: wall seconds of ``keryx analyze crisis --input FILE`` on a generated
  timeline of 1,000,000 mentions over 30 days with a positive spike and a negative surge (goal
  < 60), with ``crisis_replay_cpu_s`` and the ``crisis_alerts`` it raised.

* ``inbox_page_p95_ms`` (SQLite) and ``inbox_page_p95_ms_postgresql``: the inbox page with
  100,000 conversations (10,000 with ``--quick``) in a fresh database each (PostgreSQL:
  BENCH_INBOX_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/kx_inbox, emptied
  first): the first page, filtered by network, sentiment, assignee, status and language,
  searched, and the next page by its cursor, through Django's test client (goal < 300);
  the details under ``inbox_sqlite`` / ``inbox_postgresql``. ``--only inbox`` runs just this.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _support import fresh_database, owner_and_workspace, run_child

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
sys.path.insert(0, str(SRC))

EL = (
    ["Πολύ καλό", "Εξαιρετική", "Απαράδεκτη", "Βαρετή", "Τι ώρα ξεκινάει", "Πού είναι"],
    ["η ομιλία", "το σεμινάριο", "η οργάνωση", "ο ήχος", "το workshop", "η αίθουσα"],
    ["σήμερα", "στην Αθήνα", "για τα social", "του Μαΐου", "στο live", "με τον ομιλητή"],
    ["!", ";", ".", " 👏", " 😡", ""],
)
EN = (
    ["Really great", "Excellent", "Unacceptable", "Boring", "What time is", "Where is"],
    ["the talk", "the seminar", "the organisation", "the sound", "the workshop", "the room"],
    ["today", "in Athens", "about social media", "in May", "on the stream", "with the speaker"],
    ["!", "?", ".", " 👏", " 😡", ""],
)
GL = (
    ["poli kalo", "ekseretiki", "aparadekti", "varetI", "ti wra ksekinaei", "pou einai"],
    ["h omilia", "to seminario", "h organwsh", "o hxos", "to workshop", "h ai8ousa"],
    ["shmera", "sthn A8hna", "gia ta social", "tou Maiou", "sto live", "me ton omilhth"],
    ["!", "?", ".", " 👏", " 😡", ""],
)
NAMES = [f"{a}{b}" for a in "ΑΒΓΔΕΖΗΘΙΚΛΜ" for b in "αειου"] + [
    f"{a}{b}" for a in "BCDFGHKLMNPRST" for b in "aeiou"
]


def texts(n: int, seed: int = 13) -> list[str]:
    """``n`` distinct texts, a third in each form."""
    rng = random.Random(seed)
    out: set[str] = set()
    forms = (EL, EN, GL)
    while len(out) < n:
        first, second, third, end = forms[len(out) % 3]
        words = [rng.choice(first), rng.choice(second), rng.choice(third)]
        rng.shuffle(words)
        out.add(f"{' '.join(words)} {rng.choice(NAMES)}{rng.randrange(10_000)}{rng.choice(end)}")
    return list(out)


def bench_sentiment(n: int) -> dict[str, float]:
    from keryx.insights.sentiment.analyser import analyse

    sample = texts(n)
    analyse("warm up: Πολύ καλό, poli kalo, very good")
    start = time.process_time()
    wall = time.perf_counter()
    for text in sample:
        analyse(text)
    cpu = time.process_time() - start
    return {
        "texts": n,
        "sentiment_cpu_s": round(cpu, 3),
        "sentiment_wall_s": round(time.perf_counter() - wall, 3),
        "sentiment_texts_per_s_per_core": round(n / cpu),
    }


def bench_sentiment_cli(n: int) -> dict[str, float]:
    """``keryx analyze sentiment`` end to end (JSON in and out, start-up included)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "texts.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for i, text in enumerate(texts(n, seed=29)):
                out.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env["PYTHONPATH"] = str(SRC)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [sys.executable, "-m", "keryx", "analyze", "sentiment", "--input", str(path)],
            stdout=subprocess.DEVNULL,
            env=env,
            check=True,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"sentiment_cli_texts_per_s_per_core": round(n / cpu)}


def write_timeline(path: Path, n: int, seed: int = 7) -> None:
    """``n`` mentions over 30 days: a quiet base, a positive spike on day 10, a negative surge
    on day 20 (each two hours)."""
    rng = random.Random(seed)
    from keryx.insights.sentiment.analyser import analyse

    pool = texts(5000, seed=seed)
    praise = [t for t in pool if analyse(t).label == "positive"]
    anger = [t for t in pool if analyse(t).label == "negative"]
    start = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    span = 30 * 86400
    spike = 10 * 86400
    surge = 20 * 86400
    burst = n // 20  # each event holds 5 % of the mentions
    base = n - 2 * burst
    times = sorted(
        [(rng.uniform(0, span), 0) for _ in range(base)]
        + [(spike + rng.uniform(0, 7200), 1) for _ in range(burst)]
        + [(surge + rng.uniform(0, 7200), 2) for _ in range(burst)]
    )
    networks = ["x", "bluesky", "mastodon", "facebook", "instagram"]
    with path.open("w", encoding="utf-8") as out:
        for seconds, kind in times:
            text = rng.choice(praise if kind == 1 else anger if kind == 2 else pool)
            when = (start + dt.timedelta(seconds=seconds)).isoformat()
            out.write(
                json.dumps(
                    {"time": when, "network": rng.choice(networks), "text": text},
                    ensure_ascii=False,
                )
                + "\n"
            )


def bench_crisis(n: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mentions.jsonl"
        write_timeline(path, n)
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env["PYTHONPATH"] = str(SRC)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "keryx", "analyze", "crisis", "--input", str(path)],
            capture_output=True,
            env=env,
            check=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    alerts = json.loads(done.stdout)["alerts"]
    return {
        "mentions": n,
        "crisis_replay_s": round(wall, 2),
        "crisis_replay_cpu_s": round(
            (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2
        ),
        "crisis_alerts": [a["kind"] for a in alerts],
    }


# --- the inbox page (issue 13): 100,000 conversations, SQLite and PostgreSQL ------------------

PG_URL = os.environ.get("BENCH_INBOX_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kx_inbox")


def inbox_child(conversations: int) -> dict[str, object]:
    """In a fresh database: ``conversations`` conversations over 60 days on three accounts,
    then the inbox page as its users open it (the first page, filtered, searched, the next
    page, crisis mode's order), timed through Django's test client."""
    import statistics

    fresh_database()
    from django.db import connection
    from django.test import Client

    from keryx.accounts.models import User
    from keryx.core.text import text_key
    from keryx.inbox.models import Conversation
    from keryx.networks.models import NetworkAccount

    user, workspace = owner_and_workspace()
    team = [user] + [
        User.objects.create_user(f"member{n}@example.org", "bench-password-1") for n in range(4)
    ]
    accounts = [
        NetworkAccount.objects.create(
            workspace=workspace, network=network, name=network, handle="keryx", remote_id=network
        )
        for network in ("facebook", "instagram", "mastodon")
    ]
    rng = random.Random(13)
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    sample = texts(2000)
    batch: list[Conversation] = []
    for n in range(conversations):
        account = accounts[n % 3]
        first = now - dt.timedelta(seconds=rng.randint(0, 60 * 86400))
        last = first + dt.timedelta(minutes=rng.randint(0, 600))
        label = rng.choice(("positive", "neutral", "neutral", "negative"))
        text = sample[n % len(sample)]
        name = rng.choice(NAMES)
        replied = rng.random() < 0.6
        batch.append(
            Conversation(
                workspace=workspace,
                account=account,
                network=account.network,
                thread_key=f"t{n}",
                kind="comment",
                author_name=name,
                author_handle=f"@{name.lower()}",
                excerpt=text,
                search_text=text_key(f"{name} {text}"),
                sentiment=label,
                sentiment_rank={"negative": 0, "neutral": 1, "positive": 2}[label],
                language="en" if n % 3 == 1 else "el",
                status="done" if rng.random() < 0.7 else "open",
                assignee=rng.choice(team) if rng.random() < 0.5 else None,
                first_message_at=first,
                last_message_at=last,
                first_reply_at=first + dt.timedelta(minutes=rng.randint(1, 300))
                if replied
                else None,
                messages_count=1,
            )
        )
        if len(batch) == 5000:
            Conversation.objects.bulk_create(batch)
            batch = []
    Conversation.objects.bulk_create(batch)
    write_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(user)
    base = f"/w/{workspace.slug}/inbox/"
    first_page = client.get(base)
    assert first_page.status_code == 200, first_page.status_code
    cursor = first_page.content.decode().split("after=", 1)[1].split('"', 1)[0]
    variants = [
        {},
        {"network": "instagram"},
        {"sentiment": "negative"},
        {"assignee": "me"},
        {"status": "done", "language": "en"},
        {"q": "σεμιναριο"},
        {"after": cursor.replace("&amp;", "&")},
    ]
    times: list[float] = []
    by_variant: dict[str, float] = {}
    for _round in range(5):
        for params in variants:
            t0 = time.perf_counter()
            answer = client.get(base, params)
            took = (time.perf_counter() - t0) * 1000
            times.append(took)
            name = ",".join(params) or "first page"
            by_variant[name] = max(by_variant.get(name, 0.0), round(took, 1))
            assert answer.status_code == 200
    first_times = []
    for _round in range(20):
        t0 = time.perf_counter()
        client.get(base)
        first_times.append((time.perf_counter() - t0) * 1000)
    times += first_times
    times.sort()
    return {
        "conversations": Conversation.objects.count(),
        "page_p50_ms": round(statistics.median(times), 1),
        "page_p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "first_page_p95_ms": round(sorted(first_times)[int(len(first_times) * 0.95) - 1], 1),
        "requests": len(times),
        "slowest_ms_by_filter": by_variant,
        "write_s": round(write_s, 1),
    }


def bench_inbox(conversations: int, databases: list[str]) -> dict[str, object]:
    result: dict[str, object] = {}
    for database in databases:
        url = PG_URL if database == "postgresql" else None
        try:
            figures = run_child(__file__, ["--inbox-child", str(conversations)], database_url=url)
        except RuntimeError as exc:
            result[f"inbox_{database}_error"] = str(exc)
            continue
        key = "inbox_page_p95_ms" if database == "sqlite" else "inbox_page_p95_ms_postgresql"
        result[key] = figures["page_p95_ms"]
        result[f"inbox_{database}"] = figures
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--inbox-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--only", choices=["sentiment", "crisis", "inbox"], help="run one part of the benchmark"
    )
    parser.add_argument(
        "--inbox-databases", default="sqlite,postgresql", help="comma separated: sqlite,postgresql"
    )
    args = parser.parse_args()
    if args.inbox_child:
        print(json.dumps(inbox_child(args.inbox_child)))
        return 0
    if args.out is None:
        parser.error("--out FILE is required")
    result: dict[str, object] = {}
    if args.only in (None, "sentiment"):
        result.update(bench_sentiment(20_000 if args.quick else 200_000))
        result.update(bench_sentiment_cli(20_000 if args.quick else 200_000))
    if args.only in (None, "crisis"):
        result.update(bench_crisis(100_000 if args.quick else 1_000_000))
    if args.only in (None, "inbox"):
        databases = [d for d in args.inbox_databases.split(",") if d]
        result.update(bench_inbox(10_000 if args.quick else 100_000, databases))
    result["load_1m"] = round(os.getloadavg()[0], 2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if "sentiment_texts_per_s_per_core" in result:
        sys.stdout.write(
            f"sentiment: {result['sentiment_texts_per_s_per_core']:,} texts/s per core "
            f"(goal ≥ 5,000); through the CLI {result['sentiment_cli_texts_per_s_per_core']:,}\n"
        )
    if "crisis_replay_s" in result:
        sys.stdout.write(
            f"crisis replay: {result['mentions']:,} mentions in {result['crisis_replay_s']} s "
            f"(goal < 60), alerts {result['crisis_alerts']}\n"
        )
    for database in ("sqlite", "postgresql"):
        figures = result.get(f"inbox_{database}")
        if isinstance(figures, dict):
            sys.stdout.write(
                f"inbox page ({database}, {figures['conversations']:,} conversations): "
                f"p95 {figures['page_p95_ms']} ms, first page p95 "
                f"{figures['first_page_p95_ms']} ms (goal < 300)\n"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
