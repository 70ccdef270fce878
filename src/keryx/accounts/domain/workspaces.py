"""Workspaces and their members."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from keryx.accounts.access import Access
from keryx.accounts.models import Membership, User, Workspace
from keryx.accounts.roles import Perm, Role
from keryx.accounts.tasks import send_invitation
from keryx.core.domain.audit import audit_record, changes_between, snapshot
from keryx.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from keryx.core.slugs import unique_slug
from keryx.core.tasks import enqueue_on_commit

WORKSPACE_FIELDS = ("name", "default_language", "default_time_zone")


@transaction.atomic
def workspace_create(*, owner: User, name: str, slug: str = "", **fields: str) -> Workspace:
    name = name.strip()
    if not name:
        raise ValidationFailed(fields={"name": [_("Give the workspace a name.")]})
    slug = (
        slugify(slug)
        if slug
        else unique_slug(name, lambda s: Workspace.objects.filter(slug=s).exists(), max_length=50)
    )
    if Workspace.objects.filter(slug=slug).exists():
        raise ValidationFailed(fields={"slug": [_("This short name is taken.")]})
    workspace = Workspace(name=name, slug=slug, **fields)
    workspace.full_clean()
    workspace.save()
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    audit_record(action="workspace.create", actor=owner, workspace=workspace, obj=workspace)
    return workspace


@transaction.atomic
def workspace_update(*, access: Access, **fields: str) -> Workspace:
    access.require(Perm.WORKSPACE_MANAGE)
    workspace = Workspace.objects.select_for_update().get(pk=access.workspace.pk)
    before = snapshot(workspace, WORKSPACE_FIELDS)
    for key, value in fields.items():
        if key in WORKSPACE_FIELDS:
            setattr(workspace, key, value)
    workspace.full_clean()
    changes = changes_between(before, snapshot(workspace, WORKSPACE_FIELDS))
    if changes:
        workspace.save(update_fields=[*changes, "updated_at"])
        audit_record(
            action="workspace.update",
            actor=access.user,
            workspace=workspace,
            obj=workspace,
            changes=changes,
        )
    return workspace


def _check_role_change(access: Access, old: Role | None, new: Role | None) -> None:
    access.require(Perm.MEMBERS_MANAGE)
    if Role.OWNER in {old, new} and access.role != Role.OWNER:
        raise Forbidden(_("Only an owner can add, change or remove an owner."))


@transaction.atomic
def membership_add(*, access: Access, email: str, role: Role) -> tuple[Membership, bool]:
    """Add a teammate by e-mail. Creates the user (with no password yet) if needed.

    Returns the membership and whether the user was new (and must set a password).
    """
    _check_role_change(access, None, role)
    email = User.objects.normalize_email(email.strip()).lower()
    if not email or "@" not in email:
        raise ValidationFailed(fields={"email": [_("Enter a valid e-mail address.")]})
    user, created = User.objects.get_or_create(email=email)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if Membership.objects.filter(workspace=access.workspace, user=user).exists():
        raise Conflict(_("%(email)s is already a member of this workspace.") % {"email": email})
    membership = Membership.objects.create(workspace=access.workspace, user=user, role=role)
    enqueue_on_commit(send_invitation, membership.pk, created, access.user.display_name)
    audit_record(
        action="membership.add",
        actor=access.user,
        workspace=access.workspace,
        obj=membership,
        changes={"email": [None, email], "role": [None, role.value]},
    )
    return membership, created


def _last_owner(membership: Membership) -> bool:
    return (
        membership.role == Role.OWNER
        and not Membership.objects.filter(workspace=membership.workspace, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_change_role(*, access: Access, membership_id: int, role: Role) -> Membership:
    membership = _member(access, membership_id)
    _check_role_change(access, Role(membership.role), role)
    if role != Role.OWNER and _last_owner(membership):
        raise Conflict(_("A workspace needs at least one owner."))
    old = membership.role
    if old != role:
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        audit_record(
            action="membership.change_role",
            actor=access.user,
            workspace=access.workspace,
            obj=membership,
            changes={"role": [old, role.value]},
        )
    return membership


@transaction.atomic
def membership_remove(*, access: Access, membership_id: int) -> None:
    membership = _member(access, membership_id)
    _check_role_change(access, Role(membership.role), None)
    if _last_owner(membership):
        raise Conflict(_("A workspace needs at least one owner."))
    audit_record(
        action="membership.remove",
        actor=access.user,
        workspace=access.workspace,
        obj=membership,
        changes={"email": [membership.user.email, None], "role": [membership.role, None]},
    )
    membership.delete()


def _member(access: Access, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .select_related("user", "workspace")
        .filter(pk=membership_id, workspace=access.workspace)
        .first()
    )
    if membership is None:
        raise NotFound()
    return membership
