"""The media library: uploading (checked by content), describing, deleting."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import IO, Any

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.domain.probe import probe
from keryx.content.models import MediaItem
from keryx.core.domain.audit import audit_record, changes_between, snapshot
from keryx.core.domain.validation import ErrorCollector
from keryx.core.errors import Conflict
from keryx.seminars.models import Seminar

MEDIA_FIELDS = ("name", "alt_text", "focal_x", "focal_y", "seminar")


def _display_name(name: str, extension: str) -> str:
    base = PurePosixPath(name.replace("\\", "/")).name.strip() or f"upload.{extension}"
    return base[:255]


def stored_name(extension: str) -> str:
    """Stored files get a random name; the uploader's file name is kept only for display."""
    return f"{uuid.uuid4().hex}.{extension}"


@transaction.atomic
def media_upload(
    *,
    access: Access,
    handle: IO[bytes],
    size: int,
    name: str,
    alt_text: str = "",
    seminar: Seminar | None = None,
    focal_x: float = 0.5,
    focal_y: float = 0.5,
) -> MediaItem:
    """Check the file by its content and add it to the workspace's library."""
    access.require(Perm.CONTENT_EDIT)
    found = probe(handle, size=size)
    item = MediaItem(
        workspace=access.workspace,
        seminar=seminar
        if seminar is not None and seminar.workspace_id == access.workspace.pk
        else None,
        name=_display_name(name, found.extension),
        kind=found.kind,
        mime=found.mime,
        width=found.width,
        height=found.height,
        bytes=found.bytes,
        duration_s=found.duration_s,
        frames=found.frames,
        sha256=found.sha256,
        alt_text=alt_text.strip(),
        focal_x=focal_x,
        focal_y=focal_y,
        uploaded_by=access.user,
    )
    errors = ErrorCollector()
    errors.check(item, exclude=["workspace", "file", "uploaded_by", "original", "seminar"])
    errors.raise_if_any()
    handle.seek(0)
    item.file.save(stored_name(found.extension), File(handle), save=False)
    item.save()
    audit_record(
        action="media.upload",
        actor=access.user,
        workspace=access.workspace,
        obj=item,
        changes={"name": [None, item.name], "mime": [None, item.mime], "bytes": [None, item.bytes]},
    )
    return item


def media_save_derived(
    *,
    access: Access,
    original: MediaItem,
    content: bytes,
    fix: str,
    mime: str,
    extension: str,
    width: int,
    height: int,
) -> MediaItem:
    """A new library item made from ``original`` by a fix; the original stays as it was."""
    import hashlib

    stem = PurePosixPath(original.name).stem
    item = MediaItem(
        workspace=original.workspace,
        seminar=original.seminar,
        name=f"{stem} ({fix}).{extension}"[:255],
        kind="image",
        mime=mime,
        width=width,
        height=height,
        bytes=len(content),
        frames=1,
        sha256=hashlib.sha256(content).hexdigest(),
        alt_text=original.alt_text,
        focal_x=original.focal_x,
        focal_y=original.focal_y,
        original=original,
        fix=fix[:200],
        uploaded_by=access.user,
    )
    item.file.save(stored_name(extension), ContentFile(content), save=False)
    item.save()
    return item


@transaction.atomic
def media_update(*, access: Access, item: MediaItem, fields: Mapping[str, Any]) -> MediaItem:
    access.require(Perm.CONTENT_EDIT)
    before = snapshot(item, MEDIA_FIELDS)
    for key, value in fields.items():
        if key not in MEDIA_FIELDS:
            continue
        if key == "seminar" and value is not None and value.workspace_id != access.workspace.pk:
            continue
        setattr(item, key, value.strip() if isinstance(value, str) else value)
    errors = ErrorCollector()
    errors.check(item, exclude=["workspace", "file", "uploaded_by", "original", "seminar"])
    errors.raise_if_any()
    changes = changes_between(before, snapshot(item, MEDIA_FIELDS))
    if changes:
        item.save(update_fields=list(changes))
        audit_record(
            action="media.update",
            actor=access.user,
            workspace=access.workspace,
            obj=item,
            changes=changes,
        )
    return item


@transaction.atomic
def media_delete(*, access: Access, item: MediaItem) -> None:
    """Delete an item no post uses; the file goes once the transaction commits."""
    access.require(Perm.CONTENT_EDIT)
    used = item.post_links.exists() or item.variant_links.exists()
    if used:
        raise Conflict(
            _("This file is used by a post. Remove it from the post first, then delete it.")
        )
    audit_record(action="media.delete", actor=access.user, workspace=access.workspace, obj=item)
    file = item.file
    MediaItem.objects.filter(Q(original=item)).update(original=None)
    item.delete()
    transaction.on_commit(lambda: file.delete(save=False))
