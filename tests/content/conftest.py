"""Fixtures for the composer: one connected account per network, team members, image files."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image

from keryx.accounts.access import Access, workspace_access
from keryx.accounts.roles import Perm
from keryx.networks.models import NetworkAccount
from tests.factories import make_member

NETWORKS = ("x", "bluesky", "mastodon", "threads", "linkedin", "facebook", "instagram")


def image_bytes(width: int, height: int, fmt: str = "JPEG", colour: str = "steelblue") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def accounts(workspace) -> dict[str, NetworkAccount]:  # type: ignore[no-untyped-def]
    return {
        network: NetworkAccount.objects.create(
            workspace=workspace,
            network=network,
            name=f"Σεμινάρια {network}",
            handle=f"seminars_{network}",
        )
        for network in NETWORKS
    }


@pytest.fixture
def editor(workspace):  # type: ignore[no-untyped-def]
    return make_member(workspace, "editor", email="sofia@example.org")


@pytest.fixture
def manager(workspace):  # type: ignore[no-untyped-def]
    return make_member(workspace, "manager", email="nikos@example.org")


@pytest.fixture
def editor_access(editor, workspace) -> Access:  # type: ignore[no-untyped-def]
    return workspace_access(editor, workspace, Perm.CONTENT_EDIT)


@pytest.fixture
def manager_access(manager, workspace) -> Access:  # type: ignore[no-untyped-def]
    return workspace_access(manager, workspace, Perm.CONTENT_APPROVE)


@pytest.fixture
def upload(editor_access) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    from keryx.content.domain.media import media_upload

    def build(width: int = 1080, height: int = 1080, *, fmt: str = "JPEG", alt: str = "Αίθουσα"):  # type: ignore[no-untyped-def]
        data = image_bytes(width, height, fmt)
        return media_upload(
            access=editor_access,
            handle=io.BytesIO(data),
            size=len(data),
            name=f"photo.{fmt.lower()}",
            alt_text=alt,
        )

    return build
