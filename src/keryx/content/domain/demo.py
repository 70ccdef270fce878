"""Demo content: one connected account per network, a small library and Greek posts in every
state of the workflow. Called by the lead's ``keryx demo`` (``demo_content(seminar, users)``)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from PIL import Image, ImageDraw

from keryx.accounts.access import workspace_access
from keryx.accounts.models import User
from keryx.accounts.roles import Perm, Role
from keryx.content.domain.library import hashtag_set_save, keyword_list_save, template_save
from keryx.content.domain.media import media_upload
from keryx.content.domain.posts import MediaChoice, PostInput, post_create
from keryx.content.domain.review import comment_add, post_approve, post_request_changes, post_submit
from keryx.content.models import Post
from keryx.networks.models import AccountStatus, NetworkAccount
from keryx.notifications.domain.notify import notification_emails_off
from keryx.seminars.models import Seminar

ACCOUNTS = [
    ("facebook", "Κέντρο Επιμόρφωσης Αθηνών", "KentroEpimorfosis"),
    ("instagram", "Κέντρο Επιμόρφωσης", "kentro.epimorfosis"),
    ("linkedin", "Κέντρο Επιμόρφωσης Αθηνών", "kentro-epimorfosis-athinon"),
    ("x", "Κέντρο Επιμόρφωσης", "KentroEpimorf"),
    ("threads", "Κέντρο Επιμόρφωσης", "kentro.epimorfosis"),
    ("mastodon", "Κέντρο Επιμόρφωσης", "kentro@mastodon.social"),
    ("bluesky", "Κέντρο Επιμόρφωσης", "kentro.bsky.social"),
]
DEMO_SERVERS: dict[str, dict[str, Any]] = {
    "mastodon": {
        "base_url": "https://mastodon.social",
        "server_limits": {"max_characters": 500, "characters_reserved_per_url": 23},
    }
}


def demo_image(width: int, height: int, colour: tuple[int, int, int], label: str) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle(
        (width // 10, height // 10, width * 9 // 10, height * 9 // 10), outline="white", width=8
    )
    draw.text((width // 8, height // 2), label, fill="white")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def demo_content(seminar: Seminar, users: Mapping[Role, User]) -> list[Post]:
    """The demo's accounts, library and posts. Its workflow notifications are in the app but
    not e-mailed: the demo's addresses are made up."""
    with notification_emails_off(), transaction.atomic():
        return _demo_content(seminar, users)


