"""The media library: uploads checked by content, decompression bombs refused, video metadata
read from the container, one-click fixes that keep the original."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from keryx.content.domain.media import media_delete, media_upload
from keryx.content.domain.mediafix import fix_image, media_fix_for_network, variant_media_fix
from keryx.content.domain.posts import MediaChoice, PostInput, post_create
from keryx.content.models import MediaItem
from keryx.core.errors import Conflict, ValidationFailed
from tests.content.conftest import image_bytes

pytestmark = pytest.mark.django_db


def _upload(access, data: bytes, name: str = "file.jpg"):  # type: ignore[no-untyped-def]
    return media_upload(access=access, handle=io.BytesIO(data), size=len(data), name=name)


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4(
    *, brand: bytes = b"isom", seconds: float = 12.5, width: int = 1080, height: int = 1920
) -> bytes:
    """A minimal ISO media file: ftyp, moov (mvhd with a 1000 Hz timescale, one trak with its
    tkhd frame size), mdat."""
    ftyp = _box(b"ftyp", brand + struct.pack(">I", 512) + b"isomiso2mp41")
    mvhd = _box(
        b"mvhd", b"\0\0\0\0" + struct.pack(">IIII", 0, 0, 1000, int(seconds * 1000)) + b"\0" * 80
    )
    tkhd = _box(
        b"tkhd",
        b"\0\0\0\x03"
        + struct.pack(">IIIII", 0, 0, 1, 0, int(seconds * 1000))
        + b"\0" * 52
        + struct.pack(">II", width << 16, height << 16),
    )
    trak = _box(b"trak", tkhd)
    moov = _box(b"moov", mvhd + trak)
    return ftyp + moov + _box(b"mdat", b"\0" * 64)


def test_upload_reads_kind_type_and_size_from_the_content(editor_access) -> None:  # type: ignore[no-untyped-def]
    item = _upload(editor_access, image_bytes(1200, 800, "PNG"), name="looks-like.jpg")
    assert (item.kind, item.mime, item.width, item.height) == ("image", "image/png", 1200, 800)
    assert item.name == "looks-like.jpg"
    assert item.file.name.endswith(".png")
    assert "looks-like" not in item.file.name


def test_upload_refuses_a_text_file_named_like_an_image(editor_access) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        _upload(editor_access, b"<html>not an image</html>" * 10, name="photo.jpg")
    assert caught.value.fields["file"] == [
        "This file is not an image or video Keryx can use. Upload a JPEG, PNG, WebP or GIF image, "
        "or an MP4 or MOV video (the file's content is checked, not its name)."
    ]
    assert MediaItem.objects.count() == 0


def test_upload_refuses_a_truncated_image(editor_access) -> None:  # type: ignore[no-untyped-def]
    data = image_bytes(800, 600)
    with pytest.raises(ValidationFailed) as caught:
        _upload(editor_access, data[: len(data) // 2])
    assert caught.value.fields["file"][0].startswith("The image file is damaged or incomplete")


def test_a_truncated_image_is_refused_even_after_a_library_relaxed_pillow(editor_access) -> None:  # type: ignore[no-untyped-def]
    """WeasyPrint (the PDF report) turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES when
    imported; an upload in the same process must still refuse a damaged image."""
    from PIL import ImageFile

    data = image_bytes(800, 600)
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        with pytest.raises(ValidationFailed) as caught:
            _upload(editor_access, data[: len(data) // 2])
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    assert caught.value.fields["file"][0].startswith("The image file is damaged or incomplete")


def test_upload_refuses_a_huge_bomb_that_pillow_will_not_open(editor_access) -> None:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG", optimize=True)
    with pytest.raises(ValidationFailed) as caught:
        _upload(editor_access, out.getvalue(), name="bomb.png")
    assert caught.value.fields["file"] == [
        "The image has far more than 36 megapixels, the most Keryx accepts; it was refused "
        "unopened (a decompression bomb)."
    ]


def test_upload_refuses_a_decompression_bomb_before_decoding_it(editor_access, settings) -> None:  # type: ignore[no-untyped-def]
    # A 1-bit PNG of 12,000 × 12,000 pixels is a few kilobytes on disk and 144 megapixels open.
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG", optimize=True)
    data = out.getvalue()
    assert len(data) < 100_000
    with pytest.raises(ValidationFailed) as caught:
        _upload(editor_access, data, name="bomb.png")
    assert caught.value.fields["file"] == [
        "The image is 12000×12000 pixels; Keryx accepts at most 36 megapixels, so that opening it "
        "cannot exhaust memory. Make it smaller and try again."
    ]


def test_upload_refuses_an_image_over_the_byte_limit(editor_access, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_MEDIA_MAX_IMAGE_BYTES = 1000
    with pytest.raises(ValidationFailed) as caught:
        _upload(editor_access, image_bytes(400, 400, "PNG", colour="white") + b"\0" * 2000)
    assert caught.value.fields["file"] == [
        "Images may be at most 1000\xa0bytes; this one is 3.3\xa0KB. Make it smaller and try again."
    ]


def test_upload_reads_mp4_duration_and_frame_size_without_ffmpeg(editor_access) -> None:  # type: ignore[no-untyped-def]
    item = _upload(editor_access, mp4(seconds=12.5, width=1080, height=1920), name="clip.bin")
    assert (item.kind, item.mime, item.duration_s, item.width, item.height) == (
        "video",
        "video/mp4",
        12.5,
        1080,
        1920,
    )


def test_upload_recognises_quicktime(editor_access) -> None:  # type: ignore[no-untyped-def]
    item = _upload(editor_access, mp4(brand=b"qt  ", seconds=3), name="clip.mov")
    assert (item.mime, item.duration_s) == ("video/quicktime", 3.0)


def test_upload_refuses_a_video_without_movie_header(editor_access) -> None:  # type: ignore[no-untyped-def]
    data = _box(b"ftyp", b"isom\0\0\0\0") + _box(b"mdat", b"\0" * 32)
    with pytest.raises(ValidationFailed) as caught:
        _upload(editor_access, data, name="broken.mp4")
    assert "no movie header" in caught.value.fields["file"][0]


def test_fix_crops_a_wide_image_for_instagram_around_the_focal_point(editor_access) -> None:  # type: ignore[no-untyped-def]
    image = Image.new("RGB", (1600, 600), "white")
    image.paste((200, 0, 0), (1400, 0, 1600, 600))  # red band on the right
    out = io.BytesIO()
    image.save(out, "PNG")
    item = _upload(editor_access, out.getvalue(), name="wide.png")
    item.focal_x = 0.95
    item.save()
    fixed = fix_image(item=item, network="instagram", alt_text="Πανό")
    assert (fixed.mime, fixed.width, fixed.height) == ("image/jpeg", 1146, 600)
    with Image.open(io.BytesIO(fixed.content)) as result:
        assert result.format == "JPEG"
        assert result.getpixel((1140, 300))[0] > 180  # the red band stayed in the crop
        assert result.getpixel((10, 300)) == (255, 255, 255) or result.getpixel((10, 300))[1] > 240


def test_fix_recompresses_under_bluesky_byte_limit(editor_access) -> None:  # type: ignore[no-untyped-def]
    noise = Image.effect_noise((2000, 2000), 90).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=98)
    assert out.tell() > 1_000_000
    item = _upload(editor_access, out.getvalue(), name="noise.jpg")
    fixed = fix_image(item=item, network="bluesky", alt_text="Θόρυβος")
    assert len(fixed.content) <= 1_000_000
    assert fixed.mime == "image/jpeg"


def test_fix_for_network_keeps_the_original(editor_access) -> None:  # type: ignore[no-untyped-def]
    item = _upload(editor_access, image_bytes(1600, 600), name="banner.jpg")
    original_file = item.file.name
    derived = media_fix_for_network(access=editor_access, item=item, network="instagram")
    item.refresh_from_db()
    assert (item.width, item.height, item.file.name) == (1600, 600, original_file)
    assert (derived.original, derived.width, derived.height) == (item, 1146, 600)
    assert derived.fix == "Instagram: cropped to 1.91:1"


def test_fix_refuses_a_file_the_network_accepts(editor_access) -> None:  # type: ignore[no-untyped-def]
    item = _upload(editor_access, image_bytes(1080, 1080))
    with pytest.raises(ValidationFailed) as caught:
        fix_image(item=item, network="instagram", alt_text="x")
    assert caught.value.message == "Instagram accepts this file as it is: there is nothing to fix."


def test_variant_fix_replaces_the_file_in_that_variant_only(
    editor_access, seminar, accounts
) -> None:  # type: ignore[no-untyped-def]
    item = _upload(editor_access, image_bytes(1600, 600), name="banner.jpg")
    post = post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(
            fields={"master_text": "Πανό"},
            account_ids=[accounts["instagram"].pk, accounts["x"].pk],
            media=[MediaChoice(media_id=item.pk, alt_text="Το πανό")],
        ),
    )
    instagram = post.variants.get(network="instagram")
    derived = variant_media_fix(access=editor_access, variant=instagram, item=item)
    assert list(instagram.media_links.values_list("media_id", "alt_text")) == [
        (derived.pk, "Το πανό")
    ]
    assert list(post.variants.get(network="x").media_links.values_list("media_id", flat=True)) == [
        item.pk
    ]
    assert list(post.media_links.values_list("media_id", flat=True)) == [item.pk]


def test_media_in_use_cannot_be_deleted(editor_access, seminar, accounts) -> None:  # type: ignore[no-untyped-def]
    item = _upload(editor_access, image_bytes(800, 800))
    post_create(
        access=editor_access,
        seminar=seminar,
        data=PostInput(
            fields={"master_text": "Α"},
            account_ids=[accounts["x"].pk],
            media=[MediaChoice(media_id=item.pk)],
        ),
    )
    with pytest.raises(Conflict):
        media_delete(access=editor_access, item=item)
