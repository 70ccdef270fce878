from __future__ import annotations

import pytest

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.core.errors import Forbidden, ValidationFailed
from keryx.core.models import AuditEntry
from keryx.links.domain.links import (
    LinkData,
    tracked_link_create,
    tracked_link_delete,
    tracked_link_update,
)
from keryx.links.models import LinkCacheState, TrackedLink
from keryx.links.redirect.targets import TARGETS, looks_like_code

pytestmark = pytest.mark.django_db


def test_create_defaults_to_the_seminar_page_with_the_channel_utm(
    make_link, seminar, settings
) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="linkedin", campaign_phase="speakers")
    assert link.destination == f"{settings.KERYX_BASE_URL}/s/{seminar.slug}/"
    assert (link.utm_source, link.utm_medium, link.utm_campaign, link.utm_content) == (
        "linkedin",
        "social",
        f"{seminar.slug}_speakers",
        "",
    )
    assert looks_like_code(link.code) and len(link.code) == 7
    entry = AuditEntry.objects.get(action="link.create")
    assert entry.object_id == str(link.pk)
    assert entry.changes["code"] == [None, link.code]


def test_create_takes_utm_parameters_written_in_the_destination(make_link) -> None:  # type: ignore[no-untyped-def]
    link = make_link(
        network="facebook",
        destination="https://partner.example.org/event?utm_campaign=partner&ref=1",
    )
    assert link.destination == "https://partner.example.org/event?ref=1"
    assert (link.utm_source, link.utm_campaign) == ("facebook", "partner")


def test_create_refuses_a_destination_that_is_not_a_web_address(make_link) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        make_link(destination="javascript:alert(1)")
    assert caught.value.fields == {
        "destination": ["Enter a full web address starting with https:// (or http://)."]
    }
    assert TrackedLink.objects.count() == 0


def test_create_gives_every_link_its_own_code(make_link) -> None:  # type: ignore[no-untyped-def]
    codes = {make_link(network="x").code for _ in range(20)}
    assert len(codes) == 20


def test_update_keeps_the_code_and_tells_every_process_to_reload(
    make_link, user, workspace, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    TARGETS.reset(LinkCacheState.objects.get(pk=1).generation)
    assert TARGETS.load(link.code) is not None
    access = workspace_access(user, workspace, Perm.LINKS_EDIT)
    with django_capture_on_commit_callbacks(execute=True):
        updated = tracked_link_update(
            access=access, link=link, data=LinkData(destination="https://example.org/new")
        )
    assert updated.code == link.code
    assert TARGETS.get(link.code) is None  # dropped, reloaded on the next click
    target = TARGETS.load(link.code)
    assert target is not None and target.location.startswith("https://example.org/new?utm_source=x")
    assert LinkCacheState.objects.get(pk=1).generation == TARGETS.generation
    assert AuditEntry.objects.get(action="link.update").changes == {
        "destination": [link.destination, "https://example.org/new"]
    }


def test_update_with_nothing_changed_writes_no_audit_entry(make_link, user, workspace) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x", label="A")
    access = workspace_access(user, workspace, Perm.LINKS_EDIT)
    tracked_link_update(access=access, link=link, data=LinkData(label="A"))
    assert not AuditEntry.objects.filter(action="link.update").exists()


def test_delete_removes_the_link_from_memory(
    make_link, user, workspace, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    link = make_link(network="x")
    link_id = link.pk
    TARGETS.load(link.code)
    access = workspace_access(user, workspace, Perm.LINKS_EDIT)
    with django_capture_on_commit_callbacks(execute=True):
        tracked_link_delete(access=access, link=link)
    assert TARGETS.load(link.code) is None
    assert AuditEntry.objects.filter(action="link.delete", object_id=str(link_id)).count() == 1


def test_an_analyst_may_not_create_links(member, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    analyst = member("analyst")
    access = workspace_access(analyst, workspace)
    with pytest.raises(Forbidden):
        tracked_link_create(access=access, seminar=seminar, data=LinkData(network="x"))
