"""The list's rows as the template shows them, built in Python once per page (addresses,
shortened text, the time in the reader's zone): a page of 50 rows then renders in a few
milliseconds instead of resolving URLs and filters row by row in the template."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from keryx.inbox.models import Conversation

EXCERPT = 180


@dataclass(frozen=True)
class Row:
    pk: int
    url: str
    status_url: str
    network: str
    author: str
    excerpt: str
    sentiment: str
    status: str
    tags: list[str]
    answered: bool
    hidden: bool
    assignee: str
    when_iso: str
    when: str

    def html(self) -> SafeString:
        """The row's markup, every value escaped (the list and the live update use it)."""
        labels = {"negative": _("negative"), "positive": _("positive"), "neutral": _("neutral")}
        badges = []
        if self.sentiment:
            badges.append(("badge sentiment", labels.get(self.sentiment, self.sentiment)))
        badges += [("badge tag", f"#{t}") for t in self.tags]
        if self.answered:
            badges.append(("badge replied", _("answered")))
        if self.hidden:
            badges.append(("badge", _("hidden")))
        if self.assignee:
            badges.append(("assignee", f"→ {self.assignee}"))
        return format_html(
            '<li class="inbox-row sentiment-{} status-{}" id="conversation-{}" data-id="{}" '
            'data-url="{}" data-status-url="{}"><a href="{}"><span class="network net-{}">{}'
            '</span> <strong class="author">{}</strong> <span class="excerpt">{}</span></a> '
            '<span class="meta">{} <time datetime="{}">{}</time></span></li>',
            self.sentiment or "neutral",
            self.status,
            self.pk,
            self.pk,
            self.url,
            self.status_url,
            self.url,
            self.network,
            self.network,
            self.author,
            self.excerpt,
            format_html_join(" ", '<span class="{}">{}</span>', badges),
            self.when_iso,
            self.when,
        )


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def rows_of(conversations: list[Conversation], workspace_slug: str) -> list[Row]:
    base = reverse("inbox:list", kwargs={"workspace": workspace_slug})
    rows = []
    for c in conversations:
        local = timezone.localtime(c.last_message_at)
        rows.append(
            Row(
                pk=c.pk,
                url=f"{base}{c.pk}/",
                status_url=f"{base}{c.pk}/status/",
                network=c.network,
                author=c.author_name or c.author_handle,
                excerpt=_short(c.excerpt),
                sentiment=c.sentiment,
                status=c.status,
                tags=list(c.tags or []),
                answered=c.first_reply_at is not None,
                hidden=c.hidden,
                assignee=c.assignee.display_name if c.assignee else "",
                when_iso=c.last_message_at.isoformat(),
                when=formats.date_format(local, "SHORT_DATETIME_FORMAT"),
            )
        )
    return rows
