"""Probe finding 9 (images): a 59.5-megapixel PNG of a few hundred KB is refused from its
header, before any pixel is decoded, and big images are decoded in a bounded way."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFile

from keryx.content.domain.media import media_upload
from keryx.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def _upload(access, data: bytes, name: str):  # type: ignore[no-untyped-def]
    return media_upload(access=access, handle=io.BytesIO(data), size=len(data), name=name)


def test_a_59_megapixel_png_is_refused_before_decoding(editor_access, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    Image.new("RGB", (7750, 7680), "white").save(out, "PNG", optimize=True)  # 59.5 MP
    data = out.getvalue()
    assert len(data) < 400_000

    def no_decoding(self):  # type: ignore[no-untyped-def]
        raise AssertionError("decoded pixels")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(ValidationFailed) as caught:
        _upload(editor_access, data, "huge.png")
    assert caught.value.fields["file"] == [
        "The image is 7750×7680 pixels; Keryx accepts at most 36 megapixels, so that opening it "
        "cannot exhaust memory. Make it smaller and try again."
    ]


def test_a_large_jpeg_is_decoded_at_an_eighth_of_its_size(editor_access, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    Image.new("RGB", (6000, 4000), "steelblue").save(out, "JPEG", quality=70)  # 24 MP
    decoded: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load

    def spy(self):  # type: ignore[no-untyped-def]
        decoded.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    item = _upload(editor_access, out.getvalue(), "hall.jpg")
    assert (item.width, item.height) == (6000, 4000)
    assert decoded and max(w * h for w, h in decoded) <= 750 * 500
