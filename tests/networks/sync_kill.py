"""A comments sweep in a process of its own, for the sync test that kills it with SIGKILL.

    python -m tests.networks.sync_kill DATABASE_URL setup TESTNET_URL   # migrate, an account
    python -m tests.networks.sync_kill DATABASE_URL sweep POST_ID       # read every page
    python -m tests.networks.sync_kill DATABASE_URL report POST_ID      # what is stored

``setup`` migrates the (empty) database and connects one test-network account; ``sweep``
runs :func:`keryx.networks.domain.reading.sync_read` for the post's comments, page after
page, as the periodic sweep does (the test kills it halfway); ``report`` prints what the
database holds. Each prints one JSON object on its last line. Used by test_sync_kill.py.
"""

from __future__ import annotations

import json
import os
import sys


def _django(database_url: str) -> None:
    os.environ["KERYX_TEST_DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "keryx.settings.test"
    os.environ["KERYX_ENABLE_TEST_NETWORK"] = "1"
    import django

    django.setup()


def main(argv: list[str]) -> int:
    database_url, command, argument = argv
    _django(database_url)
    from keryx.networks.models import NetworkAccount, RemoteItem, SyncState

    if command == "setup":
        from django.core.management import call_command

        from tests.factories import make_user, make_workspace

        call_command("migrate", verbosity=0, interactive=False)
        owner = make_user("sync-owner@example.org")
        account = NetworkAccount.objects.create(
            workspace=make_workspace(owner, "Sync"),
            network="testnet",
            name="Test account",
            base_url=argument,
            credentials={"access_token": "reader"},
        )
        result: dict[str, object] = {"account": account.pk}
    elif command == "sweep":
        from keryx.networks.domain.reading import sync_read

        account = NetworkAccount.objects.get()
        result = {"stored": sync_read(account, "comments", argument)}
    elif command == "report":
        state = SyncState.objects.filter(kind="comments", scope=argument).first()
        result = {
            "ids": list(
                RemoteItem.objects.filter(post_remote_id=argument)
                .order_by("created_at")
                .values_list("remote_id", flat=True)
            ),
            "cursor": state.cursor if state else None,
            "finished": bool(state and state.last_success_at),
        }
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
