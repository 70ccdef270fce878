"""An erasure removes task messages that name the person, and leaves the others."""

from __future__ import annotations

from huey.contrib.djhuey import HUEY

from keryx.accounts.tasks import send_invitation
from keryx.privacy.domain.storage import queue_scrub


def test_scheduled_messages_naming_the_person_are_removed() -> None:
    before = len(HUEY.storage.scheduled_items())
    send_invitation.schedule(args=(1, False, "Ιφιγένεια Ραπτάκη"), delay=3600)
    send_invitation.schedule(args=(2, False, "Someone Else"), delay=3600)
    assert len(HUEY.storage.scheduled_items()) == before + 2

    assert queue_scrub(["ιφιγένεια ραπτάκη", "nobody@example.org", "abc"]) == 1

    left = [HUEY.serializer.deserialize(d).args for d in HUEY.storage.scheduled_items()]
    assert (2, False, "Someone Else") in left
    assert not any("Ιφιγένεια" in str(a) for a in left)
    HUEY.storage.flush_schedule()
