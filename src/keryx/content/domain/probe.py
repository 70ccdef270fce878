"""What an uploaded file really is, read from its content, never from its name.

Images are opened with Pillow (header, then a full ``verify()`` and a decode), with a pixel cap
checked *before* decoding so a decompression bomb is refused without being expanded. Videos
are recognised by their ISO base media container (``ftyp`` box: MP4 and QuickTime MOV); their
duration and frame size are read from the ``moov`` box (``mvhd`` and the video track's
``tkhd``) without ffmpeg. Every refusal names the rule it broke.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

from keryx.core.errors import ValidationFailed

# Limits of what the library accepts at all (each network then has its own, smaller ones).
MAX_IMAGE_BYTES = 30 * 1000 * 1000
MAX_VIDEO_BYTES = 1024 * 1000 * 1000
# LinkedIn's 36,152,320 pixels, the most any network takes (Mastodon 33 MP, Instagram keeps
# 1440 px wide). A bigger picture is refused from its header, unopened (decision 0747).
MAX_IMAGE_PIXELS = 36_152_320
# Pictures up to this size are decoded in full to prove they are whole; a bigger JPEG is
# decoded at 1/8 scale (the whole stream is still read), others are checked by verify().
# So a check never holds more than about 64 MB of pixels.
FULL_DECODE_PIXELS = 16_000_000

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
# ftyp major brands of MP4 (ISO 14496-12/14, 3GPP excluded) and QuickTime.
MP4_BRANDS = frozenset(
    {"isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "dash", "mmp4", "MSNV"}
)
QUICKTIME_BRANDS = frozenset({"qt  "})
EXIF_ORIENTATION = 0x0112
ROTATED = frozenset({5, 6, 7, 8})


def max_image_bytes() -> int:
    return int(getattr(settings, "KERYX_MEDIA_MAX_IMAGE_BYTES", MAX_IMAGE_BYTES))


def max_video_bytes() -> int:
    return int(getattr(settings, "KERYX_MEDIA_MAX_VIDEO_BYTES", MAX_VIDEO_BYTES))


def max_image_pixels() -> int:
    return int(getattr(settings, "KERYX_MEDIA_MAX_IMAGE_PIXELS", MAX_IMAGE_PIXELS))


@dataclass(frozen=True)
class Probed:
    """What a file is: kind, MIME type, size, frame size, duration, frame count, hash."""

    kind: str  # "image" | "gif" | "video"
    mime: str
    bytes: int
    width: int | None
    height: int | None
    duration_s: float | None
    frames: int
    sha256: str
    extension: str


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, code="media_refused", fields={"file": [message]})


def _size(n: int) -> str:
    return str(filesizeformat(n))


def probe(handle: IO[bytes], *, size: int) -> Probed:
    """Read ``handle`` (rewound first) and say what it is, or raise ``ValidationFailed``."""
    handle.seek(0)
    head = handle.read(64)
    handle.seek(0)
    if size == 0 or not head:
        raise _refuse(_("The file is empty."))
    if _is_iso_media(head):
        return _probe_video(handle, size=size, head=head)
    return _probe_image(handle, size=size)


def sha256_of(handle: IO[bytes]) -> str:
    handle.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


# --- images -----------------------------------------------------------------------------------


def _probe_image(handle: IO[bytes], *, size: int) -> Probed:
    if size > max_image_bytes():
        raise _refuse(
            _("Images may be at most %(max)s; this one is %(size)s. Make it smaller and try again.")
            % {"max": _size(max_image_bytes()), "size": _size(size)}
        )
    not_supported = _(
        "This file is not an image or video Keryx can use. Upload a JPEG, PNG, WebP or GIF "
        "image, or an MP4 or MOV video (the file's content is checked, not its name)."
    )
    # A damaged file must fail to decode. Pillow's switch is process-wide and a library may
    # turn it on when imported (WeasyPrint does, for the PDF report): turn it off again.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            # Our own pixel cap (below) is stricter than Pillow's warning threshold, and names
            # the rule; Pillow still raises DecompressionBombError at twice its threshold.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(handle) as image:
                fmt = image.format or ""
                width, height = image.size
                if width * height > max_image_pixels():
                    raise _refuse(
                        _(
                            "The image is %(width)s×%(height)s pixels; Keryx accepts at most "
                            "%(max)s megapixels, so that opening it cannot exhaust memory. "
                            "Make it smaller and try again."
                        )
                        % {
                            "width": width,
                            "height": height,
                            "max": number_format(max_image_pixels() // 1_000_000),
                        }
                    )
                image.verify()  # must come right after opening
            handle.seek(0)
            with Image.open(handle) as image:  # verify() leaves the image unusable: decode anew
                frames = int(getattr(image, "n_frames", 1) or 1)
                orientation = image.getexif().get(EXIF_ORIENTATION, 1)
                if width * height <= FULL_DECODE_PIXELS:
                    image.load()
                elif fmt == "JPEG":
                    image.draft("RGB", (width // 8, height // 8))
                    image.load()
    except ValidationFailed:
        raise
    except Image.DecompressionBombError as exc:
        raise _refuse(
            _(
                "The image has far more than %(max)s megapixels, the most Keryx accepts; it was "
                "refused unopened (a decompression bomb)."
            )
            % {"max": number_format(max_image_pixels() // 1_000_000)}
        ) from exc
    except UnidentifiedImageError as exc:
        raise _refuse(not_supported) from exc
    except (OSError, SyntaxError, ValueError, struct.error, EOFError) as exc:
        # The decoder's own words ("Truncated File Read") mean nothing to the reader.
        raise _refuse(
            _("The image file is damaged or incomplete. Export it again and retry.")
        ) from exc
    finally:
        handle.seek(0)
    if fmt not in IMAGE_FORMATS:
        raise _refuse(not_supported)
    mime = IMAGE_FORMATS[fmt]
    if orientation in ROTATED:  # shown turned by 90°: networks see it that way round
        width, height = height, width
    kind = "gif" if fmt == "GIF" and frames > 1 else "image"
    return Probed(
        kind=kind,
        mime=mime,
        bytes=size,
        width=width,
        height=height,
        duration_s=None,
        frames=frames,
        sha256=sha256_of(handle),
        extension={"JPEG": "jpg"}.get(fmt, fmt.lower()),
    )


# --- videos (ISO base media file format: MP4, MOV) --------------------------------------------


def _is_iso_media(head: bytes) -> bool:
    return len(head) >= 12 and head[4:8] == b"ftyp"


def _boxes(data: IO[bytes], start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """(type, payload start, box end) of each box between ``start`` and ``end``."""
    offset = start
    while offset + 8 <= end:
        data.seek(offset)
        header = data.read(8)
        if len(header) < 8:
            return
        box_size, box_type = struct.unpack(">I4s", header)
        payload = offset + 8
        if box_size == 1:  # 64-bit size follows
            large = data.read(8)
            if len(large) < 8:
                return
            box_size = struct.unpack(">Q", large)[0]
            payload += 8
        elif box_size == 0:  # to the end of the enclosing box
            box_size = end - offset
        if box_size < payload - offset or offset + box_size > end:
            return
        yield box_type.decode("latin-1"), payload, offset + box_size
        offset += box_size


def _find(data: IO[bytes], start: int, end: int, name: str) -> tuple[int, int] | None:
    for box_type, payload, box_end in _boxes(data, start, end):
        if box_type == name:
            return payload, box_end
    return None


def _movie_header(data: IO[bytes], start: int) -> float | None:
    """Duration in seconds from ``mvhd`` (version 0: 32-bit fields, version 1: 64-bit)."""
    data.seek(start)
    version = data.read(1)
    if not version:
        return None
    data.read(3)
    if version[0] == 1:
        raw = data.read(28)
        if len(raw) < 28:
            return None
        _created, _modified, timescale, duration = struct.unpack(">QQIQ", raw)
    else:
        raw = data.read(16)
        if len(raw) < 16:
            return None
        _created, _modified, timescale, duration = struct.unpack(">IIII", raw)
    return round(duration / timescale, 3) if timescale else None


def _track_size(data: IO[bytes], start: int, end: int) -> tuple[int, int] | None:
    """Width and height (16.16 fixed point, the last 8 bytes of ``tkhd``) if non-zero."""
    if end - start < 84:
        return None
    data.seek(end - 8)
    width, height = struct.unpack(">II", data.read(8))
    width, height = width >> 16, height >> 16
    return (width, height) if width and height else None


def _probe_video(handle: IO[bytes], *, size: int, head: bytes) -> Probed:
    brand = head[8:12].decode("latin-1")
    if brand in QUICKTIME_BRANDS:
        mime, extension = "video/quicktime", "mov"
    elif brand in MP4_BRANDS:
        mime, extension = "video/mp4", "mp4"
    else:
        raise _refuse(
            _("This video container (%(brand)s) is not supported. Upload an MP4 or MOV video.")
            % {"brand": brand.strip() or "?"}
        )
    if size > max_video_bytes():
        raise _refuse(
            _("Videos may be at most %(max)s; this one is %(size)s. Make it smaller and try again.")
            % {"max": _size(max_video_bytes()), "size": _size(size)}
        )
    moov = _find(handle, 0, size, "moov")
    if moov is None:
        raise _refuse(
            _(
                "The video has no movie header (moov box): it is damaged or incomplete. "
                "Export it again and retry."
            )
        )
    duration = None
    width = height = None
    header = _find(handle, moov[0], moov[1], "mvhd")
    if header is not None:
        duration = _movie_header(handle, header[0])
    for box_type, payload, box_end in _boxes(handle, moov[0], moov[1]):
        if box_type != "trak":
            continue
        tkhd = _find(handle, payload, box_end, "tkhd")
        found = _track_size(handle, *tkhd) if tkhd else None
        if found:
            width, height = found
            break
    handle.seek(0)
    return Probed(
        kind="video",
        mime=mime,
        bytes=size,
        width=width,
        height=height,
        duration_s=duration,
        frames=1,
        sha256=sha256_of(handle),
        extension=extension,
    )


def image_bytes(image: Image.Image, *, fmt: str, quality: int = 90) -> bytes:
    """Encode ``image`` (JPEG: progressive, optimised, no metadata)."""
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        image.save(out, fmt, optimize=True)
    return out.getvalue()
