"""Demo listening data: three days of comments and mentions about the demo seminar, in Greek,
English and Greeklish, with a hashtag rising in the last hour, so the Listening page has
something to show."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from keryx.insights.domain.texts import text_record
from keryx.insights.enums import Source
from keryx.seminars.models import Seminar

_DAILY = (
    "Ανυπομονώ για το #Σεμινάριο2026!",
    "Τι ώρα ξεκινάει η εγγραφή;",
    "Θα υπάρχει βιντεοσκόπηση των ομιλιών;",
    "Looking forward to the seminar, great line-up!",
    "Is there parking near the venue?",
    "8a yparxei live streaming?",
    "Πολύ καλή ιδέα το workshop για τα analytics 👏",
    "Ακριβό το εισιτήριο για φοιτητές...",
    "Where can I find the agenda?",
    "poli kalo to programma fetos",
    "Δεν μου ήρθε ακόμα το email επιβεβαίωσης",
    "The early-bird price was gone in a day :(",
)
_RISING = (
    "Καταπληκτικό το #ReelsWorkshop, έμαθα τόσα πολλά!",
    "Loved the #reelsworkshop, so practical 🔥",
    "teleio to #ReelsWorkshop!!",
    "Το #reelsworkshop ήταν το καλύτερο της μέρας",
    "Great tips at the #ReelsWorkshop, thank you!",
)
_HANDLES = ("maria_k", "nikos.p", "eleni_d", "j.smith", "kostas88", "anna.m", "giorgos_t")


def demo_listening(seminar: Seminar, *, now: dt.datetime | None = None) -> int:
    """Store the demo texts; returns how many."""
    now = now or timezone.now()
    rng = random.Random(13)  # the same demo every time
    count = 0
    for hour in range(72, 1, -1):
        for _ in range(rng.randint(0, 3)):
            at = now - dt.timedelta(hours=hour, minutes=rng.randint(0, 59))
            text_record(
                workspace=seminar.workspace,
                seminar=seminar,
                text=rng.choice(_DAILY),
                posted_at=at,
                source=Source.INBOX,
                network=rng.choice(("instagram", "facebook", "x", "bluesky")),
                author_handle="@" + rng.choice(_HANDLES),
            )
            count += 1
    for minute in range(2, 58, 4):
        text_record(
            workspace=seminar.workspace,
            seminar=seminar,
            text=rng.choice(_RISING),
            posted_at=now - dt.timedelta(minutes=minute),
            source=Source.INBOX,
            network=rng.choice(("instagram", "x", "bluesky")),
            author_handle="@" + rng.choice(_HANDLES),
        )
        count += 1
    return count
