"""Materials: slides as uploaded files (stored like the media library: a random file name in
the default storage, the uploader's name kept for display, the kind checked from the content),
links and recordings (addresses). Attendees download files through the community, never from
a public address (decision 0863)."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.community.enums import MaterialKind
from keryx.community.models import Community, Material
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed

MAX_BYTES = 100 * 1024 * 1024
# extension → (mime, how the file starts)
FILE_KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (b"PK\x03\x04",),
    ),
    "odp": ("application/vnd.oasis.opendocument.presentation", (b"PK\x03\x04",)),
    "key": ("application/vnd.apple.keynote", (b"PK\x03\x04",)),
    "zip": ("application/zip", (b"PK\x03\x04",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


def _base(title: str, description: str) -> tuple[str, str, dict[str, list[str]]]:
    title, description = title.strip(), description.strip()
    fields: dict[str, list[str]] = {}
    if not title:
        fields["title"] = [_("Give the material a title.")]
    elif len(title) > 200:
        fields["title"] = [_("The title is too long (200 characters at most).")]
    if len(description) > 2000:
        fields["description"] = [_("The description is too long (2,000 characters at most).")]
    return title, description, fields


def _next_position(community: Community) -> int:
    top = community.materials.aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


def material_add_link(
    *, access: Access, community: Community, kind: str, title: str, url: str, description: str = ""
) -> Material:
    access.require(Perm.COMMUNITY_MANAGE)
    title, description, fields = _base(title, description)
    if kind not in (MaterialKind.LINK, MaterialKind.RECORDING):
        fields["kind"] = [_("Choose a link or a recording.")]
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        fields["url"] = [_("Enter a full address starting with https://.")]
    if fields:
        raise ValidationFailed(fields=fields)
    with transaction.atomic():
        material = Material.objects.create(
            community=community,
            kind=kind,
            title=title,
            description=description,
            url=url,
            position=_next_position(community),
            added_by=access.user,
        )
        audit_record(
            action="community.material_add",
            actor=access.user,
            workspace=access.workspace,
            obj=material,
        )
    return material


def material_add_file(
    *,
    access: Access,
    community: Community,
    title: str,
    handle: IO[bytes],
    size: int,
    name: str,
    description: str = "",
) -> Material:
    access.require(Perm.COMMUNITY_MANAGE)
    title, description, fields = _base(title, description)
    display = PurePosixPath(name.replace("\\", "/")).name.strip()[:255]
    extension = display.rsplit(".", 1)[-1].lower() if "." in display else ""
    kind = FILE_KINDS.get(extension)
    head = handle.read(16)
    handle.seek(0)
    if size <= 0:
        fields["file"] = [_("Choose a file to upload.")]
    elif size > MAX_BYTES:
        fields["file"] = [_("The file is too large (100 MB at most).")]
    elif kind is None:
        fields["file"] = [_("Upload slides as PDF, PowerPoint, Keynote, OpenDocument or an image.")]
    elif not head.startswith(kind[1]):
        fields["file"] = [
            _("The file's content does not match its name (.%(ext)s).") % {"ext": extension}
        ]
    if fields or kind is None:
        raise ValidationFailed(fields=fields)
    with transaction.atomic():
        material = Material(
            community=community,
            kind=MaterialKind.SLIDES,
            title=title,
            description=description,
            file_name=display,
            mime=kind[0],
            bytes=size,
            position=_next_position(community),
            added_by=access.user,
        )
        material.file.save(f"{uuid.uuid4().hex}.{extension}", File(handle), save=False)
        material.save()
        audit_record(
            action="community.material_add",
            actor=access.user,
            workspace=access.workspace,
            obj=material,
            changes={"bytes": [None, size]},
        )
    return material


def material_delete(*, access: Access, material: Material) -> None:
    access.require(Perm.COMMUNITY_MANAGE)
    with transaction.atomic():
        audit_record(
            action="community.material_delete",
            actor=access.user,
            workspace=access.workspace,
            obj=material,
        )
        stored = material.file.name if material.file else ""
        storage = material.file.storage
        material.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))
