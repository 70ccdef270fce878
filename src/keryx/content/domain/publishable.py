"""What a variant's text will look like when it is published, before it is saved.

A variant stores what its author wrote (``source_text`` …) and what goes to the network
(``text`` …). Between the two, other apps may change the text when the variant is saved: the
links app makes every plain link the variant's tracked link. The counters and checks must
count what will be published, so such an app also registers a *text transform* here that
predicts its change on text that is not saved yet. The content app never imports the apps
that register (docs/decisions/0309-variant-source-text.md).

A transform takes the text and a :class:`Publishing` context and returns the text as it will
be published. It must be idempotent (the published text of a saved variant comes out
unchanged), fast (it runs on every keystroke of the live check) and must not write anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Publishing:
    """Where the text goes: the network, and the saved variant if there is one (whose
    existing tracked links, for example, are known)."""

    network: str
    variant_id: int | None = None


TextTransform = Callable[[str, Publishing], str]

_transforms: list[TextTransform] = []


def register_text_transform(transform: TextTransform) -> None:
    """Add ``transform`` (once: registering it again changes nothing)."""
    if transform not in _transforms:
        _transforms.append(transform)


def unregister_text_transform(transform: TextTransform) -> None:
    if transform in _transforms:
        _transforms.remove(transform)


def text_transforms() -> tuple[TextTransform, ...]:
    return tuple(_transforms)


def publishable_text(text: str, *, network: str, variant_id: int | None = None) -> str:
    """``text`` as it will be published for ``network`` (by the saved variant
    ``variant_id``, if given): every registered transform applied in turn."""
    context = Publishing(network=network, variant_id=variant_id)
    for transform in _transforms:
        text = transform(text, context)
    return text
