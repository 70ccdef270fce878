"""Bring back into 1970–2099 the seminar and session times that an earlier version let in
(probe finding 4, decision 0744): a year 9999 could not be shown in a zone east of UTC and
broke the seminar list. The year is clamped; month, day and time are kept, so the order of
start and end stays."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

FIRST, LAST = 1970, 2099


def clamp(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or FIRST <= value.year <= LAST:
        return value
    year = LAST if value.year > LAST else FIRST
    day = min(value.day, 28) if value.month == 2 else value.day
    return value.replace(year=year, day=day)


def forwards(apps: Any, schema_editor: Any) -> None:
    low = dt.datetime(FIRST, 1, 1, tzinfo=dt.UTC)
    high = dt.datetime(LAST + 1, 1, 1, tzinfo=dt.UTC)
    for name in ("Seminar", "Session"):
        model = apps.get_model("seminars", name)
        for field in ("starts_at", "ends_at"):
            bad = model.objects.filter(**{f"{field}__lt": low}) | model.objects.filter(
                **{f"{field}__gte": high}
            )
            for row in bad:
                model.objects.filter(pk=row.pk).update(
                    starts_at=clamp(row.starts_at), ends_at=clamp(row.ends_at)
                )


class Migration(migrations.Migration):
    dependencies = [("seminars", "0002_capacity_message")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
