from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinksConfig(AppConfig):
    name = "keryx.links"
    label = "links"
    verbose_name = _("Tracked links")

    def ready(self) -> None:
        from keryx.links import signals

        signals.connect()
        signals.register_transforms()
        from keryx.links import metrics

        metrics.register()
