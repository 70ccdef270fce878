"""For every API operation and every role: allowed exactly as docs/roles.md says, 403 when the
role lacks the permission, 404 for someone outside the workspace; lists never show another
workspace's data."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from keryx.accounts.models import User
from keryx.accounts.roles import ROLE_PERMISSIONS, Perm, Role
from keryx.api.core import api
from keryx.api.permissions import ANY_USER, PERMISSION_KEY
from tests.api.cases import CASES, WORLD_BUILDERS, World
from tests.factories import make_member, make_seminar, make_token, make_user, make_workspace

for module in sorted(Path(__file__).resolve().parent.parent.glob("*/api_cases.py")):
    importlib.import_module(f"tests.{module.parent.name}.api_cases")

OPERATOR = "operator"


def _operations() -> dict[str, str]:
    """operation id → the permission it declares, read from the OpenAPI document."""
    schema = api.get_openapi_schema()
    found: dict[str, str] = {}
    for _path, methods in schema["paths"].items():
        for _method, operation in methods.items():
            found[operation["operationId"]] = operation.get(PERMISSION_KEY, "")
    return found


OPERATIONS = _operations()


def test_every_operation_declares_a_permission() -> None:
    undeclared = sorted(op for op, perm in OPERATIONS.items() if not perm)
    assert undeclared == []
    known = {str(p) for p in Perm} | {ANY_USER, OPERATOR}
    assert sorted(op for op, perm in OPERATIONS.items() if perm not in known) == []


def test_every_operation_has_a_case() -> None:
    assert sorted(set(OPERATIONS) - set(CASES)) == []
    assert sorted(set(CASES) - set(OPERATIONS)) == []


def _build_world() -> World:
    owner = make_user("world-owner@example.org")
    workspace = make_workspace(owner, "Κόσμος")
    world = World(workspace=workspace, owner=owner, seminar=make_seminar(workspace, owner))
    other_owner = make_user("other-owner@example.org")
    world.other_workspace = make_workspace(other_owner, "Άλλος χώρος")
    world.other_seminar = make_seminar(world.other_workspace, other_owner, title="Ξένο σεμινάριο")
    for build in WORLD_BUILDERS:
        build(world)
    return world


def _send(client: Client, method: str, path: str, body: Any) -> Any:
    kwargs: dict[str, Any] = {}
    if body is not None:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(path, **kwargs)


def _expected(perm: str, role: Role | None, *, staff: bool) -> int:
    """The class of answer: 2 (2xx), 403 or 404."""
    if perm == ANY_USER:
        return 2
    if perm == OPERATOR:
        return 2 if staff else 403
    if role is None:
        return 404
    return 2 if role in ROLE_PERMISSIONS[Perm(perm)] else 403


ACTORS = [*(r.value for r in Role), "outsider"]


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("operation_id", sorted(CASES))
def test_role_may_call_operation_exactly_as_documented(operation_id: str, actor: str) -> None:
    world = _build_world()
    if actor == "owner":
        user: User = world.owner
    elif actor == "outsider":
        user = make_user("outsider@example.org")
        make_workspace(user, "Outsider's own")
    else:
        user = make_member(world.workspace, actor)
    world.objects["acting_user"] = user
    client = Client(headers={"Authorization": f"Bearer {make_token(user)}"})
    spec = CASES[operation_id]
    response = _send(client, spec.method, spec.path(world), spec.body(world))

    expected = _expected(
        OPERATIONS[operation_id], None if actor == "outsider" else Role(actor), staff=user.is_staff
    )
    if expected == 2:
        assert 200 <= response.status_code < 300, (
            operation_id,
            actor,
            response.status_code,
            response.content[:500],
        )
    else:
        assert response.status_code == expected, (
            operation_id,
            actor,
            response.status_code,
            response.content[:500],
        )
        error = response.json()["error"]
        assert error["code"] == ("forbidden" if expected == 403 else "not_found")

    # No answer ever carries the other workspace's data.
    text = response.content.decode()
    assert world.other_seminar is not None and world.other_workspace is not None
    assert world.other_seminar.title not in text
    assert world.other_workspace.slug not in text


@pytest.mark.django_db
def test_unauthenticated_requests_get_401_with_error_shape() -> None:
    world = _build_world()
    world.objects["acting_user"] = world.owner
    for operation_id, spec in CASES.items():
        response = _send(Client(), spec.method, spec.path(world), spec.body(world))
        assert response.status_code == 401, operation_id
        assert response.json()["error"]["code"] == "unauthenticated"
