"""Top and bottom posts of a seminar by what their tracked links brought: registrations
(last touch), then people's clicks. Engagement on the networks (likes, shares) comes with the
metric snapshots and is not in this ranking yet."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from keryx.analytics.charts import Chart
from keryx.content.models import Post
from keryx.links.enums import ClickKind
from keryx.links.models import Click, TrackedLink
from keryx.registrations.enums import RegistrationStatus
from keryx.registrations.models import Registration
from keryx.seminars.models import Seminar

SHOWN = 5


def post_ranking(seminar: Seminar) -> tuple[Chart, Chart]:
    links = TrackedLink.objects.filter(seminar=seminar, post__isnull=False)
    post_of_code = dict(links.values_list("code", "post_id"))
    clicks = dict(
        Click.objects.filter(link__in=links, kind=ClickKind.HUMAN)
        .values_list("link__post")
        .annotate(n=Count("pk"))
        .order_by()
    )
    registrations: dict[int, int] = {}
    rows = (
        Registration.objects.filter(seminar=seminar, last_touch_code__in=list(post_of_code))
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("last_touch_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for code, n in rows:
        post_id = post_of_code[code]
        registrations[post_id] = registrations.get(post_id, 0) + n
    posts = {p.pk: p for p in Post.objects.filter(pk__in=set(post_of_code.values()))}
    ranked = sorted(posts, key=lambda pk: (-registrations.get(pk, 0), -clicks.get(pk, 0), pk))

    def chart(key: str, title: str, ids: list[int]) -> Chart:
        return Chart(
            key=key,
            title=title,
            labels=[str(posts[pk]) for pk in ids],  # the post's title
            datasets=[
                {"label": _("Registrations"), "data": [registrations.get(pk, 0) for pk in ids]},
                {"label": _("Clicks (people)"), "data": [clicks.get(pk, 0) for pk in ids]},
            ],
            kind="bar",
            label_header=_("Post"),
        )

    top = ranked[:SHOWN]
    bottom = [pk for pk in reversed(ranked) if pk not in top][:SHOWN]
    return chart("posts-top", _("Top posts"), top), chart("posts-bottom", _("Bottom posts"), bottom)
