from __future__ import annotations

from urllib.parse import urlencode

from keryx.accounts.access import workspace_access
from keryx.accounts.roles import Perm
from keryx.seminars.domain import agenda
from keryx.seminars.domain.seminars import persona_save
from tests.api.cases import World, case, world_builder

V1 = "/api/v1"


def S(w: World) -> str:
    return f"{V1}/workspaces/{w.ws}/seminars/{w.seminar.pk}"


@world_builder
def _children(world: World) -> None:
    access = workspace_access(world.owner, world.workspace, Perm.SEMINAR_EDIT)
    world.objects["persona"] = persona_save(
        access=access, seminar=world.seminar, fields={"name": "Φοιτητές"}
    )
    speaker = agenda.speaker_save(access=access, seminar=world.seminar, fields={"name": "Μαρία"})
    world.objects["speaker"] = speaker
    world.objects["session"] = agenda.session_save(
        access=access,
        seminar=world.seminar,
        fields={
            "title": "Keynote",
            "starts_at": world.seminar.starts_at,
            "ends_at": world.seminar.ends_at,
        },
        speaker_ids=[speaker.pk],
    )


NEW_SEMINAR = {
    "title": "Workshop",
    "starts_at": "2027-03-01T10:00:00",
    "ends_at": "2027-03-01T12:00:00",
    "format": "online",
    "time_zone": "Europe/Athens",
}

case("seminars_list", "get", lambda w: f"{V1}/workspaces/{w.ws}/seminars")
case("seminars_create", "post", lambda w: f"{V1}/workspaces/{w.ws}/seminars", lambda w: NEW_SEMINAR)
case("seminars_get", "get", S)
case("seminars_update", "patch", S, lambda w: {"capacity": 80})
case(
    "seminars_delete",
    "delete",
    lambda w: f"{S(w)}?{urlencode({'confirm': w.seminar.title})}",
)
case("personas_list", "get", lambda w: f"{S(w)}/personas")
case("personas_create", "post", lambda w: f"{S(w)}/personas", lambda w: {"name": "Δημοσιογράφοι"})
case(
    "personas_update",
    "patch",
    lambda w: f"{S(w)}/personas/{w.objects['persona'].pk}",
    lambda w: {"region": "Κρήτη"},
)
case("personas_delete", "delete", lambda w: f"{S(w)}/personas/{w.objects['persona'].pk}")
case("sessions_list", "get", lambda w: f"{S(w)}/sessions")
case(
    "sessions_create",
    "post",
    lambda w: f"{S(w)}/sessions",
    lambda w: {
        "title": "Panel",
        "starts_at": "2026-12-12T11:00:00",
        "ends_at": "2026-12-12T12:00:00",
    },
)
case(
    "sessions_update",
    "patch",
    lambda w: f"{S(w)}/sessions/{w.objects['session'].pk}",
    lambda w: {"room": "Β"},
)
case("sessions_delete", "delete", lambda w: f"{S(w)}/sessions/{w.objects['session'].pk}")
case("speakers_list", "get", lambda w: f"{S(w)}/speakers")
case("speakers_create", "post", lambda w: f"{S(w)}/speakers", lambda w: {"name": "Νίκος"})
case(
    "speakers_update",
    "patch",
    lambda w: f"{S(w)}/speakers/{w.objects['speaker'].pk}",
    lambda w: {"bio": "Bio"},
)
case("speakers_delete", "delete", lambda w: f"{S(w)}/speakers/{w.objects['speaker'].pk}")
