from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "keryx.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from keryx.community.domain.announcements import list_label
        from keryx.core.domain.outbox import register_list_label

        register_list_label("community", list_label)
