"""Run the publishing sweep once: queue what is due, recover lost messages and dead claims.

The periodic worker runs it by itself; this is for operators (after downtime) and scripts.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand

from keryx.publishing.domain.sweep import publishing_sweep


class Command(BaseCommand):
    help = "Queue due posts and recover lost or stuck ones (the periodic sweep, once)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = publishing_sweep()
        self.stdout.write(json.dumps(asdict(report)))
