from __future__ import annotations

import pytest

from keryx.accounts.access import workspace_access
from keryx.accounts.domain.workspaces import (
    membership_add,
    membership_change_role,
    membership_remove,
)
from keryx.accounts.models import Membership
from keryx.accounts.roles import Role
from keryx.core.errors import Conflict, Forbidden, NotFound
from keryx.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_adding_a_new_teammate_emails_a_password_link(
    user, workspace, django_capture_on_commit_callbacks, mailoutbox
) -> None:  # type: ignore[no-untyped-def]
    access = workspace_access(user, workspace)
    with django_capture_on_commit_callbacks(execute=True):
        membership, created = membership_add(
            access=access, email="Nikos@Example.org", role=Role.EDITOR
        )
    assert created and membership.user.email == "nikos@example.org"
    assert not membership.user.has_usable_password()
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert AuditEntry.objects.filter(action="membership.add", workspace=workspace).count() == 1


def test_a_manager_cannot_make_or_remove_owners(workspace, member) -> None:  # type: ignore[no-untyped-def]
    manager = member("manager")
    access = workspace_access(manager, workspace)
    with pytest.raises(Forbidden):
        membership_add(access=access, email="boss@example.org", role=Role.OWNER)
    owner_membership = Membership.objects.get(workspace=workspace, role=Role.OWNER)
    with pytest.raises(Forbidden):
        membership_remove(access=access, membership_id=owner_membership.pk)


def test_the_last_owner_cannot_leave_or_be_demoted(user, workspace) -> None:  # type: ignore[no-untyped-def]
    access = workspace_access(user, workspace)
    mine = Membership.objects.get(workspace=workspace, user=user)
    with pytest.raises(Conflict):
        membership_change_role(access=access, membership_id=mine.pk, role=Role.MANAGER)
    with pytest.raises(Conflict):
        membership_remove(access=access, membership_id=mine.pk)


def test_members_of_other_workspaces_are_not_found(user, workspace) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_user, make_workspace

    stranger = make_user("stranger@example.org")
    other = make_workspace(stranger, "Elsewhere")
    theirs = Membership.objects.get(workspace=other)
    with pytest.raises(NotFound):
        workspace_access(stranger, workspace)
    with pytest.raises(NotFound):
        membership_remove(access=workspace_access(user, workspace), membership_id=theirs.pk)
