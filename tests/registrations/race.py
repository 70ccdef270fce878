"""Run registrations and check-ins in parallel against a real database, in its own process.

    python -m tests.registrations.race DATABASE_URL [--registrants 50] [--capacity 20]

Migrates the (empty) database, creates a published seminar with ``capacity`` places, starts
``registrants`` threads that all register at the same instant (a barrier), then two threads
that check in the same ticket at the same instant. Prints one JSON object with what the
database holds afterwards. Used by test_concurrency.py on SQLite (a file, WAL) and PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections import Counter
from typing import Any

from tests.registrations.race_support import race_seminar


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("--registrants", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=20)
    args = parser.parse_args(argv)

    seminar, owner = race_seminar(args.database_url, capacity=args.capacity)
    workspace = seminar.workspace
    from django.db import connection

    from keryx.accounts.access import workspace_access
    from keryx.accounts.roles import Perm
    from keryx.registrations.domain.checkin import registration_check_in
    from keryx.registrations.models import Registration
    from tests.factories import make_member
    from tests.registrations.helpers import register

    connection.close()

    errors: list[str] = []
    barrier = threading.Barrier(args.registrants)

    def one(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            register(seminar, f"person{i}@example.org", name=f"Person {i}")
        except Exception as exc:  # reported, and the test fails on any
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(args.registrants)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = Counter(
        Registration.objects.filter(seminar=seminar).values_list("status", flat=True)
    )

    # Two staff members scan the same ticket at the same instant.
    staff = [owner, make_member(workspace, "moderator", email="door@example.org")]
    target = Registration.objects.filter(seminar=seminar, status="registered").first()
    assert target is not None
    outcomes: list[str] = []
    scan_barrier = threading.Barrier(2)

    def scan(user: Any) -> None:
        try:
            access = workspace_access(user, workspace, Perm.REGISTRATIONS_CHECKIN)
            scan_barrier.wait(timeout=30)
            outcome = registration_check_in(access=access, registration=target)
            outcomes.append("already" if outcome.already else "checked_in")
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    scanners = [threading.Thread(target=scan, args=(u,)) for u in staff]
    for t in scanners:
        t.start()
    for t in scanners:
        t.join()
    target.refresh_from_db()
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "registered": statuses.get("registered", 0),
                "waitlisted": statuses.get("waitlisted", 0),
                "total": sum(statuses.values()),
                "distinct_emails": Registration.objects.filter(seminar=seminar)
                .values("email")
                .distinct()
                .count(),
                "checkin_outcomes": sorted(outcomes),
                "checked_in": Registration.objects.filter(
                    seminar=seminar, checked_in_at__isnull=False
                ).count(),
                "errors": errors,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
