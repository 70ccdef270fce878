"""Run as ``python -m tests.live.setup_wall <mastodon_mock URL>`` against a migrated Keryx
(KERYX_HOME in the environment, KERYX_ALLOW_PRIVATE_URLS=1): makes an owner, a seminar with a
hashtag, its live room and wall, connects the owner's Mastodon account on the mock, has another
account post with the hashtag, and runs the wall's sweep (the post waits for approval). Prints
them as JSON. Used by tests/live/test_wall_browser.py."""

from __future__ import annotations

import json
import sys

import httpx


def main() -> None:
    from keryx.cli import _setup

    _setup()
    from keryx.accounts.access import workspace_access
    from keryx.live.domain.rooms import room_open
    from keryx.live.domain.wall import wall_open
    from keryx.live.domain.wall_sources import wall_collect
    from keryx.live.models import WallItem
    from tests.factories import make_seminar, make_user, make_workspace
    from tests.networks.mastodon.test_mastodon_mock import _connect
    from tests.support.mastodon import MOCK_OTHER_USER

    server = sys.argv[1]
    owner = make_user("wall-owner@example.org")
    workspace = make_workspace(owner=owner, name="Τοίχος")
    seminar = make_seminar(workspace, owner, hashtags=["#smm2026"])
    access = workspace_access(owner, workspace)
    room = room_open(access=access, seminar=seminar)
    wall = wall_open(access=access, seminar=seminar)
    _connect(server, owner, workspace)
    posted = httpx.post(
        f"{server}/api/v1/statuses",
        data={"status": "Υπέροχη ομιλία για τα κοινωνικά δίκτυα! #smm2026"},
        headers={"Authorization": f"Bearer {MOCK_OTHER_USER.access_token}"},
        timeout=10,
    )
    posted.raise_for_status()
    wall_collect(wall)
    item = WallItem.objects.get(wall=wall)
    assert item.status == "pending", item.status
    print(
        json.dumps(
            {
                "code": room.code,
                "room": room.pk,
                "seminar": seminar.pk,
                "workspace": workspace.slug,
                "item": item.pk,
            }
        )
    )


if __name__ == "__main__":
    main()
