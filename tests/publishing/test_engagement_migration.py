"""The data migration that moved best time's PostEngagement rows into metric snapshots."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("publishing", "0001_initial")]
AFTER = [("publishing", "0002_post_engagement_into_metric_snapshots")]
T = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


@pytest.mark.django_db(transaction=True)
def test_post_engagement_rows_become_settled_snapshots_once() -> None:
    executor = MigrationExecutor(connection)
    before = [
        node if node[0] != "publishing" else BEFORE[0]
        for node in executor.loader.graph.leaf_nodes()
    ]
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(before).apps
    Workspace = apps.get_model("accounts", "Workspace")
    Seminar = apps.get_model("seminars", "Seminar")
    Post = apps.get_model("content", "Post")
    Variant = apps.get_model("content", "Variant")
    Account = apps.get_model("networks", "NetworkAccount")
    Snapshot = apps.get_model("networks", "MetricSnapshot")
    PostEngagement = apps.get_model("publishing", "PostEngagement")
    workspace = Workspace.objects.create(name="W", slug="w")
    seminar = Seminar.objects.create(
        workspace=workspace, title="S", slug="s", starts_at=T, ends_at=T + dt.timedelta(hours=2)
    )
    account = Account.objects.create(workspace=workspace, network="x", name="a")
    copied, kept = (
        Variant.objects.create(
            post=Post.objects.create(workspace=workspace, seminar=seminar),
            account=account,
            network="x",
            remote_id=remote_id,
        )
        for remote_id in ("r1", "r2")
    )
    for variant in (copied, kept):
        PostEngagement.objects.create(
            variant=variant,
            account=account,
            published_at=T,
            engagements=42,
            impressions=900,
            measured_at=T + dt.timedelta(hours=49),
        )
    # r2 already has a settled snapshot from the metrics poll: that one stays the truth.
    Snapshot.objects.create(
        account=account, remote_id="r2", taken_at=T + dt.timedelta(hours=48), likes=7
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    Snapshot = apps.get_model("networks", "MetricSnapshot")
    rows = list(
        Snapshot.objects.order_by("remote_id", "taken_at").values_list(
            "remote_id", "taken_at", "likes", "shares", "impressions"
        )
    )
    assert rows == [
        ("r1", T + dt.timedelta(hours=49), 42, None, 900),
        ("r2", T + dt.timedelta(hours=48), 7, None, None),
    ]
    assert "publishing_postengagement" not in connection.introspection.table_names()
