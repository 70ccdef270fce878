"""The demo seminar's community (``keryx demo``): open to everyone registered, with a link,
a recording, an announcement and a discussion with replies. Everything goes through the
domain functions; the announcement is posted without e-mail, so the made-up people are never
written to."""

from __future__ import annotations

from collections.abc import Mapping

from keryx.accounts.access import workspace_access
from keryx.accounts.models import User
from keryx.accounts.roles import Perm, Role
from keryx.community.domain.announcements import announcement_post
from keryx.community.domain.materials import material_add_link
from keryx.community.domain.members import eligible_registrations, member_for
from keryx.community.domain.spaces import community_create, community_update
from keryx.community.domain.threads import reply_add, thread_start
from keryx.community.enums import Audience, MaterialKind
from keryx.community.models import Community
from keryx.seminars.models import Seminar


def demo_community(seminar: Seminar, users: Mapping[Role, User]) -> Community:
    access = workspace_access(users[Role.OWNER], seminar.workspace, Perm.COMMUNITY_MANAGE)
    community = community_create(access=access, seminar=seminar)
    community_update(
        access=access,
        community=community,
        is_open=True,
        audience=Audience.REGISTERED,
        welcome="Καλώς ήρθατε στην κοινότητα του σεμιναρίου! Εδώ θα βρείτε τις διαφάνειες, "
        "τις ερωτήσεις από την αίθουσα και τις ανακοινώσεις μας.",
    )
    material_add_link(
        access=access,
        community=community,
        kind=MaterialKind.LINK,
        title="Οδηγός ψηφιακού μάρκετινγκ (PDF)",
        url="https://example.org/odigos-marketing.pdf",
        description="Ο οδηγός που μοιράστηκε στο τέλος του σεμιναρίου.",
    )
    material_add_link(
        access=access,
        community=community,
        kind=MaterialKind.RECORDING,
        title="Η βιντεοσκόπηση της πρώτης ενότητας",
        url="https://example.org/recording/1",
    )
    announcement_post(
        access=access,
        community=community,
        title="Οι διαφάνειες ανέβηκαν",
        body="Ευχαριστούμε που ήρθατε! Οι διαφάνειες και η βιντεοσκόπηση είναι στα υλικά.",
        email=False,
    )
    people = [member_for(community, r) for r in eligible_registrations(community)[:3]]
    if people:
        thread = thread_start(
            community=community,
            title="Ποια εργαλεία χρησιμοποιείτε για τον προγραμματισμό αναρτήσεων;",
            body="Μετά το σεμινάριο θέλω να δοκιμάσω ένα ημερολόγιο περιεχομένου. Τι προτείνετε;",
            member=people[0],
        )
        for member, text in zip(
            people[1:],
            ["Εμείς ξεκινήσαμε με ένα απλό λογιστικό φύλλο.", "Τα πρότυπα της δεύτερης ενότητας!"],
            strict=False,
        ):
            reply_add(thread=thread, body=text, member=member)
        reply_add(
            thread=thread,
            body="Θα ανεβάσουμε σύντομα ένα πρότυπο ημερολογίου στα υλικά.",
            access=workspace_access(users[Role.MODERATOR], seminar.workspace),
        )
    return community
