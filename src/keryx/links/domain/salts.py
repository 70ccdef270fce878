"""The daily salt of the visitor hash: random, kept server-side, deleted the day after."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction

from keryx.links.models import VisitorSalt

KEEP_DAYS = 1  # today and yesterday: late clicks of yesterday are still hashed alike


def visitor_salt_get(*, day: dt.date) -> str:
    """The salt of ``day``, created on first use (by whichever process comes first)."""
    found = VisitorSalt.objects.filter(day=day).values_list("salt", flat=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return VisitorSalt.objects.create(day=day, salt=secrets.token_hex(32)).salt
    except IntegrityError:
        return VisitorSalt.objects.values_list("salt", flat=True).get(day=day)


def visitor_salts_prune(*, today: dt.date) -> int:
    """Delete the salts older than yesterday; their hashes can no longer be recomputed."""
    deleted, _ = VisitorSalt.objects.filter(day__lt=today - dt.timedelta(days=KEEP_DAYS)).delete()
    return deleted
