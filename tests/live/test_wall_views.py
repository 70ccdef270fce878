"""The social wall's pages: the moderation queue for moderators and above only, the display by
its secret address, everything authors wrote escaped, and an approved post reaching a display's
event stream."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from keryx.asgi import application
from keryx.core.realtime.hub import stop_hub
from keryx.live.domain.wall import Arrival, wall_item_moderate, wall_items_add, wall_open
from keryx.live.models import Wall, WallItem
from tests.support.sse import ASGIStream

EVIL = "</script><script>alert(1)</script><b>#smm2026</b>"


@pytest.fixture
def wall(access, seminar) -> Wall:  # type: ignore[no-untyped-def]
    seminar.hashtags = ["#smm2026"]
    seminar.save(update_fields=["hashtags"])
    return wall_open(access=access, seminar=seminar)


def _arrive(
    wall: Wall, remote_id: str, text: str, handle: str = "@nikos@example.social"
) -> WallItem:
    (item,) = wall_items_add(
        wall,
        [
            Arrival(
                source="network",
                network="mastodon",
                remote_id=remote_id,
                text=text,
                written_at=timezone.now(),
                author_name="<i>Νίκος</i>",
                author_handle=handle,
                url="javascript:alert(1)",
            )
        ],
    )
    return item


@pytest.mark.django_db
def test_moderation_is_for_moderators_and_above(wall, member, client) -> None:  # type: ignore[no-untyped-def]
    item = _arrive(wall, "1", "Γεια #smm2026")
    base = f"/w/{wall.workspace.slug}/live/wall/{wall.seminar_id}/"
    assert client.get(base).status_code == 302  # to the login page
    for role in ("viewer", "analyst", "editor"):
        staff = Client()
        staff.force_login(member(role))
        assert staff.get(base).status_code == 403, role
        assert staff.get(base + "data.json").status_code == 403, role
        assert staff.post(base + "item", {"item": item.pk, "action": "approve"}).status_code == 403
    outsider = Client()
    from tests.factories import make_user, make_workspace

    stranger = make_user("stranger@example.org")
    make_workspace(owner=stranger, name="Άλλη")
    outsider.force_login(stranger)
    assert outsider.get(base).status_code == 404
    moderator = Client()
    moderator.force_login(member("moderator"))
    page = moderator.get(base, headers={"Accept-Language": "el"})
    assert page.status_code == 200
    assert "Ουρά έγκρισης" in page.content.decode()
    queue = moderator.get(base + "data.json").json()
    assert [(i["id"], i["status"]) for i in queue["items"]] == [(item.pk, "pending")]
    answer = moderator.post(base + "item", {"item": item.pk, "action": "approve"})
    assert answer.status_code == 200 and answer.json()["item"]["status"] == "approved"
    assert moderator.post(base + "item", {"item": 999999, "action": "hide"}).status_code == 404
    assert moderator.post(base + "item", {"item": item.pk, "action": "x"}).status_code == 422


@pytest.mark.django_db
def test_rules_saved_from_the_page(wall, owner_client) -> None:  # type: ignore[no-untyped-def]
    base = f"/w/{wall.workspace.slug}/live/wall/{wall.seminar_id}/"
    answer = owner_client.post(
        base + "settings",
        {"trusted_authors": "@maria@example.social", "blocked_words": "απαράδεκτο"},
    )
    assert answer.status_code == 302
    wall.refresh_from_db()
    assert (wall.premoderation, wall.search_networks) == (False, False)
    assert (wall.trusted_authors, wall.blocked_words) == ("@maria@example.social", "απαράδεκτο")
    # "Look for new posts now" runs the wall's sweep in the worker (inline in tests): the
    # question approved in a room is on the wall after it.
    room = _room(wall_access(wall), wall)
    room.moderation = "after"
    room.save()
    from keryx.live.domain.participants import participant_join
    from keryx.live.domain.questions import question_ask

    question_ask(room=room, participant=participant_join(seminar=wall.seminar), text="Ερώτηση;")
    WallItem.objects.all().delete()  # as if the signal had been missed
    assert owner_client.post(base + "collect").status_code == 302
    assert list(WallItem.objects.values_list("text", "status")) == [("Ερώτηση;", "approved")]
    old = wall.display_key
    assert owner_client.post(base + "key").status_code == 302
    wall.refresh_from_db()
    assert wall.display_key != old
    assert Client().get(f"/wall/{old}/").status_code == 404


@pytest.mark.django_db
def test_display_by_its_address_shows_approved_posts_escaped(wall, access, owner_client) -> None:  # type: ignore[no-untyped-def]
    shown = _arrive(wall, "1", EVIL)
    _arrive(wall, "2", "Περιμένει έγκριση #smm2026")
    wall_item_moderate(access=access, item=shown, action="approve")
    display = Client().get(f"/wall/{wall.display_key}/")
    assert display.status_code == 200
    html = display.content.decode()
    assert "<script>alert(1)" not in html and "<i>Νίκος" not in html
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in html
    assert "Περιμένει έγκριση" not in html  # not approved: not on the display
    state = Client().get(f"/wall/{wall.display_key}/state.json").json()["state"]
    assert [i["text"] for i in state["items"]] == [EVIL]
    assert "url" not in state["items"][0]
    assert Client().get("/wall/not-a-key/").status_code == 404
    page = owner_client.get(f"/w/{wall.workspace.slug}/live/wall/{wall.seminar_id}/")
    assert "<script>alert(1)" not in page.content.decode()
    screen = owner_client.get(f"/w/{wall.workspace.slug}/live/{_room(access, wall).pk}/screen/")
    assert screen.status_code == 200
    assert "<script>alert(1)" not in screen.content.decode()
    assert f'data-key="{wall.display_key}"' in screen.content.decode()


def wall_access(wall: Wall) -> Any:
    from keryx.accounts.access import workspace_access
    from keryx.accounts.models import Membership

    owner = Membership.objects.filter(workspace=wall.workspace, role="owner").first()
    assert owner is not None
    return workspace_access(owner.user, wall.workspace)


def _room(access: Any, wall: Wall) -> Any:
    from keryx.live.domain.rooms import room_open

    return room_open(access=access, seminar=wall.seminar)


@pytest.mark.django_db(transaction=True)
def test_an_approved_post_reaches_a_subscribed_display(wall, access, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KERYX_SSE_INTERVAL = 0.05
    item = _arrive(wall, "1", "Ζωντανά στον τοίχο #smm2026")

    async def scenario() -> list[Any]:
        path = f"/wall/{wall.display_key}/events"
        async with ASGIStream(application, path, query="after=0") as display:
            await asyncio.sleep(0.2)
            await asyncio.to_thread(
                lambda: wall_item_moderate(access=access, item=item, action="approve")
            )
            await display.wait_for(
                lambda ev: any(e.data.get("status") == "approved" for e in ev), timeout=10
            )
        return display.events

    async def main() -> list[Any]:
        try:
            return await scenario()
        finally:
            await stop_hub()

    events = asyncio.run(main())
    wall_events = [e for e in events if e.event == "wall"]
    assert wall_events[0].data == {"id": item.pk, "status": "pending"}  # no text while waiting
    approved = wall_events[-1].data
    assert (approved["text"], approved["network_name"], approved["handle"]) == (
        "Ζωντανά στον τοίχο #smm2026",
        "Mastodon",
        "@nikos@example.social",
    )
