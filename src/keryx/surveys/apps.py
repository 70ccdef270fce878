from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "keryx.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from keryx.core.domain.outbox import register_list_label
        from keryx.surveys.domain.invitations import list_label

        register_list_label("survey", list_label)
