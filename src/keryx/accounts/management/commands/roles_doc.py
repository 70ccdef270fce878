from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from keryx.accounts.roles_doc import render


class Command(BaseCommand):
    help = "Write docs/roles.md from the role table and the API's declared permissions."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default="docs/roles.md")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(), encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
