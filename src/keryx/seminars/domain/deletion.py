"""Deleting a seminar: say exactly what goes with it, ask for its name when other apps'
records (registrations, consent, posts, links, clicks) would go, and audit the counts
(decision 0746).

What goes is found the way the database will delete it (Django's deletion collector), so a
new app's rows that hang off a seminar are counted without this module knowing the app.
"""

from __future__ import annotations

from collections import Counter

from django.apps import apps
from django.db import router, transaction
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.core.domain.audit import audit_record
from keryx.core.errors import Conflict
from keryx.seminars.models import Seminar


class ConfirmationNeeded(Conflict):
    code = "confirmation_needed"

    def __init__(self, seminar: Seminar, impact: dict[str, int]) -> None:
        super().__init__(
            _(
                "Deleting “%(title)s” also deletes its registrations and everything else "
                "listed. Type the seminar's name to confirm."
            )
            % {"title": seminar.title},
            data={"will_delete": impact},
        )


def seminar_deletion_impact(seminar: Seminar) -> dict[str, int]:
    """``{"registrations.registration": 39, …}``: every row that goes, by model."""
    collector = Collector(using=router.db_for_write(Seminar))
    collector.collect([seminar])
    counts: Counter[str] = Counter()
    for model, instances in collector.data.items():
        counts[model._meta.label_lower] += len(instances)
    for queryset in collector.fast_deletes:
        counts[queryset.model._meta.label_lower] += queryset.count()
    return {k: v for k, v in sorted(counts.items()) if v}


def impact_rows(impact: dict[str, int]) -> list[dict[str, object]]:
    """For people: each kind by its name in their language."""
    return [
        {
            "key": key,
            "label": str(apps.get_model(key)._meta.verbose_name_plural),
            "count": count,
        }
        for key, count in impact.items()
    ]


def needs_confirmation(impact: dict[str, int]) -> bool:
    """Rows of other apps would go (the seminar's own parts go without asking)."""
    return any(not key.startswith("seminars.") for key in impact)


@transaction.atomic
def seminar_delete(*, access: Access, seminar: Seminar, confirm: str | None = None) -> None:
    access.require(Perm.SEMINAR_DELETE)
    seminar = Seminar.objects.select_for_update().get(pk=seminar.pk, workspace=access.workspace)
    impact = seminar_deletion_impact(seminar)
    if needs_confirmation(impact) and (confirm or "").strip() != seminar.title.strip():
        raise ConfirmationNeeded(seminar, impact)
    audit_record(
        action="seminar.delete",
        actor=access.user,
        workspace=access.workspace,
        obj=seminar,
        changes={"title": [seminar.title, None], "deleted": [impact, None]},
    )
    seminar.delete()
