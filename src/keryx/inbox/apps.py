from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "keryx.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        from keryx.core.asgi import register_sse_route
        from keryx.inbox import kpis, signals  # noqa: F401  (registers KPIs and receivers)
        from keryx.inbox.domain.kpis import first_reply_minutes_for
        from keryx.inbox.stream import resolve_inbox_stream
        from keryx.insights.domain.crisis_mode import register_first_reply_source

        register_first_reply_source(first_reply_minutes_for)

        register_sse_route("/inbox-events/", resolve_inbox_stream)
