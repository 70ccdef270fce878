"""The audit log keeps ids, not names and e-mail addresses (decision 0761).

Existing entries lose the actor's e-mail (the actor's id stays), the text of objects that are
personal data (registrations, users, speakers, network accounts…) and the values of personal
fields in their recorded changes (the change itself stays, as "•").
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# Object types whose text is personal data, and their personal fields, as of this migration.
PERSONAL: dict[str, set[str]] = {
    "accounts.user": {"email", "full_name", "first_name", "last_name"},
    "accounts.membership": set(),
    "accounts.apitoken": {"name"},
    "registrations.registration": {
        "name",
        "email",
        "profession",
        "organisation",
        "region",
        "interests",
    },
    "registrations.consent": {"text"},
    "registrations.registrantemail": {"error_detail"},
    "seminars.speaker": {"name", "bio", "photo", "handles", "job_title", "organisation"},
    "networks.networkaccount": {"name", "handle", "avatar_url", "profile_url"},
    "notifications.notification": {"title", "body"},
    "content.comment": {"body"},
    "content.review": {"note"},
}


def forwards(apps: Any, schema_editor: Any) -> None:
    entry_model = apps.get_model("core", "AuditEntry")
    for entry in entry_model.objects.all().iterator():
        fields = []
        if entry.actor_label and entry.actor_label != "system":
            entry.actor_label = ""
            fields.append("actor_label")
        hidden = PERSONAL.get(entry.object_type)
        if hidden is not None:
            if entry.object_repr:
                entry.object_repr = ""
                fields.append("object_repr")
            if isinstance(entry.changes, dict) and hidden & set(entry.changes):
                entry.changes = {
                    k: (["•", "•"] if k in hidden else v) for k, v in entry.changes.items()
                }
                fields.append("changes")
        if fields:
            entry.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
