"""Encryption at rest for tokens and other secrets (MultiFernet, keys from settings).

The first key of ``KERYX_ENCRYPTION_KEYS`` encrypts; every key decrypts, so a new key can be
put first and ``keryx rotate-keys`` re-encrypts the stored values with it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("KERYX_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(k.encode("ascii")) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "KERYX_ENCRYPTION_KEYS must be comma-separated Fernet keys "
            "(32 url-safe base64-encoded bytes each)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.KERYX_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored secret cannot be decrypted with KERYX_ENCRYPTION_KEYS: "
            "was a key removed before `keryx rotate-keys` ran?"
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt ``token`` with the first (primary) key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; reads give the plaintext back."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


class EncryptedJSONField(models.TextField):
    """A JSON document stored encrypted (for token sets: access, refresh, expiry…)."""

    # For django-stubs: the Python value is any JSON document, not a string.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return {}
        return json.loads(decrypt(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value else {}
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return encrypt(json.dumps(value, sort_keys=True))


# --- key rotation ----------------------------------------------------------------------------


@dataclass
class RotationReport:
    rotated: int = 0
    current: int = 0  # already encrypted with the primary key (an earlier, interrupted run)
    fields: list[str] = field(default_factory=list)


def encrypted_fields() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every encrypted column of every installed model (found by walking the models)."""
    from django.apps import apps

    found: list[tuple[type[models.Model], models.Field[Any, Any]]] = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, EncryptedTextField | EncryptedJSONField):
                found.append((model, model_field))
    return found


def _primary_decrypts(token: str) -> bool:
    try:
        Fernet(settings.KERYX_ENCRYPTION_KEYS[0].encode("ascii")).decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def rotate_all(
    *, batch_size: int = 200, progress: Callable[[str, int, int], None] | None = None
) -> RotationReport:
    """Re-encrypt every stored secret with the first key of ``KERYX_ENCRYPTION_KEYS``.

    Each value is rewritten by its own statement, and only if it has not changed meanwhile, so
    the command can be interrupted and run again at any time: values the primary key already
    decrypts are left alone. Afterwards the old keys can be removed from the setting.
    """
    report = RotationReport()
    for model, column in encrypted_fields():
        label = f"{model._meta.label}.{column.name}"
        report.fields.append(label)
        table = connection.ops.quote_name(model._meta.db_table)
        col = connection.ops.quote_name(column.column)
        pk = connection.ops.quote_name(model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {col} IS NOT NULL AND {col} <> ''")  # noqa: S608
            total = int(cursor.fetchone()[0])
        done, last = 0, None
        while True:
            with connection.cursor() as cursor:
                where = f"{col} IS NOT NULL AND {col} <> ''"
                params: list[Any] = []
                if last is not None:
                    where += f" AND {pk} > %s"
                    params.append(last)
                cursor.execute(
                    f"SELECT {pk}, {col} FROM {table} WHERE {where} ORDER BY {pk} LIMIT %s",  # noqa: S608
                    [*params, batch_size],
                )
                rows = cursor.fetchall()
            if not rows:
                break
            for key, token in rows:
                last = key
                done += 1
                if _primary_decrypts(token):
                    report.current += 1
                else:
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"UPDATE {table} SET {col} = %s WHERE {pk} = %s AND {col} = %s",  # noqa: S608
                            [rotate(token), key, token],
                        )
                        report.rotated += cursor.rowcount
                if progress is not None:
                    progress(label, done, total)
    return report
