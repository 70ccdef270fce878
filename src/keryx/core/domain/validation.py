"""Validate a whole object graph before saving any of it."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from keryx.core.errors import ValidationFailed


class ErrorCollector:
    """Gathers field errors of several objects under prefixed keys (``personas[0].name``)."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.fields.setdefault(key, []).append(str(message))

    def check(
        self, instance: models.Model, *, prefix: str = "", exclude: Iterable[str] = ()
    ) -> None:
        try:
            instance.full_clean(exclude=list(exclude), validate_constraints=False)
        except ValidationError as exc:
            self.absorb(exc, prefix=prefix)

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
