"""Survey results at scale: a survey of 20 questions with 10,000 submitted responses, on SQLite
and on PostgreSQL.

    python bench/surveys.py --out bench/results/surveys.json
    python bench/surveys.py --quick --out /tmp/surveys-quick.json     # 1,000 responses

For each database a child process migrates a fresh database (SQLite: a file in a temporary
directory; PostgreSQL: BENCH_SURVEYS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/kx_surveys, emptied first), writes the responses, then
requests the results page 20 times with the cache emptied before each request (so
``results_page_p95_ms`` is what computing the page costs; it reads the per-question tallies,
decision 0867), then 20 times cached (``results_page_cached_p95_ms``), as a signed-in owner
(the real view, templates included), and exports the XLSX once (XlsxWriter, constant memory, to a
file).

Writes ``{"sqlite": {...}, "postgresql": {...}}`` with ``responses``, ``results_page_p95_ms``
and ``xlsx_export_s`` per database. Goals: p95 < 300 ms, XLSX < 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from _support import fresh_database, owner_and_workspace, run_child

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get(
    "BENCH_SURVEYS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kx_surveys"
)
KINDS = [
    "nps", "rating5", "rating5", "rating5", "rating5", "rating10", "single", "single", "single",
    "multiple", "multiple", "likert", "number", "text", "text", "age_band", "gender",
    "profession", "city", "heard_from",
]  # fmt: skip


def child(responses: int) -> dict[str, Any]:
    fresh_database()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from keryx.accounts.access import workspace_access
    from keryx.surveys.domain import exports
    from keryx.surveys.domain.builder import question_add, survey_create
    from keryx.surveys.domain.tallies import tallies_rebuild
    from keryx.surveys.models import Answer, Response

    user, workspace = owner_and_workspace()
    access = workspace_access(user, workspace)
    survey = survey_create(access=access, seminar=None, title={"el": "Bench", "en": "Bench"})
    options = [{"key": f"o{n}", "el": f"Επιλογή {n}", "en": f"Option {n}"} for n in range(1, 6)]
    questions = [
        question_add(
            access=access,
            survey=survey,
            kind=kind,
            text={"el": f"Ερώτηση {n}", "en": f"Question {n}"},
            key=f"q{n}",
            options=options if kind in ("single", "multiple", "likert") else None,
        )
        for n, kind in enumerate(KINDS, start=1)
    ]
    rng = random.Random(1)
    today = timezone.localdate()
    started = time.perf_counter()
    batch = 1000
    for start in range(0, responses, batch):
        made = Response.objects.bulk_create(
            Response(
                survey=survey,
                language=rng.choice(["el", "en"]),
                day=today,
                submitted=True,
                network=rng.choice(["linkedin", "instagram", "facebook", ""]),
            )
            for _ in range(min(batch, responses - start))
        )
        answers = []
        for response in made:
            for q in questions:
                if q.kind in ("nps", "rating10"):
                    answers.append(
                        Answer(
                            response=response,
                            question=q,
                            number=rng.randint(0 if q.kind == "nps" else 1, 10),
                        )
                    )
                elif q.kind == "rating5":
                    answers.append(Answer(response=response, question=q, number=rng.randint(1, 5)))
                elif q.kind == "number":
                    answers.append(Answer(response=response, question=q, number=rng.randint(1, 40)))
                elif q.kind == "likert":
                    for o in q.options:
                        answers.append(
                            Answer(
                                response=response,
                                question=q,
                                choice=o["key"],
                                number=rng.randint(1, 5),
                            )
                        )
                elif q.kind == "multiple":
                    for o in rng.sample(q.options, 2):
                        answers.append(Answer(response=response, question=q, choice=o["key"]))
                elif q.options:
                    answers.append(
                        Answer(response=response, question=q, choice=rng.choice(q.options)["key"])
                    )
                elif rng.random() < 0.3:
                    answers.append(
                        Answer(
                            response=response, question=q, text=f"Σχόλιο {rng.randint(1, 999)} =1+1"
                        )
                    )
        Answer.objects.bulk_create(answers, batch_size=5000)
    tallies_rebuild(survey)  # the answers were written in bulk, not through response_save
    write_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(user)
    url = f"/w/{workspace.slug}/surveys/{survey.pk}/results/?target=q1&by=q17"
    t0 = time.perf_counter()
    assert client.get(url).status_code == 200  # the first, uncached: computes the aggregates
    cold_ms = (time.perf_counter() - t0) * 1000
    from django.core.cache import cache

    times = []  # every request computes the page afresh: the cache is emptied before each
    cpu_times = []  # SQLite runs in this process: its work is in this CPU time too
    for _ in range(20):
        cache.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        answer = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        cpu_times.append((time.process_time() - c0) * 1000)
        assert answer.status_code == 200
    cached_times = []
    for _ in range(20):
        t0 = time.perf_counter()
        answer = client.get(url)
        cached_times.append((time.perf_counter() - t0) * 1000)
        assert answer.status_code == 200
    t0 = time.perf_counter()
    rows = sum(1 for _row in exports.rows(survey))
    rows_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), time.process_time()
        exports.export_xlsx(survey, path=str(Path(tmp) / "bench.xlsx"))
        xlsx_s = time.perf_counter() - t0
        xlsx_cpu_s = time.process_time() - c0
        xlsx_mb = (Path(tmp) / "bench.xlsx").stat().st_size / 1e6
    return {
        "responses": Response.objects.filter(survey=survey, submitted=True).count(),
        "answers": Answer.objects.filter(response__survey=survey).count(),
        "questions": len(questions),
        "results_page_p50_ms": round(statistics.median(times), 1),
        "results_page_cold_ms": round(cold_ms, 1),
        "results_page_p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 1),
        "results_page_cpu_p95_ms": round(sorted(cpu_times)[int(len(cpu_times) * 0.95) - 1], 1),
        "results_page_cached_p95_ms": round(
            sorted(cached_times)[int(len(cached_times) * 0.95) - 1], 1
        ),
        "xlsx_export_s": round(xlsx_s, 2),
        "xlsx_export_cpu_s": round(xlsx_cpu_s, 2),  # this process only (not PostgreSQL's)
        "export_rows": rows,
        "rows_read_s": round(rows_s, 2),  # reading and shaping the rows, without XLSX
        "machine_load_1m": round(os.getloadavg()[0], 1),
        "xlsx_mb": round(xlsx_mb, 2),
        "write_s": round(write_s, 1),
    }


def run(database: str, responses: int) -> dict[str, Any]:
    url = PG_URL if database == "postgresql" else None
    try:
        return run_child(__file__, ["--child", str(responses)], database_url=url)
    except RuntimeError as exc:
        raise SystemExit(f"the {database} run failed: {exc}") from exc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=False)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", type=int)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    if not args.out:
        parser.error("--out FILE is required")
    responses = 1000 if args.quick else 10_000
    results = {}
    for database in ["sqlite", "postgresql"]:
        if args.only and database != args.only:
            continue
        results[database] = run(database, responses)
        r = results[database]
        print(
            f"{database:>10}: {r['responses']} responses ({r['answers']} answers, "
            f"written in {r['write_s']} s) · results page p95 {r['results_page_p95_ms']} ms "
            f"(CPU {r['results_page_cpu_p95_ms']}, p50 {r['results_page_p50_ms']}, "
            f"first {r['results_page_cold_ms']}, cached "
            f"{r['results_page_cached_p95_ms']}) · XLSX {r['xlsx_export_s']} s "
            f"({r['xlsx_export_cpu_s']} s CPU, rows read in {r['rows_read_s']} s, {r['xlsx_mb']} MB)"
            f" · load {r['machine_load_1m']}"
        )
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
