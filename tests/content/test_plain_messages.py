"""Issue 16, bugs 12 and 14: messages about files say what to do, in plain words."""

from __future__ import annotations

import io

import pytest
from django.utils import translation

from keryx.content.domain.probe import probe
from keryx.core.errors import ValidationFailed
from tests.content.conftest import image_bytes


@pytest.mark.parametrize("language", ["en", "el"])
def test_a_truncated_image_is_refused_without_the_decoders_words(language: str) -> None:
    data = image_bytes(800, 600)[:1500]
    with translation.override(language), pytest.raises(ValidationFailed) as caught:
        probe(io.BytesIO(data), size=len(data))
    text = " ".join([caught.value.message, *[m for ms in caught.value.fields.values() for m in ms]])
    assert "Truncated" not in text and "(" not in text
    expected = {
        "en": "The image file is damaged or incomplete. Export it again and retry.",
        "el": "Το αρχείο εικόνας είναι κατεστραμμένο ή ελλιπές. Εξαγάγετέ το ξανά και δοκιμάστε πάλι.",
    }[language]
    assert expected in text
