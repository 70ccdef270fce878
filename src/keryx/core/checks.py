"""Keryx's own deployment checks, run by ``keryx check`` with Django's (``--deploy``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def keryx_deploy_checks(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    scaled = not settings.KERYX_EMBEDDED
    if scaled and settings.KERYX_SECRET_FROM_FILE:
        problems.append(
            Error(
                "KERYX_SECRET_KEY is not set: this machine generated its own secret key.",
                hint="In the scaled shape every web and worker process must share one: set KERYX_SECRET_KEY.",
                id="keryx.E001",
            )
        )
    if scaled and settings.KERYX_ENCRYPTION_KEYS_FROM_FILE:
        problems.append(
            Error(
                "KERYX_ENCRYPTION_KEYS is not set: this machine generated its own encryption key.",
                hint="Every process must share the keys that encrypt network tokens: set KERYX_ENCRYPTION_KEYS.",
                id="keryx.E002",
            )
        )
    try:
        from keryx.core.crypto import fernet

        fernet()
    except ImproperlyConfigured as exc:
        problems.append(Error(str(exc), id="keryx.E003"))
    if scaled and not settings.REDIS_URL:
        problems.append(
            Error(
                "DATABASE_URL points at a server but REDIS_URL is not set.",
                hint="The scaled shape queues tasks and fans out live updates through Redis: set REDIS_URL.",
                id="keryx.E004",
            )
        )
    base = urlsplit(settings.KERYX_BASE_URL)
    host = base.hostname or ""
    if host and "*" not in settings.ALLOWED_HOSTS and host not in settings.ALLOWED_HOSTS:
        problems.append(
            Error(
                f"The host of KERYX_BASE_URL ({host}) is not in ALLOWED_HOSTS.",
                hint="Add it to ALLOWED_HOSTS, or requests to it are refused.",
                id="keryx.E005",
            )
        )
    if base.scheme != "https" and host not in {"127.0.0.1", "localhost", "::1"}:
        problems.append(
            Warning(
                "KERYX_BASE_URL does not use HTTPS.",
                hint="Serve Keryx over HTTPS behind a proxy and set KERYX_BASE_URL=https://…; "
                "secure cookies and HSTS follow from it.",
                id="keryx.W001",
            )
        )
    if getattr(settings, "KERYX_ALLOW_PRIVATE_URLS", False):
        problems.append(
            Warning(
                "KERYX_ALLOW_PRIVATE_URLS is on: webhooks, Mastodon instances and other "
                "addresses people type may reach this machine's and this network's private "
                "services.",
                hint="Unset KERYX_ALLOW_PRIVATE_URLS in production (it is meant for "
                "development and tests).",
                id="keryx.W003",
            )
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        problems.append(
            Warning(
                "E-mail is printed to the console, not sent.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587.",
                id="keryx.W002",
            )
        )
    return problems
