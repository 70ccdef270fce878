"""Who a request is about: from an e-mail address to everything the registry can find."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models

from keryx.core.errors import ValidationFailed
from keryx.core.personal_data import PersonalDataKind, Subject, kinds


def clean_email(address: str) -> str:
    """The address, stripped; :class:`Invalid` when it is not an e-mail address."""
    address = (address or "").strip()
    try:
        validate_email(address)
    except ValidationError as exc:
        raise ValidationFailed(fields={"email": exc.messages}) from exc
    return address


def email_hash(address: str) -> str:
    """A keyed hash of the address (decision 0763): the request log matches a later request
    about the same address without keeping it. Keyed with the secret key, so a leaked log
    cannot be reversed by hashing a list of addresses."""
    key = ("keryx.privacy:" + settings.SECRET_KEY).encode()
    return hmac.new(key, address.strip().casefold().encode(), hashlib.sha256).hexdigest()


def subject_resolve(subject: Subject) -> Subject:
    """Let every kind add what it knows (registration ids, user ids, names) until nothing new."""
    for _round in range(3):
        before = subject
        for kind in kinds():
            if kind.resolve is not None:
                subject = kind.resolve(subject)
        if subject == before:
            break
    return subject


@dataclass
class Found:
    """The records of one kind that belong to the person (their primary keys)."""

    kind: PersonalDataKind
    pks: list[Any]

    def records(self) -> models.QuerySet[Any]:
        return self.kind.model._default_manager.filter(pk__in=self.pks)


def subject_find(
    subject: Subject, *, workspace_id: int | None = None
) -> tuple[Subject, list[Found]]:
    """Every record of every kind about ``subject`` (optionally only one workspace's), and the
    subject completed with the records found (the audit log finds its entries by them)."""
    subject = subject_resolve(subject)
    found: list[Found] = []
    for kind in kinds():
        if kind.key == "core.auditentry" or kind.key == "admin.logentry":
            continue  # found last, by the records of the others
        found.append(Found(kind, _pks(kind, subject, workspace_id)))
    refs = tuple((f.kind.model._meta.label_lower, str(pk)) for f in found for pk in f.pks)
    subject = subject.merged(records=refs)
    for kind in kinds():
        if kind.key in ("core.auditentry", "admin.logentry"):
            found.append(Found(kind, _pks(kind, subject, workspace_id)))
    return subject, found


def _pks(kind: PersonalDataKind, subject: Subject, workspace_id: int | None) -> list[Any]:
    records = kind.find(subject)
    if workspace_id is not None:
        if kind.workspace_field is None:
            return []
        records = records.filter(**{kind.workspace_field: workspace_id})
    return list(records.values_list("pk", flat=True).distinct())
