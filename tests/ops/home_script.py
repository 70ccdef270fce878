"""Run harness steps against a KERYX_HOME in a process of its own (the test process's Django is
set up for the test database, not for the home being backed up).

    python -m tests.ops.home_script seed COUNT SERVER_URL IDS_FILE
    python -m tests.ops.home_script counts IDS_FILE
    python -m tests.ops.home_script audit IDS_FILE SERVER_URL
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keryx.settings.production")
    import django

    django.setup()
    from django.utils import timezone

    from keryx.networks.testnet import harness

    command = argv[0]
    if command == "seed":
        count, server_url, ids_file = int(argv[1]), argv[2], Path(argv[3])
        ids = harness.seed(
            count=count,
            accounts=4,
            server_url=server_url,
            due_at=timezone.now() - dt.timedelta(seconds=1),
            timeout=5.0,
        )
        ids_file.write_text(json.dumps(ids))
        return 0
    ids = json.loads(Path(argv[1]).read_text())
    if command == "counts":
        print(json.dumps(dict(harness.status_counts(ids))))
        return 0
    if command == "audit":
        import httpx

        posts = httpx.get(argv[2] + "/_posts", timeout=30).json()["posts"]
        result = harness.audit(ids, posts)
        print(json.dumps({k: v for k, v in asdict(result).items() if k != "lateness"}, default=str))
        return 0
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
