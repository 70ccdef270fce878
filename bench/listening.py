"""Listening speed: the offline sentiment analyser and the crisis replay.

    python bench/listening.py --out bench/results/listening.json   # 200,000 texts, 1,000,000 mentions
    python bench/listening.py --quick --out /tmp/listening.json     # 20,000 texts, 100,000 mentions

Writes one JSON object with:

* ``sentiment_texts_per_s_per_core``: distinct short texts (a third each Greek, English and
  Greeklish, built from seminar-comment fragments so no two are equal: the per-text cache never
  hits) analysed by one process, divided by the CPU seconds it used (goal ≥ 5,000);
* ``crisis_replay_s``: wall seconds of ``keryx analyze crisis --input FILE`` on a generated
  timeline of 1,000,000 mentions over 30 days with a positive spike and a negative surge (goal
  < 60), with ``crisis_replay_cpu_s`` and the ``crisis_alerts`` it raised.

``inbox_page_p95_ms`` (issue 13) belongs to the inbox app and is not measured here.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    result: dict[str, object] = {}
    result.update(bench_sentiment(20_000 if args.quick else 200_000))
    result.update(bench_crisis(100_000 if args.quick else 1_000_000))
    result["load_1m"] = round(os.getloadavg()[0], 2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(
        f"sentiment: {result['sentiment_texts_per_s_per_core']:,} texts/s per core "
        f"(goal ≥ 5,000)\n"
        f"crisis replay: {result['mentions']:,} mentions in {result['crisis_replay_s']} s "
        f"(goal < 60), alerts {result['crisis_alerts']}\n"
        "inbox_page_p95_ms: not measured here (the inbox app's)\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
