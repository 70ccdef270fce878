"""The demo's audience (``keryx demo``): the seminar's page published, a tracked link per
channel, two weeks of clicks on them and the registrations they brought, so the funnel, the
registrations list and the dashboard's counts have something to show.

Everything goes through the real code: links through ``tracked_link_create``, clicks through
``clicks_prepare`` and ``clicks_store`` (preview fetchers and bots are classified, visitors
hashed, addresses cut), registrations through ``registration_create`` and
``registration_confirm`` with the link codes the cookie would carry. The made-up registrants
are never e-mailed: their e-mails are recorded as sent.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.models import User
from keryx.accounts.roles import Perm, Role
from keryx.links.domain.clicks import RawEvent, clicks_prepare, clicks_store
from keryx.links.domain.links import LinkData, tracked_link_create
from keryx.links.domain.salts import visitor_salt_get
from keryx.links.models import TrackedLink
from keryx.registrations.domain.registrations import (
    RegistrantData,
    registration_confirm,
    registration_create,
)
from keryx.registrations.domain.settings import settings_update
from keryx.registrations.domain.tokens import confirm_token_make
from keryx.registrations.enums import EmailStatus
from keryx.registrations.models import RegistrantEmail
from keryx.seminars.models import Seminar

BROWSER = (
    b"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    b"(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
# Who fetches a link besides people: counted apart, never as visitors.
FETCHERS = {
    "facebook": b"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "linkedin": b"LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "mastodon": b"http.rb/5.1.1 (Mastodon/4.3.0; +https://mastodon.social/)",
    "bluesky": b"Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
    "x": b"Twitterbot/1.0",
}
# Channel → (people who clicked, of whom registered), over the last two weeks.
CHANNELS: dict[str, tuple[int, int]] = {
    "instagram": (64, 9),
    "facebook": (48, 7),
    "linkedin": (57, 11),
    "x": (12, 1),
    "mastodon": (18, 3),
    "bluesky": (22, 4),
    "qrcode": (15, 4),
}
LABELS = {
    "instagram": "Instagram bio",
    "facebook": "Facebook: ανακοίνωση",
    "linkedin": "LinkedIn: ανακοίνωση",
    "x": "X: ανακοίνωση",
    "mastodon": "Mastodon: ανακοίνωση",
    "bluesky": "Bluesky: ανακοίνωση",
    "qrcode": "Αφίσα στο ΚΕΑ (QR)",
}
# Greek surnames agree with the first name: Παπαδόπουλος, but Μαρία Παπαδοπούλου.
WOMEN = ["Μαρία", "Ελένη", "Δήμητρα", "Άννα", "Κατερίνα"]
MEN = ["Γιάννης", "Κώστας", "Νίκος", "Παναγιώτης", "Δημήτρης"]
SURNAMES = [  # (a man's, a woman's)
    ("Παπαδόπουλος", "Παπαδοπούλου"),
    ("Γεωργίου", "Γεωργίου"),
    ("Νικολάου", "Νικολάου"),
    ("Ιωάννου", "Ιωάννου"),
    ("Μιχαηλίδης", "Μιχαηλίδη"),
    ("Κωνσταντινίδης", "Κωνσταντινίδη"),
]
REGIONS = ["Αττική", "Κεντρική Μακεδονία", "Κρήτη", "Δυτική Ελλάδα"]
PROFESSIONS = ["Social media manager", "Εκπαιδευτικός", "Σύμβουλος επικοινωνίας", "Δημοσιογράφος"]


def _clicks(link: TrackedLink, people: int, now: dt.datetime, rng: random.Random) -> int:
    events: list[RawEvent] = []
    for n in range(people):
        when = now - dt.timedelta(days=rng.uniform(0.2, 14))
        address = f"203.0.{rng.randrange(1, 250)}.{n % 250 + 1}"
        referrer = b"" if link.network == "qrcode" else f"https://{link.network}.com/".encode()
        events.append((link.pk, when.timestamp(), False, False, address, b"", BROWSER, referrer))
        if rng.random() < 0.25:  # the same person again, later that day
            events.append(
                (link.pk, when.timestamp() + 3600, False, False, address, b"", BROWSER, referrer)
            )
    fetcher = FETCHERS.get(link.network)
    if fetcher is not None:
        for _ in range(rng.randrange(2, 6)):
            when = now - dt.timedelta(days=rng.uniform(0.2, 14))
            events.append(
                (link.pk, when.timestamp(), False, False, "198.51.100.7", b"", fetcher, b"")
            )
    return clicks_store(
        clicks=clicks_prepare(events=events, salt_for=lambda day: visitor_salt_get(day=day))
    )


def demo_audience(seminar: Seminar, users: Mapping[Role, User]) -> int:
    """Publish the seminar's page and give it a fortnight of audience; returns how many
    registered."""
    owner = users[Role.OWNER]
    rng = random.Random(2026)  # the same demo every time
    now = timezone.now()
    with transaction.atomic():
        settings_update(
            access=workspace_access(owner, seminar.workspace, Perm.REGISTRATIONS_MANAGE),
            seminar=seminar,
            fields={
                "is_public": True,
                "registration_open": True,
                "optional_fields": ["profession", "region", "heard_from"],
            },
        )
        access = workspace_access(owner, seminar.workspace, Perm.LINKS_EDIT)
        registered = 0
        for channel, (people, registrations) in CHANNELS.items():
            # The announcement's own link on that network where it has one, so the funnel's
            # "by post" section has the demo's posts in it; else a link of the channel.
            link = TrackedLink.objects.filter(
                seminar=seminar, network=channel, post__isnull=False
            ).order_by("pk").first() or tracked_link_create(
                access=access,
                seminar=seminar,
                data=LinkData(label=LABELS[channel], network=channel),
            )
            _clicks(link, people, now, rng)
            for _ in range(registrations):
                registered += 1
                woman = rng.random() < 0.6
                first = rng.choice(WOMEN if woman else MEN)
                last = rng.choice(SURNAMES)[1 if woman else 0]
                outcome = registration_create(
                    seminar=seminar,
                    data=RegistrantData(
                        name=f"{first} {last}",
                        email=f"demo{registered:03d}@example.org",
                        language="el" if rng.random() < 0.85 else "en",
                        answers={
                            "profession": rng.choice(PROFESSIONS),
                            "region": rng.choice(REGIONS),
                            "heard_from": "social" if channel != "qrcode" else "other",
                        },
                        consents=["privacy"],
                        first_touch_code=link.code,
                        last_touch_code=link.code,
                    ),
                )
                if rng.random() < 0.7:
                    registration_confirm(
                        token=confirm_token_make(outcome.registration.public_id), seminar=seminar
                    )
        # Made-up people: their e-mails are recorded, never sent (the delivery task skips a
        # sent e-mail).
        RegistrantEmail.objects.filter(registration__seminar=seminar).update(
            status=EmailStatus.SENT, sent_at=now, tries=1
        )
    return registered
