"""Telling people that a post needs them: failed or unconfirmed. (An account to reconnect is
the networks app's notification: ``account_mark_reconnect_needed``.)

Each notification is written in the recipient's language, says what happened and what to do,
and links to the post in the calendar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from keryx.accounts.models import Membership, User, Workspace
from keryx.accounts.roles import Role
from keryx.content.models import Variant
from keryx.notifications.domain.notify import notify_in_their_language
from keryx.publishing.limits import network_label


def _people_in_charge(workspace: Workspace, extra: Iterable[User | None] = ()) -> list[User]:
    users = [
        m.user
        for m in Membership.objects.filter(
            workspace=workspace, role__in=[Role.OWNER, Role.MANAGER]
        ).select_related("user")
    ]
    users += [u for u in extra if u is not None]
    return users


def variant_url(variant: Variant) -> str:
    base = reverse("publishing:calendar", kwargs={"workspace": variant.post.workspace.slug})
    return f"{base}?seminar={variant.post.seminar_id}&variant={variant.pk}"


def _send(
    *,
    recipients: list[User],
    workspace: Workspace,
    kind: str,
    url: str,
    words: Callable[[], tuple[str, str]],
) -> None:
    notify_in_their_language(
        recipients=recipients, kind=kind, words=words, url=url, workspace=workspace
    )


def _label(variant: Variant) -> str:
    account = variant.account
    return f"{network_label(account.network)} ({account.handle or account.name})"


def notify_failed(variant: Variant) -> None:
    workspace = variant.post.workspace

    def words() -> tuple[str, str]:
        title = _("A post could not be published on %(where)s") % {"where": _label(variant)}
        body = _(
            "“%(post)s”: %(reason)s Open the post in the calendar to fix it, then publish it "
            "again or give it a new time."
        ) % {"post": str(variant.post), "reason": variant.error_message}
        return title, body

    _send(
        recipients=_people_in_charge(workspace, [variant.post.author]),
        workspace=workspace,
        kind="publish.failed",
        url=variant_url(variant),
        words=words,
    )


def notify_unconfirmed(variant: Variant) -> None:
    workspace = variant.post.workspace

    def words() -> tuple[str, str]:
        title = _("Keryx cannot tell whether a post went out on %(where)s") % {
            "where": _label(variant)
        }
        body = _(
            "“%(post)s”: the network did not confirm it and cannot be asked right now. Keryx "
            "keeps checking and will not send it twice. If you need certainty now, look at the "
            "account's profile and mark the post as published or not published in the calendar."
        ) % {"post": str(variant.post)}
        return title, body

    _send(
        recipients=_people_in_charge(workspace, [variant.post.author]),
        workspace=workspace,
        kind="publish.unconfirmed",
        url=variant_url(variant),
        words=words,
    )


def notify_cannot_tell(variant: Variant) -> None:
    """The network cannot be asked at all (a webhook): only a person can settle it."""
    workspace = variant.post.workspace

    def words() -> tuple[str, str]:
        title = _("Keryx cannot tell whether a post went out on %(where)s") % {
            "where": _label(variant)
        }
        body = _(
            "“%(post)s”: the delivery was not confirmed, and %(where)s cannot be asked what "
            "it received. Keryx will not send it twice. Check with the receiving side, then "
            "mark the post as published or not published in the calendar."
        ) % {"post": str(variant.post), "where": _label(variant)}
        return title, body

    _send(
        recipients=_people_in_charge(workspace, [variant.post.author]),
        workspace=workspace,
        kind="publish.unconfirmed",
        url=variant_url(variant),
        words=words,
    )
