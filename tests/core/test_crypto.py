"""Encryption at rest and ``keryx rotate-keys``: after a rotation the old key can be removed and
every secret still reads back; an interrupted rotation finishes when run again."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from keryx.cli import main
from keryx.core.crypto import encrypted_fields, rotate_all
from keryx.networks.models import NetworkAccount, ServerApp

OLD = "P8Ue8rrFdheBh36U6GibYQHAHGxgv8UMAMiaSNCmW4U="
NEW = "Xl7nB0o6kYw2D3t4kQw8b6r1C5hZkqJH1m9vT4sYc2E="


def _raw(model: Any, column: str, pk: int) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


@pytest.fixture
def secrets(db: None, workspace: Any, settings: Any) -> list[Any]:
    settings.KERYX_ENCRYPTION_KEYS = [OLD]
    accounts = [
        NetworkAccount.objects.create(
            workspace=workspace,
            network="mastodon",
            name=f"Λογαριασμός {i}",
            remote_id=str(i),
            base_url="https://mastodon.example",
            credentials={"access_token": f"token-{i}", "σημείωση": "μυστικό"},
        )
        for i in range(5)
    ]
    app = ServerApp.objects.create(
        network="mastodon",
        base_url="https://mastodon.example",
        redirect_uri="https://keryx.example/networks/oauth/callback/",
        client_id="client",
        client_secret="client-secret",
    )
    return [*accounts, app]


def test_encrypted_fields_are_found_by_walking_the_models() -> None:
    labels = {f"{model._meta.label}.{field.name}" for model, field in encrypted_fields()}
    assert {
        "networks.NetworkAccount.credentials",
        "networks.ServerApp.client_secret",
        "networks.PendingAuthorization.data",
    } <= labels


def test_rotate_keys_then_removing_the_old_key_keeps_every_secret(
    secrets: list[Any], settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _raw(NetworkAccount, "credentials", secrets[0].pk)
    settings.KERYX_ENCRYPTION_KEYS = [NEW, OLD]

    assert main(["rotate-keys"]) == 0

    out = capsys.readouterr()
    assert "Re-encrypted 6 value(s)" in out.out
    assert "networks.NetworkAccount.credentials" in out.err  # the progress bar
    after = _raw(NetworkAccount, "credentials", secrets[0].pk)
    assert after != before
    Fernet(NEW.encode()).decrypt(after.encode())  # readable with the new key alone
    settings.KERYX_ENCRYPTION_KEYS = [NEW]
    for i, account in enumerate(secrets[:5]):
        assert NetworkAccount.objects.get(pk=account.pk).credentials == {
            "access_token": f"token-{i}",
            "σημείωση": "μυστικό",
        }
    assert ServerApp.objects.get().client_secret == "client-secret"


def test_an_interrupted_rotation_finishes_when_run_again(secrets: list[Any], settings: Any) -> None:
    settings.KERYX_ENCRYPTION_KEYS = [NEW, OLD]
    seen: list[int] = []

    def stop_after_two(label: str, done: int, total: int) -> None:
        seen.append(done)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rotate_all(progress=stop_after_two, batch_size=2)

    report = rotate_all()
    assert (report.rotated, report.current) == (4, 2)
    settings.KERYX_ENCRYPTION_KEYS = [NEW]
    assert [a.credentials["access_token"] for a in NetworkAccount.objects.order_by("pk")] == [
        f"token-{i}" for i in range(5)
    ]
    assert rotate_all().rotated == 0  # a third run finds nothing to do
