"""Receivers: the composer's ``variant_text_saved`` and the registrations app's life-cycle
signals, and the composer's text transform (the tracked links a text will get). Connected in
``LinksConfig.ready``; an app that is not installed (yet) is skipped."""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib import import_module
from typing import Any

logger = logging.getLogger(__name__)


def on_variant_text_saved(sender: Any, variant: Any = None, **kwargs: Any) -> None:
    """Inside the content app's transaction: a failure here rolls the save back with it."""
    from keryx.links.domain.rewriting import variant_links_rewrite

    if variant is not None:
        variant_links_rewrite(variant=variant)


def _forward(event: str) -> Callable[..., None]:
    def receive(sender: Any, registration: Any = None, **kwargs: Any) -> None:
        # Sent after the registration's transaction committed: never raise into it.
        if registration is None:
            return
        try:
            from keryx.links.domain.ga4 import ga4_forward

            ga4_forward(registration=registration, event=event)
        except Exception:
            logger.exception("links: could not queue the GA4 %s event", event)

    receive.__name__ = f"on_registration_{event}"
    return receive


RECEIVERS: dict[str, dict[str, Callable[..., None]]] = {
    "keryx.content.signals": {"variant_text_saved": on_variant_text_saved},
    "keryx.registrations.signals": {
        "registration_created": _forward("created"),
        "registration_confirmed": _forward("confirmed"),
        "registration_cancelled": _forward("cancelled"),
        "registration_checked_in": _forward("checked_in"),
    },
}


def connect() -> None:
    for module_name, receivers in RECEIVERS.items():
        try:
            module = import_module(module_name)
        except ModuleNotFoundError:
            logger.debug("links: %s is not installed; its signals are not listened to", module_name)
            continue
        for signal_name, receiver in receivers.items():
            signal = getattr(module, signal_name, None)
            if signal is None:
                logger.warning("links: %s.%s does not exist", module_name, signal_name)
                continue
            signal.connect(receiver, dispatch_uid=f"keryx.links.{signal_name}")


def predict_tracked_links(text: str, publishing: Any) -> str:
    """The composer's text transform: ``text`` with the tracked links it will be published
    with (see :func:`keryx.links.domain.rewriting.predicted_text`)."""
    from keryx.links.domain.rewriting import predicted_text

    return predicted_text(text, publishing)


def register_transforms() -> None:
    try:
        publishable = import_module("keryx.content.domain.publishable")
    except ModuleNotFoundError:
        logger.debug("links: the composer is not installed; no text transform to register")
        return
    publishable.register_text_transform(predict_tracked_links)
