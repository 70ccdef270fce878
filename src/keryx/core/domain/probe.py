"""Queue probes: the web process enqueues, a worker records who ran it. For operators."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser

from keryx.core.errors import Forbidden, NotFound
from keryx.core.models import QueueProbe
from keryx.core.tasks import enqueue_on_commit, run_queue_probe, worker_identity

# Core imports no other app: the user is Django's user model, whatever app defines it.
User = AbstractUser


def _require_operator(user: User) -> None:
    if not user.is_staff:
        raise Forbidden()


def probe_request(*, user: User) -> QueueProbe:
    _require_operator(user)
    probe = QueueProbe.objects.create(requested_by_id=user.pk, requested_from=worker_identity())
    enqueue_on_commit(run_queue_probe, probe.pk)
    return probe


def probe_get(*, user: User, probe_id: int) -> QueueProbe:
    _require_operator(user)
    probe = QueueProbe.objects.filter(pk=probe_id).first()
    if probe is None:
        raise NotFound()
    return probe
