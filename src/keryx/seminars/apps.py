from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeminarsConfig(AppConfig):
    name = "keryx.seminars"
    label = "seminars"
    verbose_name = _("Seminars")
