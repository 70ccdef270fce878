from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "keryx.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # The KPIs computable from this app and the ones it depends on; other apps register
        # theirs in their own ready().
        from keryx.analytics import builtin_kpis, rollup_tasks  # noqa: F401
