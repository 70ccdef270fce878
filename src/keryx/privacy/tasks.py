"""The nightly retention job (thin: calls the domain, logs what it removed)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from keryx.privacy.domain.retention import retention_enforce

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="23", hour="3"))
def enforce_retention() -> dict[str, int]:
    report = retention_enforce()
    log.info("retention removed %s", report.removed or "nothing")
    return report.removed
