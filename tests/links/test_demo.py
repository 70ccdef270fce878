"""The demo's audience: a published page, a link per channel, clicks and the registrations
they brought, all through the real code, and no e-mail to its made-up people."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from keryx.accounts.access import workspace_access
from keryx.accounts.models import User
from keryx.accounts.roles import Perm, Role
from keryx.content.domain.demo import demo_content
from keryx.links.domain.demo import CHANNELS, demo_audience
from keryx.links.funnel import funnel_of
from keryx.links.models import TrackedLink
from keryx.registrations.models import Registration
from keryx.seminars.domain.demo import demo_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_funnel_has_every_channel_and_emails_nobody() -> None:
    demo = demo_create()
    users = {Role(role): User.objects.get(email=email) for role, email in demo.logins.items()}
    demo_content(demo.seminar, users)
    mail.outbox.clear()

    registered = demo_audience(demo.seminar, users)

    assert registered == sum(r for _, r in CHANNELS.values()) == 39
    assert mail.outbox == []  # the made-up registrants are never e-mailed
    owner = workspace_access(users[Role.OWNER], demo.seminar.workspace, Perm.LINKS_VIEW)
    funnel = funnel_of(owner, demo.seminar)
    by_network = {row.key: row for row in funnel.networks}
    assert {k: by_network[k].registrations for k in CHANNELS} == {
        k: r for k, (_, r) in CHANNELS.items()
    }
    for key, (people, _) in CHANNELS.items():
        row = by_network[key]
        # Everyone clicked at least once; some came back; a visitor is counted once a day.
        assert people <= row.clicks and row.visitors <= row.clicks
    assert funnel.total.confirmations == Registration.objects.exclude(confirmed_at=None).count()
    assert 0 < funnel.total.confirmations < registered
    assert funnel.previews > 0  # the networks' preview fetchers, not counted as people
    # The announcement's links carry clicks and registrations: "by post" is filled.
    assert [row.label for row in funnel.posts] == [
        "📣 Ανακοινώνουμε το Σεμινάριο Διαχείρισης Social Media 2026!…"
    ]
    assert funnel.posts[0].registrations > 0 and funnel.posts[0].clicks > 0
    codes = set(TrackedLink.objects.filter(seminar=demo.seminar).values_list("code", flat=True))
    assert set(Registration.objects.values_list("last_touch_code", flat=True)) <= codes

    page = Client().get(f"/s/{demo.seminar.slug}/", HTTP_ACCEPT_LANGUAGE="el")
    assert page.status_code == 200  # the seminar's page is published
