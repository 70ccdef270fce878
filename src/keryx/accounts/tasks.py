"""Thin tasks: take ids, load, call the domain."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from keryx.accounts.domain.invitations import invitation_send
from keryx.accounts.models import Membership


@db_task(retries=3, retry_delay=60)
def send_invitation(membership_id: int, new_user: bool, invited_by: str) -> None:
    membership = (
        Membership.objects.select_related("user", "workspace").filter(pk=membership_id).first()
    )
    if membership is not None:
        invitation_send(membership=membership, new_user=new_user, invited_by=invited_by)
