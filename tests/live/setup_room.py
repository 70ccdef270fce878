"""Run as ``python -m tests.live.setup_room`` against a migrated Keryx (KERYX_HOME or
DATABASE_URL in the environment): makes an owner, a seminar, its live room and one launched,
revealed single-choice poll; prints them as JSON. Used by the process tests and bench/live.py."""

from __future__ import annotations

import json
import sys


def main() -> None:
    from keryx.cli import _setup

    _setup()
    from keryx.accounts.access import workspace_access
    from keryx.live.domain.polls import poll_create, poll_set_status
    from keryx.live.domain.rooms import room_open
    from tests.factories import make_seminar, make_user, make_workspace

    owner = make_user("live-owner@example.org")
    workspace = make_workspace(owner=owner, name="Live")
    seminar = make_seminar(workspace, owner)
    access = workspace_access(owner, workspace)
    room = room_open(access=access, seminar=seminar)
    kind = sys.argv[1] if len(sys.argv) > 1 else "single"
    if kind == "none":
        print(json.dumps({"code": room.code, "room": room.pk, "workspace": workspace.slug}))
        return
    poll = poll_create(
        access=access,
        room=room,
        kind=kind,
        question="Πόσο σας βοήθησε το σεμινάριο;",
        options=["Πολύ", "Αρκετά", "Λίγο"] if kind == "single" else [],
    )
    poll_set_status(access=access, poll=poll, action="launch")
    poll_set_status(access=access, poll=poll, action="reveal")
    print(
        json.dumps(
            {
                "code": room.code,
                "room": room.pk,
                "poll": poll.pk,
                "options": list(poll.options.values_list("pk", flat=True)),
                "workspace": workspace.slug,
            }
        )
    )


if __name__ == "__main__":
    main()
