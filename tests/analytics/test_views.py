"""The campaign pages: create a campaign, who may."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from keryx.analytics.models import AdCampaign

pytestmark = pytest.mark.django_db


def test_create_a_campaign_with_its_tracked_link(known, owner_client: Client, workspace) -> None:  # type: ignore[no-untyped-def]
    url = f"/w/{workspace.slug}/analytics/kpis/{known.seminar.pk}/campaigns/"
    response = owner_client.post(
        url,
        {
            "platform": "linkedin",
            "name": "Επαγγελματίες",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-11",
            "budget": "300",
            "currency": "eur",
            "objective": "registrations",
            "links": [known.paid.pk],
        },
    )
    campaign = AdCampaign.objects.get(name="Επαγγελματίες")
    assert response.status_code == 302
    assert (campaign.platform, campaign.budget, campaign.currency) == (
        "linkedin",
        Decimal(300),
        "EUR",
    )
    assert list(campaign.links.all()) == [known.paid]
    page = owner_client.get(url).content.decode()
    assert "Επαγγελματίες" in page and "Χειμερινή καμπάνια" in page


def test_a_campaign_must_end_after_it_starts(known, owner_client: Client, workspace) -> None:  # type: ignore[no-untyped-def]
    url = f"/w/{workspace.slug}/analytics/kpis/{known.seminar.pk}/campaigns/"
    response = owner_client.post(
        url,
        {
            "platform": "google",
            "name": "X",
            "starts_on": "2026-12-05",
            "ends_on": "2026-12-01",
            "budget": "10",
            "currency": "EUR",
            "objective": "traffic",
        },
    )
    assert response.status_code == 200
    assert not AdCampaign.objects.filter(name="X").exists()


def test_a_viewer_sees_but_cannot_create_or_import(known, member, workspace) -> None:  # type: ignore[no-untyped-def]
    viewer = member("viewer")
    client = Client()
    client.force_login(viewer)
    base = f"/w/{workspace.slug}/analytics/kpis/{known.seminar.pk}/"
    assert client.get(base).status_code == 200
    assert client.get(base + "campaigns/").status_code == 200
    assert client.post(base + "campaigns/", {"name": "Y"}).status_code == 404
    assert client.post(base + f"campaigns/{known.campaign.pk}/", {}).status_code == 404


def test_another_workspace_cannot_see_the_dashboard(known, workspace) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_user, make_workspace

    stranger = make_user("stranger@example.org")
    make_workspace(stranger, name="Άλλη ομάδα")
    client = Client()
    client.force_login(stranger)
    assert client.get(f"/w/{workspace.slug}/analytics/kpis/{known.seminar.pk}/").status_code == 404


def test_navigation_points_at_the_analytics_home(owner_client: Client, workspace) -> None:  # type: ignore[no-untyped-def]
    page = owner_client.get(f"/w/{workspace.slug}/analytics/kpis/").content.decode()
    assert f'href="/w/{workspace.slug}/analytics/kpis/"' in page
    assert f'href="/w/{workspace.slug}/analytics/"' in page  # links and funnel stay reachable
