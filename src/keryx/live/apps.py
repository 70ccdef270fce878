from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "keryx.live"
    label = "live"
    verbose_name = _("Live seminar")

    def ready(self) -> None:
        from keryx.core.asgi import register_sse_route
        from keryx.live.stream import resolve_room_stream

        register_sse_route("/j/", resolve_room_stream)
