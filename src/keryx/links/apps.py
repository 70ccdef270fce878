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

        from keryx.core.asgi import Mount, register_mount
        from keryx.links.redirect.asgi import RedirectRouter, links_shutdown, links_startup

        # Outermost on the ASGI front: the redirect's hot path runs before anything else.
        register_mount(
            Mount(
                "links.redirect",
                wrap=RedirectRouter,
                order=10,
                startup=links_startup,
                shutdown=links_shutdown,
            )
        )
