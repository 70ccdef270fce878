"""Validate a whole object graph before saving any of it."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from keryx.core.errors import ValidationFailed
from keryx.core.timezones import out_of_range, range_message


def _automatic(field: models.Field) -> bool:
    """Filled in by ``save()`` (timestamps), so ``None`` before it is expected."""
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


class ErrorCollector:
    """Gathers field errors of several objects under prefixed keys (``personas[0].name``)."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.fields.setdefault(key, []).append(str(message))

    def check(
        self, instance: models.Model, *, prefix: str = "", exclude: Iterable[str] = ()
    ) -> None:
        """The model's own validation, plus what ``full_clean`` lets through and the
        database would refuse or a page could not show (decision 0744): ``None`` in a
        text field that may be blank but not null, and dates outside the years Keryx takes."""
        skip = set(exclude)
        try:
            instance.full_clean(exclude=list(skip), validate_constraints=False)
        except ValidationError as exc:
            self.absorb(exc, prefix=prefix)
        for field in instance._meta.concrete_fields:
            if field.name in skip or field.is_relation or field.primary_key:
                continue
            value = getattr(instance, field.attname, None)
            if value is None and not field.null and field.blank and not _automatic(field):
                self.add(f"{prefix}{field.name}", str(field.error_messages["null"]))
            elif isinstance(field, models.DateField) and out_of_range(value):
                self.add(f"{prefix}{field.name}", range_message())

    def absorb(self, error: ValidationError, *, prefix: str = "") -> None:
        if hasattr(error, "error_dict"):
            for key, messages in error.message_dict.items():
                name = "__all__" if key == NON_FIELD_ERRORS else key
                for message in messages:
                    self.add(f"{prefix}{name}" if prefix else name, message)
        else:
            for message in error.messages:
                self.add(f"{prefix}__all__" if prefix else "__all__", message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed(fields=self.fields)
