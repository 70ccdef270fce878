"""Bluesky against a real AT Protocol server: a local PDS + PLC from @atproto/dev-env 0.3.215
(``npm ci --prefix tests/pds``). The account is connected the way a user does it (handle, app
password, PDS address) through the networks domain, a Greek post with hashtags, a link and an
image is published through the connector, and the record is read back from the PDS: its text
and the facets' UTF-8 byte offsets must be exactly right.

The PDS runs without an app view (``TestNetworkNoAppView``, no PostgreSQL needed); what needs
one — threads, notifications, counts, search — is read from a network with an AppView in
test_appview.py.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.core.text import normalize_post_text
from keryx.networks.base import MediaFile, PublishRequest, content_fingerprint
from keryx.networks.domain.accounts import account_connect_form, connector_for_account
from keryx.networks.models import AccountStatus

# isort: split
from tests.support.pds import LocalPds, run_local_pds

pytestmark = pytest.mark.xdist_group("pds")
# Ports of this module's own, per xdist worker: a module's tests may still be spread over
# workers, and the PDS harness test (2583/2582) may run beside it.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
PDS_PORT = 2593 + 10 * _WORKER
PLC_PORT = 2592 + 10 * _WORKER

LINK = "https://keryx.example/r/ab12cd"
TEXT = (
    "Σεμινάριο Διαχείρισης Social Media στην Αθήνα! "
    f"Εγγραφές: {LINK} #Σεμινάριο2026 #ΚοινωνικάΔίκτυα 🎓"
)


@pytest.fixture(scope="module")
def pds() -> Iterator[LocalPds]:
    with run_local_pds(pds_port=PDS_PORT, plc_port=PLC_PORT) as server:
        yield server


@pytest.fixture
def app_password(pds: LocalPds) -> tuple[str, str]:
    """A new account on the PDS and an app password for it (what a user makes in Bluesky)."""
    handle = f"k{uuid.uuid4().hex[:8]}{pds.handle_domain}"
    account = pds.create_account(handle, "correct-horse-battery")
    return handle, pds.create_app_password(account)


def _record(pds: LocalPds, uri: str) -> dict[str, Any]:
    did, _collection, rkey = uri.removeprefix("at://").split("/")
    response = httpx.get(
        pds.xrpc_url("com.atproto.repo.getRecord"),
        params={"repo": did, "collection": "app.bsky.feed.post", "rkey": rkey},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def _span(text: str, fragment: str) -> dict[str, int]:
    start = text.encode("utf-8").index(fragment.encode("utf-8"))
    return {"byteStart": start, "byteEnd": start + len(fragment.encode("utf-8"))}


def _image(tmp_path: Path) -> MediaFile:
    path = tmp_path / "aithousa.png"
    Image.new("RGB", (120, 80), (20, 90, 200)).save(path, format="PNG")
    return MediaFile(
        path=path, mime="image/png", alt_text="Η αίθουσα του σεμιναρίου", width=120, height=80
    )


@pytest.mark.django_db
def test_greek_post_with_hashtags_link_and_image_reads_back_exactly(
    pds: LocalPds,
    app_password: tuple[str, str],
    workspace: Any,
    user: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.KERYX_ALLOW_PRIVATE_URLS = True  # the PDS is on 127.0.0.1
    handle, password = app_password
    access = workspace_access(user, workspace, Perm.NETWORKS_CONNECT)
    account = account_connect_form(
        access=access,
        network="bluesky",
        data={"handle": handle, "app_password": password, "pds_url": pds.pds_url},
    )
    assert (account.status, account.handle, account.base_url) == (
        AccountStatus.CONNECTED,
        f"@{handle}",
        pds.pds_url,
    )
    assert account.remote_id.startswith("did:plc:")

    published = connector_for_account(account).publish(
        PublishRequest(
            text=TEXT,
            media=[_image(tmp_path)],
            language="el",
            fingerprint=content_fingerprint(TEXT),
        )
    )

    assert published.remote_id.startswith(f"at://{account.remote_id}/app.bsky.feed.post/")
    assert (
        published.url
        == f"https://bsky.app/profile/{handle}/post/{published.remote_id.rsplit('/', 1)[1]}"
    )
    record = _record(pds, published.remote_id)["value"]
    expected_text = normalize_post_text(TEXT)
    assert record["text"] == expected_text
    assert record["langs"] == ["el"]
    assert record["facets"] == [
        {
            "index": _span(expected_text, LINK),
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": LINK}],
        },
        {
            "index": _span(expected_text, "#Σεμινάριο2026"),
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Σεμινάριο2026"}],
        },
        {
            "index": _span(expected_text, "#ΚοινωνικάΔίκτυα"),
            "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "ΚοινωνικάΔίκτυα"}],
        },
    ]
    # Greek letters are two bytes each: the first tag is character 88 but byte 125.
    assert expected_text.index("#Σεμινάριο2026") == 88
    assert record["facets"][1]["index"] == {"byteStart": 125, "byteEnd": 148}
    (image,) = record["embed"]["images"]
    assert record["embed"]["$type"] == "app.bsky.embed.images"
    assert image["alt"] == "Η αίθουσα του σεμιναρίου"
    assert image["aspectRatio"] == {"width": 120, "height": 80}
    blob = httpx.get(
        pds.xrpc_url("com.atproto.sync.getBlob"),
        params={"did": account.remote_id, "cid": image["image"]["ref"]["$link"]},
        timeout=30,
    )
    assert blob.status_code == 200
    assert blob.content == (tmp_path / "aithousa.png").read_bytes()


@pytest.mark.django_db
def test_reply_find_and_delete_on_the_pds(
    pds: LocalPds, app_password: tuple[str, str], workspace: Any, user: Any, settings: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    settings.KERYX_ALLOW_PRIVATE_URLS = True
    handle, password = app_password
    access = workspace_access(user, workspace, Perm.NETWORKS_CONNECT)
    account = account_connect_form(
        access=access,
        network="bluesky",
        data={"handle": handle, "app_password": password, "pds_url": pds.pds_url},
    )
    connector = connector_for_account(account)
    since = timezone.now() - dt.timedelta(minutes=1)
    first = connector.publish(
        PublishRequest(text="Καλώς ήρθατε! #Σεμινάριο2026", thread=("Δεύτερο μέρος",))
    )
    (second_uri,) = first.extra["thread_ids"]
    second = _record(pds, second_uri)
    first_cid = _record(pds, first.remote_id)["cid"]
    assert second["value"]["reply"] == {
        "root": {"uri": first.remote_id, "cid": first_cid},
        "parent": {"uri": first.remote_id, "cid": first_cid},
    }

    answer = connector.reply(second_uri, "Ευχαριστούμε!")
    reply = _record(pds, answer.remote_id)["value"]["reply"]
    assert (reply["root"]["uri"], reply["parent"]["uri"]) == (first.remote_id, second_uri)

    found = connector.find_published(
        content_fingerprint("Καλώς ήρθατε!   #σεμινάριο2026"), since=since
    )
    assert found is not None and found.remote_id == first.remote_id

    connector.delete(first.remote_id)
    gone = httpx.get(
        pds.xrpc_url("com.atproto.repo.getRecord"),
        params={
            "repo": account.remote_id,
            "collection": "app.bsky.feed.post",
            "rkey": first.remote_id.rsplit("/", 1)[1],
        },
        timeout=30,
    )
    assert gone.status_code == 400
    assert gone.json()["error"] == "RecordNotFound"


@pytest.mark.django_db
def test_a_revoked_app_password_flags_the_account(
    pds: LocalPds, app_password: tuple[str, str], workspace: Any, user: Any, settings: Any
) -> None:
    """The app password is revoked and the access token dies (here: the PDS no longer accepts
    it; in life it expires after two hours): the refresh and a new sign-in both fail, so the
    account is flagged reconnect-needed and its owners are told what to do."""
    from keryx.networks.domain.accounts import account_check
    from keryx.notifications.models import Notification

    settings.KERYX_ALLOW_PRIVATE_URLS = True
    handle, password = app_password
    access = workspace_access(user, workspace, Perm.NETWORKS_CONNECT)
    account = account_connect_form(
        access=access,
        network="bluesky",
        data={"handle": handle, "app_password": password, "pds_url": pds.pds_url},
    )
    session = account.credentials
    revoked = httpx.post(
        pds.xrpc_url("com.atproto.server.revokeAppPassword"),
        json={"name": "Keryx"},
        headers={"Authorization": f"Bearer {session['access_jwt']}"},
        timeout=30,
    )
    assert revoked.status_code == 200, revoked.text
    account.credentials = {**session, "access_jwt": "no-longer-accepted"}
    account.save(update_fields=["credentials"])

    account_check(access=access, account=account)

    account.refresh_from_db()
    assert account.status == AccountStatus.RECONNECT_NEEDED
    assert "app password" in account.status_message
    note = Notification.objects.get(recipient=user, kind="network_account.reconnect_needed")
    assert note.url == f"/w/{workspace.slug}/settings/accounts/"
