"""A/B tests as objects: two versions of a post for one network, results from their tracked
links over the reach the snapshots report, the winner declared and used for the next post."""

from __future__ import annotations

import pytest
from django.test import Client

from keryx.accounts.access import workspace_access
from keryx.analytics.domain.abtests import ab_results, ab_test_create
from keryx.analytics.domain.rollups import rollups_refresh
from keryx.analytics.models import AbTest
from keryx.content.models import Post, Template, Variant
from keryx.core.errors import ValidationFailed
from keryx.links.models import Click, TrackedLink
from keryx.networks.models import MetricSnapshot, NetworkAccount
from keryx.registrations.models import Registration
from tests.analytics.conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(known, workspace):  # type: ignore[no-untyped-def]
    seminar = known.seminar
    fb = NetworkAccount.objects.create(workspace=workspace, network="facebook", name="fb")
    made = []
    for side, text, clicks, registrations in (("a", "Έλα!", 10, 1), ("b", "Κλείσε θέση!", 30, 4)):
        post = Post.objects.create(workspace=workspace, seminar=seminar, master_text=text)
        variant = Variant.objects.create(
            post=post,
            account=fb,
            network="facebook",
            text=text,
            source_text=text,
            status="published",
            published_at=at(2, 10),
            remote_id=f"fb-{side}",
        )
        link = TrackedLink.objects.create(
            workspace=workspace,
            seminar=seminar,
            code=f"ab{side}",
            destination="https://example.org/",
            network="facebook",
            post=post,
            variant=variant,
        )
        MetricSnapshot.objects.create(
            account=fb, remote_id=f"fb-{side}", taken_at=at(3, 10), reach=1000, impressions=1500
        )
        for n in range(clicks):
            Click.objects.create(link=link, at=at(3, 9), kind="human", visitor=f"{side}{n}")
        for n in range(registrations):
            Registration.objects.create(
                seminar=seminar,
                status="registered",
                name=f"{side}{n}",
                email=f"{side}{n}@example.org",
                language="el",
                last_touch_code=link.code,
            )
        made.append(variant)
    rollups_refresh(seminar, now=NOW, full=True)
    return made


def test_ab_results_on_clicks_over_reach(known, user, pair) -> None:  # type: ignore[no-untyped-def]
    access = workspace_access(user, known.seminar.workspace)
    test = ab_test_create(
        access=access,
        seminar=known.seminar,
        name="Κάλεσμα",
        kind="text",
        goal="clicks",
        variant_a_id=pair[0].pk,
        variant_b_id=pair[1].pk,
    )
    result = ab_results(test)
    assert (result.a.clicks, result.b.clicks, result.a.seen, result.basis) == (
        10,
        30,
        1000,
        "reach",
    )
    assert (result.a.registrations, result.b.registrations) == (1, 4)
    c = result.comparison
    assert c is not None
    # 1 % against 3 % of 1,000: pooled 2 %, z = 0.02 / √(0.02 · 0.98 · 0.002) = 3.194, p = 0.0014.
    assert (round(c.z, 3), round(c.p_value, 4), c.winner) == (3.194, 0.0014, "b")
    # Detecting 1 % → 3 %: (1.96·√(2·0.02·0.98) + 0.8416·√(0.0099 + 0.0291))² / 0.02²
    # = (0.38806 + 0.16621)² / 0.0004 = 768.05 → 769 each; both have 1,000 already.
    assert (c.needed_per_variant, c.still_needed_a, c.still_needed_b) == (769, 0, 0)


def test_ab_registrations_per_click_when_the_network_gives_no_reach(known, user, pair) -> None:  # type: ignore[no-untyped-def]
    MetricSnapshot.objects.update(reach=None, impressions=None)
    rollups_refresh(known.seminar, now=NOW, full=True)
    access = workspace_access(user, known.seminar.workspace)
    test = ab_test_create(
        access=access,
        seminar=known.seminar,
        name="",
        kind="time",
        goal="registrations",
        variant_a_id=pair[0].pk,
        variant_b_id=pair[1].pk,
    )
    result = ab_results(test)
    assert result.basis == "clicks"
    assert result.comparison is not None and result.comparison.winner == ""  # 1/10 vs 4/30


def test_ab_versions_must_share_a_network(known, user, pair, workspace) -> None:  # type: ignore[no-untyped-def]
    other = Variant.objects.create(
        post=pair[0].post,
        account=NetworkAccount.objects.create(workspace=workspace, network="x", name="x"),
        network="x",
        text="…",
    )
    with pytest.raises(ValidationFailed):
        ab_test_create(
            access=workspace_access(user, known.seminar.workspace),
            seminar=known.seminar,
            name="",
            kind="text",
            goal="clicks",
            variant_a_id=pair[0].pk,
            variant_b_id=other.pk,
        )


def test_declare_and_use_the_winner_through_the_pages(known, user, pair, workspace) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    base = f"/w/{workspace.slug}/analytics/kpis/{known.seminar.pk}/ab-tests/"
    answer = client.post(
        base,
        {
            "name": "Κάλεσμα",
            "kind": "text",
            "goal": "clicks",
            "variant_a": pair[0].pk,
            "variant_b": pair[1].pk,
        },
    )
    test = AbTest.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/ab-tests/{test.pk}/")
    page = client.get(answer["Location"], HTTP_ACCEPT_LANGUAGE="el")
    assert page.status_code == 200 and 'data-winner="b"' in page.text
    client.post(answer["Location"], {"winner": "b"})
    test.refresh_from_db()
    assert test.winner == "b" and test.decided_at is not None
    used = client.post(answer["Location"], {"action": "use"})
    template = Template.objects.get()
    assert template.body == "Κλείσε θέση!"
    assert used["Location"].endswith(f"?seminar={known.seminar.pk}&template={template.pk}")
    composer = client.get(used["Location"])
    assert composer.status_code == 200 and "Κλείσε θέση!" in composer.text
