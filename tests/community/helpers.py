"""Communities, registrants and members for the tests."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.utils import timezone

from keryx.accounts.access import workspace_access
from keryx.community.domain.members import link_url, member_for
from keryx.community.domain.spaces import community_create
from keryx.community.models import Community, Member
from keryx.registrations.models import Registration
from keryx.seminars.models import Seminar


def community_of(user, seminar: Seminar) -> Community:  # type: ignore[no-untyped-def]
    return community_create(access=workspace_access(user, seminar.workspace), seminar=seminar)


def registrant(
    seminar: Seminar,
    email: str,
    *,
    checked_in: bool = False,
    language: str = "el",
    name: str = "",
) -> Registration:
    now = timezone.now()
    return Registration.objects.create(
        seminar=seminar,
        status="registered",
        name=name or email.split("@")[0].title(),
        email=email,
        language=language,
        confirmed_at=now - dt.timedelta(days=2),
        checked_in_at=now if checked_in else None,
    )


def link_path(url: str) -> str:
    found = re.search(r"/c/[^/]+/in/[^/\s]+/", url)
    assert found is not None, url
    return found.group(0)


def entered(community: Community, registration: Registration) -> tuple[Client, Member]:
    """A browser that followed the member's magic link."""
    member = member_for(community, registration)
    client = Client()
    response = client.get(link_path(link_url(member)))
    assert response.status_code == 302, response.status_code
    return client, member
