"""Run as ``python -m tests.inbox.browser_setup <command> …`` against a migrated Keryx
(KERYX_HOME in the environment); the inbox browser test drives Keryx's own state through it:

- ``setup PDS_URL HANDLE DID APP_PASSWORD``: an owner, a moderator and their workspace with the
  Bluesky account connected; prints JSON;
- ``sync ACCOUNT_ID``: what the periodic jobs do, now: read the account's notifications and
  file them in the inbox; prints how many conversations changed;
- ``replies``: the replies Keryx sent, as JSON."""

from __future__ import annotations

import json
import sys


def main() -> None:
    from keryx.cli import _setup

    _setup()
    command, *args = sys.argv[1:]
    if command == "setup":
        from keryx.networks.models import NetworkAccount
        from tests.factories import make_member, make_user, make_workspace

        pds_url, handle, did, password = args
        owner = make_user("inbox-owner@example.org")
        workspace = make_workspace(owner=owner, name="Inbox")
        make_member(workspace, "moderator", email="inbox-mod@example.org")
        account = NetworkAccount.objects.create(
            workspace=workspace,
            network="bluesky",
            name="Κέρυξ",
            handle=f"@{handle}",
            remote_id=did,
            base_url=pds_url,
            credentials={"identifier": handle, "app_password": password},
        )
        print(json.dumps({"workspace": workspace.slug, "account": account.pk}))
    elif command == "sync":
        from keryx.inbox.domain.ingest import inbox_ingest
        from keryx.networks.domain.reading import sync_read
        from keryx.networks.models import NetworkAccount

        account = NetworkAccount.objects.get(pk=int(args[0]))
        stored = sync_read(account, "mentions")
        print(json.dumps({"stored": stored, "changed": inbox_ingest()}))
    elif command == "replies":
        from keryx.inbox.models import Reply

        print(json.dumps(list(Reply.objects.values("pk", "status", "remote_id", "error"))))


if __name__ == "__main__":
    main()
