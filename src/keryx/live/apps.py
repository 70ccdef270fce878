from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "keryx.live"
    label = "live"
    verbose_name = _("Live seminar")

    def ready(self) -> None:
        from keryx.core.asgi import Mount, register_mount, register_sse_route
        from keryx.live.fastpath.router import VoteRouter
        from keryx.live.fastpath.writer import writer_stop
        from keryx.live.stream import resolve_room_stream
        from keryx.live.wall_signals import connect as connect_wall_signals
        from keryx.live.wall_stream import resolve_wall_stream

        register_sse_route("/j/", resolve_room_stream)
        register_sse_route("/wall/", resolve_wall_stream)
        connect_wall_signals()
        # Votes are answered in front of Django (after the link redirect); at shutdown the
        # writer stores what is pending before the process ends.
        register_mount(Mount("live.votes", wrap=VoteRouter, order=30, shutdown=writer_stop))
