"""Personal data of the links app: clicks.

A click row holds IP-derived data: the address with its last octet (IPv4) or 80 bits (IPv6)
zeroed, a daily-salted hash of IP + user agent, the user agent of bots, the referring site. None
of it can be tied to a person by an e-mail address (there is no cookie and yesterday's salt is
gone), so an erasure request finds no clicks; retention blanks these fields after 13 months and
keeps the row, so every count of clicks survives.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from keryx.core.personal_data import PersonalDataKind, register, set_fields
from keryx.links.models import Click


def _expired(now: datetime, days: int) -> QuerySet[Click]:
    return Click.objects.filter(at__lt=now - timedelta(days=days)).filter(
        Q(ip__isnull=False) | ~Q(visitor="") | ~Q(user_agent="") | ~Q(referrer="")
    )


register(
    PersonalDataKind(
        key="links.click",
        model=Click,
        label=_("Clicks on tracked links"),
        fields=("ip", "visitor", "user_agent", "referrer"),
        find=lambda subject: Click.objects.none(),
        erase=set_fields(ip=None, visitor="", user_agent="", referrer=""),
        workspace_field="link__workspace",
        retention_days=395,
        retention_anchor=_expired,
        notes=_(
            "Cannot be tied to a person. After 13 months the anonymised address, the visitor "
            "hash, the user agent and the referrer are blanked; the click is still counted."
        ),
    )
)