def _demo_content(seminar: Seminar, users: Mapping[Role, User]) -> list[Post]:
    workspace = seminar.workspace
    for network, name, handle in ACCOUNTS:
        NetworkAccount.objects.get_or_create(
            workspace=workspace,
            network=network,
            handle=handle,
            defaults={
                "name": name,
                "status": AccountStatus.CONNECTED,
                # The demo's Mastodon account lives on a server, with that server's limits.
                **DEMO_SERVERS.get(network, {}),
            },
        )
    accounts = list(
        NetworkAccount.objects.filter(workspace=workspace, network__in=[a[0] for a in ACCOUNTS])
    )
    editor = workspace_access(users[Role.EDITOR], workspace, Perm.CONTENT_EDIT)
    manager = workspace_access(users[Role.MANAGER], workspace, Perm.CONTENT_APPROVE)

    tags = hashtag_set_save(
        access=editor,
        name="Σεμινάριο 2026",
        hashtags=["#SMM2026", "#Σεμινάριο2026", "#SocialMediaGR"],
    )
    keyword_list_save(
        access=editor,
        name="Θέματα σεμιναρίου",
        language="el",
        keywords=["social media", "στρατηγική περιεχομένου", "Instagram", "μέτρηση", "KPIs"],
    )
    template = template_save(
        access=editor,
        fields={
            "name": "Αντίστροφη μέτρηση",
            "theme": "countdown",
            "campaign_phase": "countdown",
            "language": "el",
            "body": (
                "Μένουν {seminar.days_left} μέρες! ⏳ Το {seminar.title} γίνεται {seminar.date}, "
                "{seminar.time}, στην {seminar.venue}.\n\nΚράτησε θέση: {registration_link}"
            ),
            "hashtag_set_id": tags.pk,
        },
    )
    wide = media_upload(
        access=editor,
        handle=io.BytesIO(data := demo_image(1600, 600, (29, 78, 137), "SMM 2026")),
        size=len(data),
        name="banner-smm-2026.jpg",
        alt_text="Το λογότυπο του Σεμιναρίου Διαχείρισης Social Media 2026 σε μπλε φόντο.",
        seminar=seminar,
    )
    square = media_upload(
        access=editor,
        handle=io.BytesIO(data := demo_image(1080, 1080, (193, 53, 132), "Μαρία Παπαδοπούλου")),
        size=len(data),
        name="maria-papadopoulou.jpg",
        alt_text="Η ομιλήτρια Μαρία Παπαδοπούλου χαμογελά σε εκδήλωση.",
        seminar=seminar,
    )
    everyone = [a.pk for a in accounts]
    posts = []
    announcement = post_create(
        access=editor,
        seminar=seminar,
        data=PostInput(
            fields={
                "campaign_phase": "announcement",
                "theme": "agenda_highlight",
                "master_text": (
                    "📣 Ανακοινώνουμε το Σεμινάριο Διαχείρισης Social Media 2026! Στρατηγική "
                    "περιεχομένου, Instagram και Reels, LinkedIn, Mastodon και Bluesky, μέτρηση "
                    "και KPIs, σε μία μέρα πρακτικής δουλειάς.\n\n#SMM2026 #Σεμινάριο2026"
                ),
                "link_url": "https://example.org/smm-2026",
            },
            media=[MediaChoice(media_id=wide.pk, alt_text=wide.alt_text)],
            account_ids=everyone,
        ),
    )
    posts.append(announcement)
    speaker = post_create(
        access=editor,
        seminar=seminar,
        data=PostInput(
            fields={
                "campaign_phase": "speakers",
                "theme": "speaker_spotlight",
                "master_text": (
                    "Γνωρίστε τη Μαρία Παπαδοπούλου, Head of Digital στην ActionAid Hellas: "
                    "δεκαπέντε χρόνια ψηφιακής επικοινωνίας οργανώσεων, σε μία ομιλία για "
                    "στρατηγική περιεχομένου. #Σεμινάριο2026"
                ),
            },
            media=[MediaChoice(media_id=square.pk, alt_text=square.alt_text)],
            account_ids=everyone,
        ),
    )
    post_submit(access=editor, post=speaker)
    post_approve(access=manager, post=speaker, note="Τέλειο, προχωράμε.")
    posts.append(speaker)
    tip = post_create(
        access=editor,
        seminar=seminar,
        data=PostInput(
            fields={
                "campaign_phase": "early_bird",
                "theme": "practical_tip",
                "master_text": (
                    "Συμβουλή της εβδομάδας: γράψτε την πρώτη πρόταση σαν να ήταν η μόνη που θα "
                    "διαβαστεί. Περισσότερα στο σεμινάριο! #Σεμινάριο2026"
                ),
            },
            media=[MediaChoice(media_id=square.pk, alt_text=square.alt_text)],
            account_ids=[
                a.pk
                for a in accounts
                if a.network in {"linkedin", "mastodon", "bluesky", "instagram"}
            ],
        ),
    )
    post_submit(access=editor, post=tip)
    comment_add(access=editor, post=tip, body="@nikos μπορείς να το δεις σήμερα;")
    posts.append(tip)
    countdown = post_create(
        access=editor,
        seminar=seminar,
        data=PostInput(
            fields={
                "campaign_phase": "countdown",
                "theme": "countdown",
                "master_text": "Μένουν λίγες θέσεις!",
            },
            account_ids=[a.pk for a in accounts if a.network in {"facebook", "x"}],
            template_id=template.pk,
        ),
    )
    post_submit(access=editor, post=countdown)
    post_request_changes(
        access=manager, post=countdown, note="Βάλτε και την ώρα έναρξης, παρακαλώ."
    )
    posts.append(countdown)
    return list(Post.objects.filter(pk__in=[p.pk for p in posts]).order_by("id"))
