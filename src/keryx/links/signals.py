"""Receivers: the composer's ``variant_text_saved`` and the registrations app's life-cycle
signals. Connected in ``LinksConfig.ready``; an app that is not installed (yet) is skipped."""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib import import_module
from typing import Any

logger = logging.getLogger(__name__)


def on_variant_text_saved(sender: Any, variant: Any = None, **kwargs: Any) -> None:
    from keryx.links.domain.rewriting import variant_links_rewrite

    if variant is not None:
        variant_links_rewrite(variant=variant, actor=kwargs.get("actor") or kwargs.get("user"))


def _registration(kwargs: dict[str, Any]) -> Any:
    return kwargs.get("registration") or kwargs.get("instance")


def on_registration_created(sender: Any, **kwargs: Any) -> None:
    from keryx.links.domain.conversions import conversion_record

    registration = _registration(kwargs)
    if registration is not None:
        conversion_record(registration=registration, event="created")


def on_registration_confirmed(sender: Any, **kwargs: Any) -> None:
    from keryx.links.domain.conversions import conversion_record

    registration = _registration(kwargs)
    if registration is not None:
        conversion_record(registration=registration, event="confirmed")


def on_registration_cancelled(sender: Any, **kwargs: Any) -> None:
    from keryx.links.domain.conversions import conversion_record

    registration = _registration(kwargs)
    if registration is not None:
        conversion_record(registration=registration, event="cancelled")


def on_registration_checked_in(sender: Any, **kwargs: Any) -> None:
    from keryx.links.domain.conversions import conversion_record

    registration = _registration(kwargs)
    if registration is not None:
        conversion_record(registration=registration, event="checked_in")


RECEIVERS: dict[str, dict[str, Callable[..., None]]] = {
    "keryx.content.signals": {"variant_text_saved": on_variant_text_saved},
    "keryx.registrations.signals": {
        "registration_created": on_registration_created,
        "registration_confirmed": on_registration_confirmed,
        "registration_cancelled": on_registration_cancelled,
        "registration_checked_in": on_registration_checked_in,
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
