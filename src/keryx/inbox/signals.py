"""When crisis mode starts (insights sets ``crisis_mode_at`` on an alert), the open inbox is
assigned round-robin right away, after the start commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from keryx.insights.models import CrisisAlert


@receiver(post_save, sender=CrisisAlert, dispatch_uid="inbox.crisis_mode_assign")
def crisis_mode_assign(sender: Any, instance: CrisisAlert, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if instance.crisis_mode_at is None or (fields is not None and "crisis_mode_at" not in fields):
        return
    from keryx.inbox.domain.crisis import crisis_assign_open

    workspace_id = instance.workspace_id
    transaction.on_commit(lambda: crisis_assign_open(workspace_id))
