from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from keryx.core import crypto
from keryx.core.slugs import transliterate_greek, unique_slug
from keryx.networks.models import NetworkAccount


def test_greek_titles_become_readable_slugs() -> None:
    assert (
        transliterate_greek("Σεμινάριο Διαχείρισης Social Media")
        == "seminario diacheirisis social media"
    )
    assert (
        unique_slug("Ευαισθητοποίηση μπλε", lambda s: s == "evaisthitopoiisi-mple")
        == "evaisthitopoiisi-mple-2"
    )


@pytest.mark.django_db
def test_credentials_are_encrypted_at_rest_and_readable_after_a_key_is_added(
    workspace, settings
) -> None:  # type: ignore[no-untyped-def]
    account = NetworkAccount.objects.create(
        workspace=workspace,
        network="mastodon",
        name="Keryx",
        credentials={"access_token": "s3cret-token"},
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT credentials FROM networks_networkaccount WHERE id = %s", [account.pk]
        )
        raw = cursor.fetchone()[0]
    assert "s3cret-token" not in raw
    settings.KERYX_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.KERYX_ENCRYPTION_KEYS,
    ]
    assert NetworkAccount.objects.get(pk=account.pk).credentials == {"access_token": "s3cret-token"}
    rotated = crypto.rotate(raw)
    settings.KERYX_ENCRYPTION_KEYS = settings.KERYX_ENCRYPTION_KEYS[:1]
    assert crypto.decrypt(rotated) == '{"access_token": "s3cret-token"}'
