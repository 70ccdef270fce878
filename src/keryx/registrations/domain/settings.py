"""The registration settings of a seminar: publication, form, consent, waiting list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings as django_settings
from django.db import transaction
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record, changes_between, snapshot
from keryx.core.domain.validation import ErrorCollector
from keryx.registrations.enums import OPTIONAL_FIELDS
from keryx.registrations.models import RegistrationSettings
from keryx.seminars.models import Seminar

SETTINGS_FIELDS = (
    "is_public",
    "registration_open",
    "waitlist_enabled",
    "optional_fields",
    "required_fields",
    "privacy_notice",
    "privacy_version",
    "ask_marketing_consent",
    "confirm_within_hours",
)


def settings_of(seminar: Seminar) -> RegistrationSettings:
    """The seminar's settings row, created (unpublished, default form) on first use."""
    row, _created = RegistrationSettings.objects.get_or_create(seminar=seminar)
    row.seminar = seminar
    return row


def _check(row: RegistrationSettings, errors: ErrorCollector) -> None:
    optional = row.optional_fields if isinstance(row.optional_fields, list) else None
    required = row.required_fields if isinstance(row.required_fields, list) else None
    if optional is None or any(f not in OPTIONAL_FIELDS for f in optional):
        errors.add(
            "optional_fields",
            _("Choose among: %(fields)s.") % {"fields": ", ".join(OPTIONAL_FIELDS)},
        )
    elif required is None or any(f not in optional for f in required):
        errors.add("required_fields", _("Only questions that are asked can be required."))
    languages = dict(django_settings.LANGUAGES)
    if not isinstance(row.privacy_notice, dict) or any(
        k not in languages or not isinstance(v, str) for k, v in row.privacy_notice.items()
    ):
        errors.add(
            "privacy_notice",
            _("Give the notice as language → text, with languages among: %(langs)s.")
            % {"langs": ", ".join(languages)},
        )
    if not str(row.privacy_version or "").strip():
        errors.add("privacy_version", _("Give the notice a version, e.g. 2026-01."))
    errors.check(row, exclude=["seminar", "optional_fields", "required_fields", "privacy_notice"])


@transaction.atomic
def settings_update(
    *, access: Access, seminar: Seminar, fields: Mapping[str, Any]
) -> RegistrationSettings:
    """Change the settings; a changed notice text without a new version is refused."""
    access.require(Perm.REGISTRATIONS_MANAGE)
    settings_of(seminar)
    row = RegistrationSettings.objects.select_for_update().get(seminar=seminar)
    row.seminar = seminar
    before = snapshot(row, SETTINGS_FIELDS)
    for key, value in fields.items():
        if key in SETTINGS_FIELDS:
            setattr(row, key, value.strip() if isinstance(value, str) else value)
    if isinstance(row.optional_fields, list):
        row.optional_fields = [f for f in OPTIONAL_FIELDS if f in row.optional_fields] + [
            f for f in row.optional_fields if f not in OPTIONAL_FIELDS
        ]
    if isinstance(row.privacy_notice, dict):
        row.privacy_notice = {k: v.strip() for k, v in row.privacy_notice.items() if str(v).strip()}
    errors = ErrorCollector()
    _check(row, errors)
    if (
        row.privacy_notice != before["privacy_notice"]
        and row.privacy_version == before["privacy_version"]
        and before["privacy_notice"]
    ):
        errors.add(
            "privacy_version",
            _("The notice text changed: give it a new version so consents stay traceable."),
        )
    errors.raise_if_any()
    changes = changes_between(before, snapshot(row, SETTINGS_FIELDS))
    if changes:
        row.save(update_fields=[*changes, "updated_at"])
        audit_record(
            action="registration_settings.update",
            actor=access.user,
            workspace=access.workspace,
            obj=row,
            changes=changes,
        )
    return row
