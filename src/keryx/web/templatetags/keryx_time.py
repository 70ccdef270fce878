"""``{{ when|ago }}``: how long ago, in words a reader expects ("just now", "5 minutes ago")."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext

register = template.Library()


@register.filter
def ago(value: dt.datetime | None) -> str:
    """ "just now" under a minute (``timesince`` would say "0 minutes"), else "… ago"."""
    if value is None:
        return ""
    if timezone.now() - value < dt.timedelta(minutes=1):
        return gettext("just now")
    return gettext("%(time)s ago") % {"time": timesince(value)}
