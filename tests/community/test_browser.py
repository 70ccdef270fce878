"""In Chromium, on a phone-sized screen, in Greek: an attendee asks for the link, opens it from
the e-mail (a real SMTP server), reads the announcement and replies to a discussion; the
moderator hides the reply in the workspace and the attendee no longer sees it."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from keryx.accounts.access import workspace_access
from keryx.community.domain.announcements import announcement_post
from keryx.community.domain.threads import thread_start
from keryx.community.models import Reply
from tests.community.helpers import community_of, link_path, registrant
from tests.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_attendee_enters_by_link_replies_and_a_moderator_hides_it(  # type: ignore[no-untyped-def]
    browser, live_server, smtp_sink, settings, seminar, user, member
) -> None:
    cache.clear()
    settings.KERYX_BASE_URL = live_server.url
    community = community_of(user, seminar)
    registrant(seminar, "maria@example.org", language="el", name="Μαρία")
    thread_start(
        community=community,
        title="Εργαλεία προγραμματισμού",
        body="Τι χρησιμοποιείτε;",
        access=workspace_access(user, seminar.workspace),
    )
    phone = browser.new_context(
        base_url=live_server.url, locale="el-GR", viewport={"width": 390, "height": 844}
    )
    phone.set_default_timeout(30_000)
    tab = phone.new_page()
    tab.goto(f"/c/{community.code}/")
    tab.fill("#id_email", "maria@example.org")
    tab.click("#link-request button[type=submit]")
    tab.wait_for_selector("#message")
    [mail] = smtp_sink.wait_for(1)
    tab.goto(link_path(smtp_sink.body(mail)))
    tab.wait_for_selector("#threads")
    assert "Μαρία" in tab.inner_text("header")

    announcement_post(
        access=workspace_access(user, seminar.workspace),
        community=community,
        title="Οι διαφάνειες ανέβηκαν",
        body="Δείτε τα υλικά.",
    )
    smtp_sink.wait_for(2)
    tab.reload()
    assert "Οι διαφάνειες ανέβηκαν" in tab.inner_text("#announcements")
    tab.click("#threads a:has-text('Εργαλεία προγραμματισμού')")
    tab.fill("#id_body", "Ένα λογιστικό φύλλο <b>αρκεί</b>")
    tab.click("#reply-form button[type=submit]")
    tab.wait_for_selector(".reply:has-text('Ένα λογιστικό φύλλο <b>αρκεί</b>')")
    screenshot(tab, "community-phone-thread")

    staff = browser.new_context(base_url=live_server.url, locale="el-GR")
    desk = staff.new_page()
    desk.set_default_timeout(30_000)
    desk.goto("/accounts/login/")
    moderator = member("moderator", "mod@example.org")
    desk.fill("input[name=login]", moderator.email)
    desk.fill("input[name=password]", PASSWORD)
    desk.click("main form button[type=submit]")
    desk.wait_for_url(re.compile(r"/w/[^/]+/$"))
    reply = Reply.objects.get()
    thread_url = f"/w/{seminar.workspace.slug}/community/{seminar.pk}/threads/{reply.thread_id}/"
    desk.goto(thread_url)
    desk.click(f"#reply-{reply.pk} button[value=hide]")
    desk.wait_for_selector(f"#reply-{reply.pk}.is-hidden")
    tab.reload()
    assert "λογιστικό φύλλο" not in tab.inner_text("#replies")
    staff.close()
    phone.close()
