"""A/B tests as objects: two variants of the seminar's posts for the same network, their
results from their tracked links (clicks by people, registrations by last touch) over the
people who saw them (the networks' reach, else impressions, from the metric snapshots; for
registrations without either, the clicks), the significance and the sample size still needed
(``domain.ab``), the winner declared, and the winner's text kept as a template for the next
posts (decision 0959)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.analytics.domain.ab import Comparison, compare_variants
from keryx.analytics.figures import series_per_key
from keryx.analytics.models import AbTest, MetricDay
from keryx.content.models import Variant
from keryx.core.errors import ValidationFailed
from keryx.links.models import TrackedLink
from keryx.seminars.models import Seminar

MDE = 0.02  # the smallest absolute difference worth detecting: 2 points


@dataclass(frozen=True)
class Side:
    variant: Variant
    clicks: int
    registrations: int
    seen: int | None  # reach, else impressions (None: the network reports neither)
    seen_by: str  # "reach", "impressions" or ""

    @property
    def text(self) -> str:
        return self.variant.text or self.variant.source_text


@dataclass(frozen=True)
class AbResult:
    a: Side
    b: Side
    basis: str  # what the rates are per: "reach", "impressions", "clicks" or ""
    comparison: Comparison | None
    reason: str  # why there is no comparison


def ab_test_create(
    *,
    access: Access,
    seminar: Seminar,
    name: str,
    kind: str,
    goal: str,
    variant_a_id: int,
    variant_b_id: int,
) -> AbTest:
    access.require(Perm.ANALYTICS_EDIT)
    variants = {
        v.pk: v
        for v in Variant.objects.filter(
            pk__in=[variant_a_id, variant_b_id],
            post__seminar=seminar,
            post__workspace=access.workspace,
        )
    }
    if len(variants) != 2:
        raise ValidationFailed(_("Choose two different versions of the seminar's posts."))
    a, b = variants[variant_a_id], variants[variant_b_id]
    if a.network != b.network:
        raise ValidationFailed(_("Both versions must go to the same network."))
    if kind not in AbTest.Kind.values or goal not in AbTest.Goal.values:
        raise ValidationFailed(_("Choose what differs and what to compare on."))
    return AbTest.objects.create(
        workspace=access.workspace,
        seminar=seminar,
        name=name.strip() or f"{a.post} / {b.post}",
        kind=kind,
        goal=goal,
        variant_a=a,
        variant_b=b,
        created_by=access.user,
    )


def _seen(variant: Variant) -> tuple[int | None, str]:
    last = MetricDay.objects.filter(variant=variant).order_by("-day").first()
    if last is None:
        return None, ""
    if last.reach is not None:
        return last.reach, "reach"
    if last.impressions is not None:
        return last.impressions, "impressions"
    return None, ""


def ab_results(test: AbTest) -> AbResult:
    links = list(
        TrackedLink.objects.filter(
            variant__in=[test.variant_a_id, test.variant_b_id], seminar=test.seminar
        ).values_list("pk", "code", "variant_id")
    )
    found = series_per_key(test.seminar, "clicks:human", "registrations")
    sides = []
    for variant in (test.variant_a, test.variant_b):
        mine = [(pk, code) for pk, code, v in links if v == variant.pk]
        seen, seen_by = _seen(variant)
        sides.append(
            Side(
                variant=variant,
                clicks=sum(found["clicks:human"].get(str(pk), 0) for pk, _c in mine),
                registrations=sum(found["registrations"].get(code, 0) for _p, code in mine),
                seen=seen,
                seen_by=seen_by,
            )
        )
    a, b = sides
    goal = test.goal
    if a.seen is not None and b.seen is not None and a.seen_by == b.seen_by:
        n_a, n_b, basis = a.seen, b.seen, a.seen_by
    elif goal == AbTest.Goal.REGISTRATIONS:
        n_a, n_b, basis = a.clicks, b.clicks, "clicks"
    else:
        return AbResult(a, b, "", None, _("The network reports neither reach nor impressions."))
    s_a, s_b = (
        (a.clicks, b.clicks)
        if goal == AbTest.Goal.CLICKS
        else (
            a.registrations,
            b.registrations,
        )
    )
    if n_a <= 0 or n_b <= 0:
        return AbResult(a, b, basis, None, _("Not enough data yet: nobody has seen both."))
    if s_a > n_a or s_b > n_b:
        return AbResult(a, b, basis, None, _("The numbers do not add up yet (snapshots lag)."))
    try:
        comparison = compare_variants(s_a, n_a, s_b, n_b, mde=MDE)
    except ValueError:
        comparison = compare_variants(s_a, n_a, s_b, n_b)
    return AbResult(a, b, basis, comparison, "")


def ab_winner_declare(*, access: Access, test: AbTest, winner: str) -> AbTest:
    access.require(Perm.ANALYTICS_EDIT)
    if winner not in ("a", "b", ""):
        raise ValidationFailed(_("Choose A or B."))
    test.winner = winner
    test.decided_at = timezone.now() if winner else None
    test.save(update_fields=["winner", "decided_at", "updated_at"])
    return test


@transaction.atomic
def ab_winner_use(*, access: Access, test: AbTest) -> int:
    """Keep the winner's text as a template (the composer opens prefilled with it); returns
    the template's id."""
    from keryx.content.domain.library import template_save

    if not test.winner:
        raise ValidationFailed(_("Declare a winner first."))
    access.require(Perm.CONTENT_EDIT)
    variant = test.variant_a if test.winner == "a" else test.variant_b
    template = template_save(
        access=access,
        fields={
            "name": _("Winner of “%(test)s”") % {"test": test.name},
            "theme": variant.post.theme,
            "campaign_phase": variant.post.campaign_phase,
            "language": variant.post.language,
            "body": variant.source_text or variant.text,
        },
        template=test.template,
    )
    test.template = template
    test.save(update_fields=["template", "updated_at"])
    return template.pk
