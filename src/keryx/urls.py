from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.static import serve

from keryx.api.core import api
from keryx.core import observability

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", observability.healthz, name="healthz"),
    path("readyz", observability.readyz, name="readyz"),
    path("metrics", observability.metrics, name="metrics"),
    path("api/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("keryx.notifications.urls")),
    path("", include("keryx.web.urls")),
    path("", include("keryx.seminars.urls")),
    path("", include("keryx.publishing.urls")),
    path("", include("keryx.networks.urls")),
    path("", include("keryx.content.urls")),
    path("", include("keryx.registrations.urls")),
    path("", include("keryx.links.urls")),
    path("", include("keryx.insights.urls")),
    path("", include("keryx.inbox.urls")),
    path("", include("keryx.privacy.urls")),
    path("", include("keryx.core.urls")),
    path("", include("keryx.surveys.urls")),
    path("", include("keryx.community.urls")),
    path("", include("keryx.live.urls")),
    path("", include("keryx.analytics.urls")),
]

if settings.KERYX_DJANGO_SERVES_MEDIA:
    # In production granian (or the proxy) serves uploaded media; see `keryx serve`/`keryx web`.
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
