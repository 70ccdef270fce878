"""While publishing is paused, every page of the workspace says so (not only the calendar)."""

from __future__ import annotations

import pytest

from keryx.accounts.access import workspace_access
from keryx.publishing.domain.pause import pause_resume, pause_start

pytestmark = pytest.mark.django_db


def test_every_page_shows_the_pause_until_it_is_resumed(owner_client, user, workspace) -> None:
    access = workspace_access(user, workspace)
    pause = pause_start(access=access, reason="Πένθος: καμία προώθηση")
    for url in (f"/w/{workspace.slug}/seminars/", f"/w/{workspace.slug}/compose/"):
        html = owner_client.get(url).content.decode()
        assert 'class="paused-banner"' in html
        assert "Πένθος: καμία προώθηση" in html
    pause_resume(access=access, pause_id=pause.pk)
    html = owner_client.get(f"/w/{workspace.slug}/seminars/").content.decode()
    assert 'class="paused-banner"' not in html


def test_the_pause_of_one_workspace_is_not_shown_in_another(owner_client, user, workspace) -> None:
    from tests.factories import make_workspace

    other = make_workspace(owner=user, name="Άλλη ομάδα")
    pause_start(access=workspace_access(user, workspace), reason="Σιγή")
    html = owner_client.get(f"/w/{other.slug}/seminars/").content.decode()
    assert "Σιγή" not in html
