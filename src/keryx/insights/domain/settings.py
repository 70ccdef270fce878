"""A workspace's listening settings: the webhook crisis alerts also go to."""

from __future__ import annotations

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.core.http import OutboundError, check_public_url
from keryx.insights.models import ListeningSettings


def listening_settings_of(access: Access) -> ListeningSettings:
    return ListeningSettings.objects.filter(
        workspace=access.workspace
    ).first() or ListeningSettings(workspace=access.workspace)


def listening_settings_save(
    *, access: Access, webhook_url: str, alert_spikes: bool
) -> ListeningSettings:
    """Save the webhook address (https, public) and whether spikes are announced too."""
    access.require(Perm.WORKSPACE_MANAGE)
    webhook_url = webhook_url.strip()
    if webhook_url:
        try:
            check_public_url(webhook_url)
        except OutboundError as exc:
            raise ValidationFailed(fields={"webhook_url": [str(exc)]}) from exc
    row = listening_settings_of(access)
    old = [row.webhook_url, row.alert_spikes]
    row.webhook_url = webhook_url
    row.alert_spikes = alert_spikes
    row.save()
    audit_record(
        action="insights.settings",
        actor=access.user,
        workspace=access.workspace,
        obj=row,
        changes={
            "webhook": [bool(old[0]), bool(webhook_url)],
            "alert_spikes": [old[1], alert_spikes],
        },
    )
    return row
