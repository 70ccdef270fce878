"""One-click fixes for media a network would refuse: crop to the nearest allowed aspect ratio
around the focal point, resize into the allowed widths, convert to a format the network
takes, recompress under its byte limit. A fix always makes a new library item and keeps the
original untouched.

What to do comes from the network's own problems (``Problem.params`` of
:func:`keryx.networks.rules.check_media`: ``nearest_ratio_value``, ``target_width``,
``max_bytes`` ...); after each pass the result is checked again with the same rules, so a fix
is done only when the network would accept the file.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.content.domain.checks import media_info
from keryx.content.domain.media import media_save_derived
from keryx.content.domain.posts import variant_replace_media
from keryx.content.models import MediaItem, Variant
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.networks.rules import MediaInfo, Problem, check_media, get_rules

CROP = frozenset({"media.image_too_tall", "media.image_too_wide"})
RESIZE = frozenset(
    {"media.image_too_narrow", "media.image_too_wide_pixels", "media.image_too_many_pixels"}
)
RECOMPRESS = frozenset({"media.image_too_large"})
CONVERT = frozenset({"media.image_type_unsupported"})
FIXABLE = CROP | RESIZE | RECOMPRESS | CONVERT
MAX_PASSES = 4


def fixable(problems: Sequence[Problem], index: int | None = None) -> list[Problem]:
    """The problems a fix can remove (of attachment ``index`` when given)."""
    where = f"media[{index}]" if index is not None else None
    return [p for p in problems if p.code in FIXABLE and (where is None or p.field == where)]


@dataclass
class Working:
    image: Image.Image
    fmt: str  # Pillow format name of the output
    quality: int = 90
    steps: list[str] = field(default_factory=list)


def _num(value: object, default: float = 0.0) -> float:
    return float(value) if isinstance(value, int | float) else default


def _crop(work: Working, ratio: float, focal: tuple[float, float], label: str) -> None:
    image = work.image
    width, height = image.size
    # Rounding down keeps the result inside the allowed range (the nearest bound is the
    # widest ratio for a too-wide image, the tallest for a too-tall one).
    if width / height > ratio:  # too wide: keep the height
        new_w, new_h = max(int(height * ratio), 1), height
    else:  # too tall: keep the width
        new_w, new_h = width, max(int(width / ratio), 1)
    cx, cy = focal[0] * width, focal[1] * height
    left = int(min(max(cx - new_w / 2, 0), width - new_w))
    top = int(min(max(cy - new_h / 2, 0), height - new_h))
    work.image = image.crop((left, top, left + new_w, top + new_h))
    work.steps.append(_("cropped to %(ratio)s") % {"ratio": label})


def _resize(work: Working, target_width: int, target_height: int | None = None) -> None:
    width, height = work.image.size
    if target_height is None:
        target_height = max(round(height * target_width / width), 1)
    work.image = work.image.resize((max(target_width, 1), target_height), Image.Resampling.LANCZOS)
    work.steps.append(_("resized to %(w)s×%(h)s") % {"w": target_width, "h": target_height})


def _encode(work: Working) -> bytes:
    out = io.BytesIO()
    image = work.image
    if work.fmt == "JPEG":
        if image.mode in {"RGBA", "LA", "P"}:
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        image.convert("RGB").save(
            out, "JPEG", quality=work.quality, optimize=True, progressive=True
        )
    elif work.fmt == "WEBP":
        image.save(out, "WEBP", quality=work.quality)
    else:
        image.save(out, work.fmt, optimize=True)
    return out.getvalue()


MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def _fit_bytes(work: Working, max_bytes: int, allowed: frozenset[str]) -> bytes:
    """Lower the quality (and at last the size) until the file is under ``max_bytes``."""
    if work.fmt not in {"JPEG", "WEBP"} and "image/jpeg" in allowed:
        work.fmt = "JPEG"
        work.steps.append(_("converted to JPEG"))
    data = _encode(work)
    low, high = 40, work.quality
    best: bytes | None = None
    while len(data) > max_bytes and low <= high and work.fmt in {"JPEG", "WEBP"}:
        work.quality = (low + high) // 2
        data = _encode(work)
        if len(data) <= max_bytes:
            best = data
            low = work.quality + 1
        else:
            high = work.quality - 1
    if best is not None:
        data = best
    while len(data) > max_bytes and min(work.image.size) > 64:
        width, height = work.image.size
        work.image = work.image.resize(
            (int(width * 0.85), int(height * 0.85)), Image.Resampling.LANCZOS
        )
        data = _encode(work)
    work.steps.append(_("compressed to %(kb)s kB") % {"kb": len(data) // 1000})
    return data


def _apply(
    work: Working, problems: Sequence[Problem], focal: tuple[float, float], network: str
) -> bytes:
    allowed = get_rules(network).media.image_types
    by_code = {p.code: p for p in problems}
    for code in CONVERT & by_code.keys():
        work.fmt = "JPEG" if "image/jpeg" in allowed else "PNG"
        work.steps.append(_("converted to %(fmt)s") % {"fmt": work.fmt})
        del code
    for code in sorted(CROP & by_code.keys()):
        params = by_code[code].params
        _crop(
            work,
            _num(params.get("nearest_ratio_value"), 1.0),
            focal,
            str(params.get("nearest_ratio", "")),
        )
    for code in sorted(RESIZE & by_code.keys()):
        params = by_code[code].params
        target = int(_num(params.get("target_width"), work.image.size[0]))
        width, height = work.image.size
        if code == "media.image_too_many_pixels":
            _resize(work, target, int(_num(params.get("target_height"), height)))
        elif (code == "media.image_too_narrow" and width < target) or (
            code != "media.image_too_narrow" and width > target
        ):
            _resize(work, target)
    if "media.image_too_large" in by_code:
        return _fit_bytes(
            work, int(_num(by_code["media.image_too_large"].params.get("max_bytes"))), allowed
        )
    return _encode(work)


def _info(data: bytes, work: Working, alt_text: str) -> MediaInfo:
    width, height = work.image.size
    return MediaInfo(
        kind="image",
        mime=MIME[work.fmt],
        width=width,
        height=height,
        bytes=len(data),
        alt_text=alt_text or "-",
    )


@dataclass(frozen=True)
class Fixed:
    content: bytes
    mime: str
    extension: str
    width: int
    height: int
    description: str


def fix_image(*, item: MediaItem, network: str, alt_text: str = "") -> Fixed:
    """Make a version of ``item`` that ``network`` accepts (nothing is saved)."""
    if item.kind != "image":
        raise ValidationFailed(
            _("Only still images can be fixed automatically; edit videos and GIFs yourself."),
            fields={"media": [_("Only still images can be fixed automatically.")]},
        )
    problems = fixable(check_media(network, [media_info(item, alt_text or "-")]))
    if not problems:
        raise ValidationFailed(
            _("%(network)s accepts this file as it is: there is nothing to fix.")
            % {"network": get_rules(network).name},
            fields={"media": [_("Nothing to fix.")]},
        )
    with item.file.open("rb") as handle, Image.open(handle) as opened:
        image = ImageOps.exif_transpose(opened)
        image.load()
    fmt = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}.get(item.mime, "PNG")
    work = Working(image=image, fmt=fmt)
    focal = (item.focal_x, item.focal_y)
    data = b""
    for _pass in range(MAX_PASSES):
        data = _apply(work, problems, focal, network)
        problems = fixable(check_media(network, [_info(data, work, alt_text)]))
        if not problems:
            break
    else:
        raise ValidationFailed(
            _("This image could not be fixed for %(network)s automatically; edit it yourself.")
            % {"network": get_rules(network).name},
            fields={"media": [p.message for p in problems]},
        )
    width, height = work.image.size
    return Fixed(
        content=data,
        mime=MIME[work.fmt],
        extension=EXTENSION[work.fmt],
        width=width,
        height=height,
        description=f"{get_rules(network).name}: " + ", ".join(dict.fromkeys(work.steps)),
    )


@transaction.atomic
def media_fix_for_network(*, access: Access, item: MediaItem, network: str) -> MediaItem:
    """A new library item that ``network`` accepts, made from ``item`` (kept as it was)."""
    access.require(Perm.CONTENT_EDIT)
    fixed = fix_image(item=item, network=network, alt_text=item.alt_text)
    derived = media_save_derived(
        access=access,
        original=item,
        content=fixed.content,
        fix=fixed.description,
        mime=fixed.mime,
        extension=fixed.extension,
        width=fixed.width,
        height=fixed.height,
    )
    audit_record(
        action="media.fix",
        actor=access.user,
        workspace=access.workspace,
        obj=derived,
        changes={"original": [None, item.pk], "fix": [None, fixed.description]},
    )
    return derived


@transaction.atomic
def variant_media_fix(*, access: Access, variant: Variant, item: MediaItem) -> MediaItem:
    """Fix ``item`` for this variant's network and use the fixed copy in this variant only."""
    access.require(Perm.CONTENT_EDIT)
    link = variant.media_links.filter(media=item).first()
    if link is None:
        raise ValidationFailed(fields={"media": [_("This file is not attached to the variant.")]})
    fixed = fix_image(item=item, network=variant.network, alt_text=link.alt_text)
    derived = media_save_derived(
        access=access,
        original=item,
        content=fixed.content,
        fix=fixed.description,
        mime=fixed.mime,
        extension=fixed.extension,
        width=fixed.width,
        height=fixed.height,
    )
    audit_record(
        action="media.fix",
        actor=access.user,
        workspace=access.workspace,
        obj=derived,
        changes={
            "original": [None, item.pk],
            "fix": [None, fixed.description],
            "variant": [None, variant.pk],
        },
    )
    variant_replace_media(access=access, variant=variant, old=item, new=derived)
    return derived
