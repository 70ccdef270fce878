"""`keryx demo` includes ad campaigns with imported results: the dashboard shows spend and cost
per registrant."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keryx.accounts.access import workspace_access
from keryx.accounts.models import User
from keryx.accounts.roles import Perm, Role
from keryx.analytics.domain.demo import DAYS, demo_campaigns
from keryx.analytics.models import AdResult
from keryx.analytics.presenters import dashboard_of
from keryx.content.domain.demo import demo_content
from keryx.links.domain.demo import demo_audience
from keryx.seminars.domain.demo import demo_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_has_campaigns_with_costs() -> None:
    demo = demo_create()
    users = {Role(role): User.objects.get(email=email) for role, email in demo.logins.items()}
    demo_content(demo.seminar, users)
    demo_audience(demo.seminar, users)

    assert demo_campaigns(demo.seminar, users) == 2

    assert AdResult.objects.filter(campaign__seminar=demo.seminar).count() == 2 * DAYS
    access = workspace_access(users[Role.OWNER], demo.seminar.workspace, Perm.ANALYTICS_VIEW)
    rows = {r.kpi.key: r for r in dashboard_of(access, demo.seminar).rows}
    # Meta: Σ(18 + (137 i mod 90)/10) for i < 10 = 180 + 31.5 = 211.50;
    # LinkedIn: Σ(41 + (53 i mod 70)/10) = 410 + 28.5 = 438.50.
    assert rows["budget"].value == Decimal("650.00")
    assert rows["budget"].target == Decimal(1500)
    assert rows["cost_per_registrant"].value is not None
    assert rows["cost_per_registrant"].value > 0


def test_the_demo_has_snapshots_over_time_and_ratings() -> None:
    from keryx.analytics.domain.demo import demo_metrics
    from keryx.surveys.domain.demo import demo_surveys

    demo = demo_create()
    users = {Role(role): User.objects.get(email=email) for role, email in demo.logins.items()}
    demo_content(demo.seminar, users)
    demo_audience(demo.seminar, users)
    demo_surveys(demo.seminar, users)
    assert demo_metrics(demo.seminar, users) > 6 * 8
    access = workspace_access(users[Role.OWNER], demo.seminar.workspace, Perm.ANALYTICS_VIEW)
    board = dashboard_of(access, demo.seminar)
    rows = {r.kpi.key: r for r in board.rows}
    for key in ("likes", "engagement", "average_rating", "nps", "survey_response_rate"):
        assert rows[key].value is not None, key
    assert board.engagement is not None and len(board.engagement.labels) >= DAYS - 1
    assert board.funnel is not None and board.funnel.datasets[0]["data"][-1] > 0  # rated
