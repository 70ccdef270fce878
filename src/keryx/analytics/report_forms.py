"""Forms of the reports page."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from keryx.analytics.report_models import Frequency, ReportFormat


class ReportForm(forms.Form):
    fmt = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)


class ScheduleForm(ReportForm):
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices)
