"""Deliver the same registrant e-mails from two threads at the same instant, on a real database
and a real SMTP server, in its own process.

    python -m tests.registrations.email_race DATABASE_URL SMTP_PORT [--emails 20]

Migrates the (empty) database, creates ``emails`` registrants (their confirmation e-mails go to
Django's in-memory outbox), then one queued e-mail row each, and switches to SMTP. For every row
two threads wait on a barrier and call ``registrant_email_deliver`` together, as two copies of
the same queue message on two workers would. Prints one JSON object: each row's final status
and tries, what each call answered, and any error. Used by test_email_concurrency.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections import Counter

from tests.registrations.race_support import race_seminar


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("smtp_port", type=int)
    parser.add_argument("--emails", type=int, default=20)
    args = parser.parse_args(argv)

    seminar, _owner = race_seminar(args.database_url, capacity=None)
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from keryx.registrations.domain.delivery import registrant_email_deliver
    from keryx.registrations.models import RegistrantEmail
    from tests.registrations.helpers import register

    now = timezone.now()
    rows = [
        RegistrantEmail.objects.create(
            registration=register(seminar, f"person{i}@example.org", name=f"Person {i}"),
            kind="reminder",
            queued_at=now,
            next_try_at=now,
            enqueued_at=now,
        )
        for i in range(args.emails)
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = args.smtp_port
    settings.EMAIL_USE_TLS = False
    connection.close()

    answers: list[str] = []
    errors: list[str] = []

    def deliver(email_id: int, barrier: threading.Barrier) -> None:
        try:
            barrier.wait(timeout=30)
            answers.append(registrant_email_deliver(email_id=email_id, worker="race"))
        except Exception as exc:  # reported; the test fails on any
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    for row in rows:
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=deliver, args=(row.pk, barrier)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    final = {
        message_id: [status, tries]
        for message_id, status, tries in RegistrantEmail.objects.filter(
            pk__in=[r.pk for r in rows]
        ).values_list("message_id", "status", "tries")
    }
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "rows": final,
                "answers": dict(Counter(answers)),
                "errors": errors,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
