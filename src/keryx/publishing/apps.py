from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "keryx.publishing"
    label = "publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        from keryx.publishing import signals  # noqa: F401 - connects the receivers
        from keryx.publishing.metrics import register as register_metrics

        register_metrics()
