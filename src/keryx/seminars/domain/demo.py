"""The bilingual demo: a workspace, a user in every role and a realistic seminar."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.accounts.domain.workspaces import workspace_create
from keryx.accounts.models import Membership, User
from keryx.accounts.roles import Perm, Role
from keryx.seminars.domain import agenda
from keryx.seminars.domain.seminars import SeminarData, seminar_create
from keryx.seminars.models import Seminar

DEMO_PASSWORD = "keryx-demo-2026"  # noqa: S105 - the documented demo login
DEMO_DOMAIN = "demo.keryx.example"
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")

USERS = {
    Role.OWNER: ("eleni", "Ελένη Αλεξίου"),
    Role.MANAGER: ("nikos", "Νίκος Παππάς"),
    Role.EDITOR: ("sofia", "Σοφία Καραγιάννη"),
    Role.MODERATOR: ("giorgos", "Γιώργος Δημητρίου"),
    Role.ANALYST: ("anna", "Anna Schmidt"),
    Role.VIEWER: ("kostas", "Κώστας Βασιλείου"),
}


@dataclass(frozen=True)
class Demo:
    seminar: Seminar
    users: dict[Role, User]

    @property
    def logins(self) -> dict[str, str]:
        return {role.value: user.email for role, user in self.users.items()}


def _day_of_seminar() -> dt.date:
    """Three weeks ahead, on a Saturday, so the demo always describes an upcoming seminar."""
    day = (timezone.now() + dt.timedelta(days=21)).astimezone(ATHENS).date()
    return day + dt.timedelta(days=(5 - day.weekday()) % 7)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ATHENS)


@transaction.atomic
def demo_create() -> Demo:
    users: dict[Role, User] = {}
    for role, (local, name) in USERS.items():
        email = f"{local}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email,
            DEMO_PASSWORD,
            full_name=name,
            language="el" if role != Role.ANALYST else "en",
            is_staff=role == Role.OWNER,
        )
        users[role] = user
    workspace = workspace_create(owner=users[Role.OWNER], name="Κέντρο Επιμόρφωσης Αθηνών", slug="")
    for role, user in users.items():
        if role != Role.OWNER:
            Membership.objects.create(workspace=workspace, user=user, role=role)
    access = workspace_access(users[Role.OWNER], workspace, Perm.SEMINAR_CREATE)

    day = _day_of_seminar()
    seminar = seminar_create(
        access=access,
        data=SeminarData(
            fields={
                "title": "Σεμινάριο Διαχείρισης Social Media 2026",
                "summary": "Μια μέρα πρακτικής δουλειάς για όσους τρέχουν τα social media οργανισμών.",
                "description": (
                    "Στρατηγική περιεχομένου, Instagram και Reels, LinkedIn για οργανισμούς, κοινότητες "
                    "σε Mastodon και Bluesky, μέτρηση και KPIs. Με εργαστήρια, πάνελ και πολλά "
                    "παραδείγματα από ελληνικούς οργανισμούς.\n\nΔιεξάγεται στα ελληνικά· "
                    "το πάνελ για το LinkedIn στα αγγλικά."
                ),
                "language": "el",
                "languages": ["el", "en"],
                "format": "hybrid",
                "time_zone": "Europe/Athens",
                "starts_at": _at(day, 9, 30),
                "ends_at": _at(day, 17, 0),
                "venue_name": "Τεχνόπολη Δήμου Αθηναίων",
                "venue_address": "Πειραιώς 100",
                "venue_city": "Αθήνα",
                "venue_country": "Ελλάδα",
                "map_url": "https://www.openstreetmap.org/?mlat=37.9786&mlon=23.7155#map=17/37.9786/23.7155",
                "online_url": "https://meet.example.org/smm-2026",
                "stream_url": "https://stream.example.org/smm-2026",
                "capacity": 120,
                "hashtags": ["#SMM2026", "#Σεμινάριο2026", "#SocialMediaGR"],
                "currency": "EUR",
            },
            personas=[
                {
                    "name": "Υπεύθυνη επικοινωνίας ΜΚΟ",
                    "age_band": "25-34",
                    "gender": "female",
                    "profession": "Υπεύθυνη επικοινωνίας",
                    "sector": "Μη κερδοσκοπικοί οργανισμοί",
                    "region": "Αττική",
                    "interests": ["storytelling", "fundraising", "Instagram"],
                    "preferred_networks": ["instagram", "facebook", "linkedin"],
                },
                {
                    "name": "Φοιτητής επικοινωνίας",
                    "age_band": "18-24",
                    "gender": "male",
                    "profession": "Φοιτητής",
                    "sector": "Εκπαίδευση",
                    "region": "Θεσσαλονίκη",
                    "interests": ["δημιουργία περιεχομένου", "Reels", "τάσεις"],
                    "preferred_networks": ["instagram", "threads", "x"],
                },
                {
                    "name": "Ιδιοκτήτρια μικρής επιχείρησης",
                    "age_band": "35-44",
                    "gender": "female",
                    "profession": "Επιχειρηματίας",
                    "sector": "Λιανεμπόριο",
                    "region": "Κρήτη",
                    "interests": ["διαφήμιση", "τοπικό κοινό"],
                    "preferred_networks": ["facebook", "instagram"],
                },
                {
                    "name": "University press officer",
                    "age_band": "45-54",
                    "gender": "",
                    "profession": "Press officer",
                    "sector": "Higher education",
                    "region": "Europe",
                    "interests": ["research communication", "open science"],
                    "preferred_networks": ["linkedin", "mastodon", "bluesky"],
                },
            ],
            kpi_targets={
                "registrations": 120,
                "attendance": 90,
                "engagement": 5000,
                "average_rating": "4.5",
                "nps": 50,
                "clicks": 2000,
                "budget": 1500,
            },
            translations=[
                {
                    "language": "en",
                    "title": "Social Media Management Seminar 2026",
                    "summary": "A hands-on day for the people who run the social media of organisations.",
                    "description": (
                        "Content strategy, Instagram and Reels, LinkedIn for organisations, communities on "
                        "Mastodon and Bluesky, measurement and KPIs. Held in Greek; the LinkedIn panel in English."
                    ),
                }
            ],
        ),
    )

    speakers = {
        key: agenda.speaker_save(access=access, seminar=seminar, fields=fields)
        for key, fields in {
            "maria": {
                "name": "Μαρία Παπαδοπούλου",
                "job_title": "Head of Digital",
                "organisation": "ActionAid Hellas",
                "bio": "Δεκαπέντε χρόνια στην ψηφιακή επικοινωνία οργανώσεων.",
                "position": 1,
                "handles": {"linkedin": "mariapapadopoulou", "bluesky": "maria.bsky.social"},
            },
            "dimitris": {
                "name": "Δημήτρης Γεωργίου",
                "job_title": "Data analyst",
                "organisation": "Insight Lab",
                "bio": "Μετράει ό,τι κινείται στα social media.",
                "position": 2,
                "handles": {"x": "dgeorgiou", "mastodon": "dgeorgiou@mastodon.social"},
            },
            "eleni": {
                "name": "Ελένη Κωνσταντίνου",
                "job_title": "Community manager",
                "organisation": "Athens Tech Meetup",
                "bio": "Χτίζει κοινότητες σε Mastodon, Bluesky και Discord.",
                "position": 3,
                "handles": {"mastodon": "eleni@mastodon.social", "bluesky": "eleni.bsky.social"},
            },
            "james": {
                "name": "James Whitfield",
                "job_title": "LinkedIn trainer",
                "organisation": "Whitfield & Co",
                "bio": "Helps universities and NGOs tell their story on LinkedIn.",
                "position": 4,
                "handles": {"linkedin": "jameswhitfield"},
            },
        }.items()
    }
    for title, kind, start, end, room, who in [
        ("Προσέλευση και καφές", "break", (9, 30), (10, 0), "Φουαγιέ", []),
        (
            "Στρατηγική περιεχομένου για οργανισμούς",
            "talk",
            (10, 0),
            (11, 0),
            "Αίθουσα Α",
            ["maria"],
        ),
        (
            "Εργαστήριο: Instagram και Reels",
            "workshop",
            (11, 0),
            (12, 30),
            "Αίθουσα Β",
            ["maria", "eleni"],
        ),
        ("Μεσημεριανό διάλειμμα", "break", (12, 30), (13, 30), "Φουαγιέ", []),
        (
            "Panel: LinkedIn for organisations",
            "panel",
            (13, 30),
            (14, 30),
            "Αίθουσα Α",
            ["james", "maria"],
        ),
        ("Μέτρηση, KPIs και αναφορές", "talk", (14, 30), (15, 30), "Αίθουσα Α", ["dimitris"]),
        (
            "Εργαστήριο: κοινότητες σε Mastodon και Bluesky",
            "workshop",
            (15, 30),
            (16, 45),
            "Αίθουσα Β",
            ["eleni"],
        ),
        ("Κλείσιμο", "other", (16, 45), (17, 0), "Αίθουσα Α", []),
    ]:
        agenda.session_save(
            access=access,
            seminar=seminar,
            fields={
                "title": title,
                "kind": kind,
                "starts_at": _at(day, *start),
                "ends_at": _at(day, *end),
                "room": room,
            },
            speaker_ids=[speakers[k].pk for k in who],
        )
    return Demo(seminar=seminar, users=users)
