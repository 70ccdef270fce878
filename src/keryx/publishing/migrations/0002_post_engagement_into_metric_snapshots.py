"""Best time now reads the networks' metric snapshots (decision 0956): each PostEngagement row
becomes a snapshot taken when it was measured, unless the post already has a settled snapshot
(48 hours or more after publishing). The stored total did not keep its parts (likes, shares,
comments, clicks), so it goes into ``likes`` and the others stay unknown (NULL)."""

import datetime as dt

from django.db import migrations

SETTLE_AFTER = dt.timedelta(hours=48)


def copy_engagement(apps, schema_editor):  # type: ignore[no-untyped-def]
    PostEngagement = apps.get_model("publishing", "PostEngagement")
    MetricSnapshot = apps.get_model("networks", "MetricSnapshot")
    made = []
    for row in PostEngagement.objects.select_related("variant").iterator(chunk_size=1000):
        remote_id = row.variant.remote_id
        if not remote_id:
            continue
        settled = MetricSnapshot.objects.filter(
            account_id=row.account_id,
            remote_id=remote_id,
            taken_at__gte=row.published_at + SETTLE_AFTER,
        ).exists()
        if settled:
            continue
        made.append(
            MetricSnapshot(
                account_id=row.account_id,
                remote_id=remote_id,
                taken_at=max(row.measured_at, row.published_at + SETTLE_AFTER),
                likes=row.engagements,
                impressions=row.impressions,
            )
        )
    MetricSnapshot.objects.bulk_create(made, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
        ("networks", "0003_read_back"),
    ]

    operations = [
        migrations.RunPython(copy_engagement, migrations.RunPython.noop),
        migrations.DeleteModel(name="PostEngagement"),
    ]
