"""Helpers any connector may use (so no network imports another's package): one TLS
transport per process, content-fingerprint matching, the developer-app check, and the rule
that a step after a successful publish never raises."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

import httpx
from django.utils.translation import gettext as _

from keryx.core.http import OutboundError, Rejected
from keryx.networks.base import OAuthApp, content_fingerprint

logger = logging.getLogger(__name__)


@cache
def _tls_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


def tls_transport() -> httpx.HTTPTransport:
    """A transport with the one TLS context of the process: loading the CA bundle costs about
    half a second, so each new client must not load it again."""
    return httpx.HTTPTransport(verify=_tls_context())


T = TypeVar("T")


def fingerprint_matches(text: str, fingerprint: str) -> bool:
    """Whether a post read back from the network is the one with this content fingerprint
    (:func:`keryx.networks.base.content_fingerprint`, which ignores links, case and spacing:
    the links a connector appends to the text do not change it; docs/decisions/0551)."""
    return bool(fingerprint) and content_fingerprint(text) == fingerprint


def require_app(app: OAuthApp | None, *, network: str, settings_names: str) -> OAuthApp:
    if app is None or not (app.client_id and app.client_secret):
        raise Rejected(
            _(
                "%(network)s is not set up on this Keryx: the administrator must set "
                "%(settings)s (see docs/networks/%(key)s.md)."
            )
            % {"network": network, "settings": settings_names, "key": network.lower()}
        )
    return app


def after_publish(extra: dict[str, Any], key: str, step: Callable[[], T]) -> T | None:
    """Run a step that follows a successful publish (read the permalink, add the first comment).

    The post exists by now, so nothing here may raise: an error is noted in ``extra`` and the
    publish still counts as done. Raising would make the pipeline publish the post again.
    """
    try:
        return step()
    except OutboundError as exc:
        logger.warning("after publishing, %s failed: %s %s", key, exc.code, exc.detail)
        extra[f"{key}_error"] = {"code": exc.code, "message": exc.message}
        return None
