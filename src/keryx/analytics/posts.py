"""Top and bottom posts of a seminar by what their tracked links brought: registrations
(last touch), then people's clicks. Engagement on the networks (likes, shares) comes with the
metric snapshots and is not in this ranking yet."""

from __future__ import annotations

from django.utils.translation import gettext as _

from keryx.analytics.charts import Chart
from keryx.analytics.figures import series_per_key
from keryx.content.models import Post
from keryx.links.models import TrackedLink
from keryx.seminars.models import Seminar

SHOWN = 5


def post_ranking(seminar: Seminar) -> tuple[Chart, Chart]:
    """From the pre-aggregated figures (``domain.rollups``)."""
    links = list(
        TrackedLink.objects.filter(seminar=seminar, post__isnull=False).values_list(
            "pk", "code", "post_id"
        )
    )
    found = series_per_key(seminar, "clicks:human", "registrations")
    clicks: dict[int, int] = {}
    registrations: dict[int, int] = {}
    for pk, code, post_id in links:
        clicks[post_id] = clicks.get(post_id, 0) + found["clicks:human"].get(str(pk), 0)
        registrations[post_id] = registrations.get(post_id, 0) + found["registrations"].get(code, 0)
    post_of_code = {code: post_id for _pk, code, post_id in links}
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
