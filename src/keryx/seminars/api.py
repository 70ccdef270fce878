"""API: seminars and their personas, agenda sessions and speakers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from keryx.accounts.roles import Perm
from keryx.api.pagination import Page
from keryx.api.permissions import access_for, needs
from keryx.core.timezones import aware_in
from keryx.seminars import queries
from keryx.seminars.domain import agenda
from keryx.seminars.domain.seminars import (
    SeminarData,
    persona_delete,
    persona_save,
    seminar_create,
    seminar_delete,
    seminar_update,
)
from keryx.seminars.models import Persona, Session, Speaker
from keryx.seminars.schemas import (
    PersonaIn,
    PersonaOut,
    PersonaPatch,
    SeminarIn,
    SeminarOut,
    SeminarPatch,
    SessionIn,
    SessionOut,
    SessionPatch,
    SpeakerIn,
    SpeakerOut,
    SpeakerPatch,
)

router = Router(tags=["seminars"])
SEMINAR = "/workspaces/{workspace}/seminars/{seminar_id}"


def _kpis(payload_kpis: Any) -> dict[str, Any]:
    return payload_kpis.dict() if payload_kpis is not None else {}


@router.get(
    "/workspaces/{workspace}/seminars",
    response=list[SeminarOut],
    operation_id="seminars_list",
    openapi_extra=needs(Perm.SEMINAR_VIEW),
)
@paginate(Page)
def seminars_list(request: HttpRequest, workspace: str) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_VIEW)
    return (
        queries.seminars_in(access)
        .select_related("workspace")
        .prefetch_related("kpi_targets", "translations")
    )


@router.post(
    "/workspaces/{workspace}/seminars",
    response={201: SeminarOut},
    operation_id="seminars_create",
    openapi_extra=needs(Perm.SEMINAR_CREATE),
)
def seminars_create(request: HttpRequest, workspace: str, payload: SeminarIn) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_CREATE)
    fields = payload.dict(exclude={"personas", "kpi_targets", "translations"})
    fields["starts_at"] = aware_in(payload.starts_at, payload.time_zone, field="starts_at")
    fields["ends_at"] = aware_in(payload.ends_at, payload.time_zone, field="ends_at")
    data = SeminarData(
        fields=fields,
        personas=[p.dict() for p in payload.personas],
        kpi_targets=_kpis(payload.kpi_targets),
        translations=[t.dict() for t in payload.translations],
    )
    return Status(201, seminar_create(access=access, data=data))


@router.get(
    SEMINAR,
    response=SeminarOut,
    operation_id="seminars_get",
    openapi_extra=needs(Perm.SEMINAR_VIEW),
)
def seminars_get(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_VIEW)
    return queries.seminar_in(access, seminar_id)


@router.patch(
    SEMINAR,
    response=SeminarOut,
    operation_id="seminars_update",
    openapi_extra=needs(Perm.SEMINAR_EDIT),
)
def seminars_update(
    request: HttpRequest, workspace: str, seminar_id: int, payload: SeminarPatch
) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_EDIT)
    seminar = queries.seminar_in(access, seminar_id)
    fields = payload.dict(exclude_unset=True, exclude={"kpi_targets", "translations"})
    zone = fields.get("time_zone") or seminar.time_zone
    for key in ("starts_at", "ends_at"):
        if fields.get(key) is not None:
            fields[key] = aware_in(fields[key], zone, field=key)
    data = SeminarData(
        fields=fields,
        kpi_targets=payload.kpi_targets.dict(exclude_unset=True) if payload.kpi_targets else None,
        translations=[t.dict() for t in payload.translations]
        if payload.translations is not None
        else None,
    )
    return seminar_update(access=access, seminar=seminar, data=data)


@router.delete(
    SEMINAR,
    response={204: None},
    operation_id="seminars_delete",
    openapi_extra=needs(Perm.SEMINAR_DELETE),
)
def seminars_delete(
    request: HttpRequest,
    workspace: str,
    seminar_id: int,
    confirm: str = Query(
        "",
        description="The seminar's title, needed when registrations or other records would "
        "go with it (otherwise 409 `confirmation_needed` lists them in `error.data`)",
        max_length=200,
    ),
) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_DELETE)
    seminar_delete(access=access, seminar=queries.seminar_in(access, seminar_id), confirm=confirm)
    return Status(204, None)


# --- personas ------------------------------------------------------------------------------


@router.get(
    SEMINAR + "/personas",
    response=list[PersonaOut],
    operation_id="personas_list",
    openapi_extra=needs(Perm.SEMINAR_VIEW),
)
@paginate(Page)
def personas_list(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_VIEW)
    return queries.personas_of(queries.seminar_in(access, seminar_id))


@router.post(
    SEMINAR + "/personas",
    response={201: PersonaOut},
    operation_id="personas_create",
    openapi_extra=needs(Perm.SEMINAR_EDIT),
)
def personas_create(
    request: HttpRequest, workspace: str, seminar_id: int, payload: PersonaIn
) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_EDIT)
    seminar = queries.seminar_in(access, seminar_id)
    return Status(201, persona_save(access=access, seminar=seminar, fields=payload.dict()))


@router.patch(
    SEMINAR + "/personas/{persona_id}",
    response=PersonaOut,
    operation_id="personas_update",
    openapi_extra=needs(Perm.SEMINAR_EDIT),
)
def personas_update(
    request: HttpRequest, workspace: str, seminar_id: int, persona_id: int, payload: PersonaPatch
) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_EDIT)
    seminar = queries.seminar_in(access, seminar_id)
    persona = queries.child_in(seminar, Persona, persona_id)
    return persona_save(
        access=access, seminar=seminar, persona=persona, fields=payload.dict(exclude_unset=True)
    )


@router.delete(
    SEMINAR + "/personas/{persona_id}",
    response={204: None},
    operation_id="personas_delete",
    openapi_extra=needs(Perm.SEMINAR_EDIT),
)
def personas_delete(request: HttpRequest, workspace: str, seminar_id: int, persona_id: int) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_EDIT)
    seminar = queries.seminar_in(access, seminar_id)
    persona_delete(access=access, persona=queries.child_in(seminar, Persona, persona_id))
    return Status(204, None)


# --- sessions ------------------------------------------------------------------------------


def _session_fields(
    payload: SessionIn | SessionPatch, time_zone: str, *, partial: bool
) -> dict[str, Any]:
    fields = payload.dict(exclude={"speaker_ids"}, exclude_unset=partial)
    for key in ("starts_at", "ends_at"):
        if fields.get(key) is not None:
            fields[key] = aware_in(fields[key], time_zone, field=key)
    return fields


@router.get(
    SEMINAR + "/sessions",
    response=list[SessionOut],
    operation_id="sessions_list",
    openapi_extra=needs(Perm.SEMINAR_VIEW),
)
@paginate(Page)
def sessions_list(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_VIEW)
    return queries.sessions_of(queries.seminar_in(access, seminar_id)).select_related("seminar")


@router.post(
    SEMINAR + "/sessions",
    response={201: SessionOut},
    operation_id="sessions_create",
    openapi_extra=needs(Perm.SEMINAR_EDIT),
)
def sessions_create(
    request: HttpRequest, workspace: str, seminar_id: int, payload: SessionIn
) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_EDIT)
    seminar = queries.seminar_in(access, seminar_id)
    fields = _session_fields(payload, seminar.time_zone, partial=False)
    return Status(
        201,
        agenda.session_save(
            access=access, seminar=seminar, fields=fields, speaker_ids=payload.speaker_ids
        ),
    )


@router.patch(
    SEMINAR + "/sessions/{session_id}",
    response=SessionOut,
    operation_id="sessions_update",
    openapi_extra=needs(Perm.SEMINAR_EDIT),
)
def sessions_update(
    request: HttpRequest, workspace: str, seminar_id: int, session_id: int, payload: SessionPatch
) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_EDIT)
    seminar = queries.seminar_in(access, seminar_id)
    session = queries.child_in(seminar, Session, session_id)
    fields = _session_fields(payload, seminar.time_zone, partial=True)
    return agenda.session_save(
        access=access,
        seminar=seminar,
        session=session,
        fields=fields,
        speaker_ids=payload.speaker_ids,
    )


@router.delete(
    SEMINAR + "/sessions/{session_id}",
    response={204: None},
    operation_id="sessions_delete",
    openapi_extra=needs(Perm.SEMINAR_EDIT),
)
def sessions_delete(request: HttpRequest, workspace: str, seminar_id: int, session_id: int) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_EDIT)
    seminar = queries.seminar_in(access, seminar_id)
    agenda.session_delete(access=access, session=queries.child_in(seminar, Session, session_id))
    return Status(204, None)


# --- speakers ------------------------------------------------------------------------------


@router.get(
    SEMINAR + "/speakers",
    response=list[SpeakerOut],
    operation_id="speakers_list",
    openapi_extra=needs(Perm.SEMINAR_VIEW),
)
@paginate(Page)
def speakers_list(request: HttpRequest, workspace: str, seminar_id: int) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_VIEW)
    return queries.speakers_of(queries.seminar_in(access, seminar_id))


@router.post(
    SEMINAR + "/speakers",
    response={201: SpeakerOut},
    operation_id="speakers_create",
    openapi_extra=needs(Perm.SEMINAR_EDIT),
)
def speakers_create(
    request: HttpRequest, workspace: str, seminar_id: int, payload: SpeakerIn
) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_EDIT)
    seminar = queries.seminar_in(access, seminar_id)
    return Status(201, agenda.speaker_save(access=access, seminar=seminar, fields=payload.dict()))


@router.patch(
    SEMINAR + "/speakers/{speaker_id}",
    response=SpeakerOut,
    operation_id="speakers_update",
    openapi_extra=needs(Perm.SEMINAR_EDIT),
)
def speakers_update(
    request: HttpRequest, workspace: str, seminar_id: int, speaker_id: int, payload: SpeakerPatch
) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_EDIT)
    seminar = queries.seminar_in(access, seminar_id)
    speaker = queries.child_in(seminar, Speaker, speaker_id)
    return agenda.speaker_save(
        access=access, seminar=seminar, speaker=speaker, fields=payload.dict(exclude_unset=True)
    )


@router.delete(
    SEMINAR + "/speakers/{speaker_id}",
    response={204: None},
    operation_id="speakers_delete",
    openapi_extra=needs(Perm.SEMINAR_EDIT),
)
def speakers_delete(request: HttpRequest, workspace: str, seminar_id: int, speaker_id: int) -> Any:
    access = access_for(request, workspace, Perm.SEMINAR_EDIT)
    seminar = queries.seminar_in(access, seminar_id)
    agenda.speaker_delete(access=access, speaker=queries.child_in(seminar, Speaker, speaker_id))
    return Status(204, None)
