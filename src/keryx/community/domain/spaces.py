"""A seminar's community: opening it and its settings."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.roles import Perm
from keryx.community.enums import Audience
from keryx.community.models import Community
from keryx.core.domain.audit import audit_record
from keryx.core.errors import ValidationFailed
from keryx.seminars.models import Seminar


@transaction.atomic
def community_create(*, access: Access, seminar: Seminar) -> Community:
    """The seminar's community (made once; asking again returns it)."""
    access.require(Perm.COMMUNITY_MANAGE)
    if seminar.workspace_id != access.workspace.pk:
        raise ValidationFailed(fields={"seminar": [_("Choose a seminar of this workspace.")]})
    community, created = Community.objects.get_or_create(
        seminar=seminar, defaults={"workspace": access.workspace}
    )
    if created:
        audit_record(
            action="community.create", actor=access.user, workspace=access.workspace, obj=community
        )
    return community


@transaction.atomic
def community_update(
    *, access: Access, community: Community, is_open: bool, audience: str, welcome: str
) -> Community:
    access.require(Perm.COMMUNITY_MANAGE)
    if audience not in Audience.values:
        raise ValidationFailed(fields={"audience": [_("Choose who may enter.")]})
    welcome = welcome.strip()
    if len(welcome) > 4000:
        raise ValidationFailed(
            fields={"welcome": [_("The welcome text is too long (4,000 characters at most).")]}
        )
    before = {"is_open": community.is_open, "audience": community.audience}
    community.is_open, community.audience, community.welcome = is_open, audience, welcome
    community.save(update_fields=["is_open", "audience", "welcome", "updated_at"])
    audit_record(
        action="community.update",
        actor=access.user,
        workspace=access.workspace,
        obj=community,
        changes={
            k: [v, getattr(community, k)] for k, v in before.items() if v != getattr(community, k)
        },
    )
    return community
