from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    """The social networks: their rules (text and media limits) and, later, their connectors."""

    name = "keryx.networks"
    label = "networks"
    verbose_name = _("Social networks")
