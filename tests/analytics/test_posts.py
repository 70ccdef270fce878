"""Top and bottom posts by registrations, then clicks, on the known data set."""

from __future__ import annotations

import pytest
from django.utils import translation

from keryx.analytics.domain.rollups import rollups_refresh
from keryx.analytics.posts import post_ranking
from keryx.content.models import Post
from keryx.links.models import TrackedLink

pytestmark = pytest.mark.django_db


def test_posts_ranked_by_registrations_then_clicks(known, workspace) -> None:  # type: ignore[no-untyped-def]
    organic = Post.objects.create(
        workspace=workspace, seminar=known.seminar, master_text="Έρχεται!"
    )
    paid = Post.objects.create(workspace=workspace, seminar=known.seminar, master_text="Ομιλητές")
    quiet = Post.objects.create(workspace=workspace, seminar=known.seminar, master_text="Σιωπή")
    TrackedLink.objects.filter(pk=known.organic.pk).update(post=organic)
    TrackedLink.objects.filter(pk=known.paid.pk).update(post=paid)
    TrackedLink.objects.create(
        workspace=workspace,
        seminar=known.seminar,
        code="quiet1",
        destination="https://e.org/",
        post=quiet,
    )
    rollups_refresh(known.seminar, full=True)
    with translation.override("en"):
        top, bottom = post_ranking(known.seminar)
    # Paid: 3 registrations (r3, r4, r6), 2 clicks; organic: 1 (r1), 3 clicks; quiet: 0, 0.
    assert top.labels == ["Ομιλητές", "Έρχεται!", "Σιωπή"]
    assert top.datasets[0]["data"] == [3, 1, 0]
    assert top.datasets[1]["data"] == [2, 3, 0]
    assert bottom.labels == []  # three posts all fit in the top five
