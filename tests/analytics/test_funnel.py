"""The funnel down to the rating, per network, post, theme and campaign, on the known data
set with ratings (tests/analytics/test_kpis_measured.py's ``measured``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from keryx.accounts.access import workspace_access
from keryx.analytics.domain.rollups import rollups_refresh
from keryx.analytics.funnel import funnel_view
from keryx.content.models import Post
from keryx.links.models import TrackedLink
from tests.analytics.test_kpis_measured import measured  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal


def _counts(row) -> list[int]:  # type: ignore[no-untyped-def]
    return [count for count, _c, _d in row.cells()]


def test_funnel_per_network_down_to_the_rating(measured, user) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    access = workspace_access(user, measured.seminar.workspace)
    with translation.override("en"):
        view = funnel_view(access, measured.seminar, by="network")
    rows = {r.label: r for r in view.rows}
    # Facebook (paidF1): 2 clicks; r3, r4, r5, r6 registered (r5 later cancelled), r3, r4,
    # r5, r6 confirmed, r6 checked in; r3 and r6 rated (4, 3, 5).
    assert _counts(rows["Facebook"]) == [2, 0, 4, 4, 1, 2]
    assert rows["Facebook"].average_rating == D(4)
    # X (orgX1): 3 clicks, r1 registered and confirmed, rated 5.
    assert _counts(rows["X"]) == [3, 0, 1, 1, 0, 1]
    # r2 came without a tracked link.
    assert _counts(rows["No tracked link"]) == [0, 0, 1, 0, 0, 0]
    assert _counts(view.total) == [5, 0, 6, 5, 1, 3]
    assert view.total.conversions() == [None, D(0), None, D("83.3"), D(20), D(300)]
    assert view.total.drop_offs()[3] == D("16.7")
    assert view.total.overall == D(60)  # 3 rated per 5 clicks
    assert [r.label for r in view.rows][-1] == "No tracked link"


def test_funnel_per_post_theme_and_campaign(measured, user, workspace) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    post = Post.objects.create(
        workspace=workspace, seminar=measured.seminar, master_text="Ομιλητές", theme="countdown"
    )
    TrackedLink.objects.filter(pk=measured.paid.pk).update(post=post)
    rollups_refresh(measured.seminar, full=True)
    access = workspace_access(user, workspace)
    with translation.override("en"):
        per_post = funnel_view(access, measured.seminar, by="post")
        per_theme = funnel_view(access, measured.seminar, by="theme")
        per_campaign = funnel_view(access, measured.seminar, by="campaign")
    assert [(r.label, _counts(r)) for r in per_post.rows] == [("Ομιλητές", [2, 0, 4, 4, 1, 2])]
    assert [(r.label, _counts(r)) for r in per_theme.rows] == [("Countdown", [2, 0, 4, 4, 1, 2])]
    assert [(r.label, _counts(r)) for r in per_campaign.rows] == [
        ("Χειμερινή καμπάνια", [2, 0, 4, 4, 1, 2])
    ]
    lines = per_campaign.csv().splitlines()
    assert lines[0].startswith("\ufeffPer ad campaign,Clicks (people),Unique visitors,")
    # No visitor ids on these clicks (0 %, all off); nobody visits before registering here,
    # so that step has no rate; two of the one checked-in… rated: 200 % (people rate online
    # without a check-in at the door).
    assert lines[1] == (
        "Χειμερινή καμπάνια,2,0,0.0,100.0,4,,,4,100.0,0.0,1,25.0,75.0,2,200.0,0.0,4.00,100.0"
    )


def test_funnel_page_and_csv_in_greek(measured, user, workspace) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = Client()
    client.force_login(user)
    base = f"/w/{workspace.slug}/analytics/kpis/{measured.seminar.pk}/"
    page = client.get(base + "funnel/?by=network", HTTP_ACCEPT_LANGUAGE="el")
    assert page.status_code == 200
    assert "funnel-table" in page.text
    csv = client.get(base + "funnel.csv?by=theme")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert client.get(base + "audience/").status_code == 200
    dashboard = client.get(base)
    assert 'data-chart-key="funnel"' in dashboard.text
    assert 'data-chart-key="engagement-networks"' in dashboard.text
