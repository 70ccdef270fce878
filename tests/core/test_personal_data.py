"""The personal-data registry: declarations are found at start-up and read back by key."""

from __future__ import annotations

import pytest

from keryx.core import personal_data
from keryx.core.models import AuditEntry


def test_register_twice_with_another_model_is_refused() -> None:
    kind = personal_data.PersonalDataKind(
        key="tests.audit",
        model=AuditEntry,
        label="audit",
        fields=("actor_label",),
        find=lambda subject: AuditEntry.objects.none(),
        erase=lambda records: 0,
    )
    personal_data.register(kind)
    try:
        from keryx.core.models import QueueProbe

        with pytest.raises(ValueError):
            personal_data.register(
                personal_data.PersonalDataKind(
                    key="tests.audit",
                    model=QueueProbe,
                    label="probe",
                    fields=(),
                    find=lambda subject: QueueProbe.objects.none(),
                    erase=lambda records: 0,
                )
            )
        assert kind in personal_data.kinds_for(AuditEntry)
    finally:
        personal_data._REGISTRY.pop("tests.audit", None)


@pytest.mark.django_db
def test_default_export_lists_the_personal_fields_with_the_id() -> None:
    entry = AuditEntry.objects.create(actor_label="someone", action="x.y")
    kind = personal_data.PersonalDataKind(
        key="tests.audit2",
        model=AuditEntry,
        label="audit",
        fields=("actor_label",),
        find=lambda subject: AuditEntry.objects.all(),
        erase=lambda records: 0,
    )
    assert kind.export_records(AuditEntry.objects.all()) == [
        {"id": entry.id, "actor_label": "someone"}
    ]
    assert list(kind.expired(entry.created_at, 1)) == []
