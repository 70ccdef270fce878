from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "keryx.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from keryx.core import checks, outbox_personal_data, search  # noqa: F401
        from keryx.core.personal_data import autodiscover

        autodiscover()

        from keryx.core.asgi import register_core_mounts

        register_core_mounts()
