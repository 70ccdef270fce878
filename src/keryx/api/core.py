"""The REST API: django-ninja, mounted at /api/ with every endpoint under /api/v1/.

Each app keeps its endpoints in its own ``api.py`` (a ``router``); ``ROUTERS`` lists them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ninja import NinjaAPI, Router

from keryx.api.auth import BrowserSessionAuth, TokenAuth
from keryx.api.errors import install_error_handlers
from keryx.api.openapi import declare_errors
from keryx.api.parser import KeryxParser

ROUTERS = (
    "keryx.accounts.api",
    "keryx.seminars.api",
    "keryx.publishing.api",
    "keryx.networks.api",
    "keryx.content.api",
    "keryx.registrations.api",
    "keryx.api.system",
    "keryx.links.api",
    "keryx.insights.api",
    "keryx.inbox.api",
    "keryx.surveys.api",
    "keryx.analytics.api",
)

DESCRIPTION = """
The Keryx API. Authenticate with a personal token (`Authorization: Bearer kx_…`, created under
Settings → API tokens) or with the browser session (unsafe methods then need the CSRF token).

Every error has the same shape: `{"error": {"code": "...", "message": "...", "fields": {...}}}`.
Lists are paginated with `page` and `page_size` (at most 200). Times are ISO 8601; a time
without an offset is read in the seminar's time zone. Each operation names the workspace
permission it needs (`x-keryx-permission`); docs/roles.md lists which roles have it.
"""


class KeryxAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return declare_errors(super().get_openapi_schema(*args, **kwargs))


def build_api() -> NinjaAPI:
    api = KeryxAPI(
        title="Keryx API",
        version="1",
        description=DESCRIPTION,
        auth=[TokenAuth(), BrowserSessionAuth()],
        urls_namespace="api",
        openapi_url="/openapi.json",
        docs_url="/docs",
        parser=KeryxParser(),
    )
    install_error_handlers(api)
    v1 = Router()
    for path in ROUTERS:
        v1.add_router("", import_module(path).router)
    api.add_router("/v1", v1)
    return api


api = build_api()
