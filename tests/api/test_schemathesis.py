"""Schemathesis over the whole OpenAPI document, in process, with an owner's token: no
operation answers a server error, whatever valid-looking input it gets (issue 15, decision
0749). Bounded: three examples per operation (derandomized), no shrinking: about two minutes
on 2 busy cores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings

from tests.factories import make_token

pytestmark = pytest.mark.django_db

EXAMPLES = 3
# Operations that would reach another server (network sign-in checks, publishing now): they
# have their own tests against recorded payloads and local servers.
OUTBOUND = {
    "network_accounts_connect",
    "network_accounts_check",
}


@pytest.fixture
def in_process() -> Iterator[Any]:
    """The WSGI application, called in this thread inside the test's transaction (as
    Django's test client does, request signals must not close the connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_operation_answers_a_server_error(in_process, user, workspace, seminar) -> None:  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", in_process)
    headers = {"Authorization": f"Bearer {make_token(user)}"}
    server_errors: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.definition.raw.get("operationId") in OUTBOUND:
            continue
        operations += 1

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            if "workspace" in (case.path_parameters or {}):
                case.path_parameters["workspace"] = workspace.slug  # reach real rows too
            if "seminar_id" in (case.path_parameters or {}):
                case.path_parameters["seminar_id"] = seminar.pk
            response = case.call(headers=headers)
            if response.status_code >= 500:
                server_errors.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:200]} | body={str(case.body)[:200]!r} "
                    f"query={case.query!r}"
                )

        check()
    assert operations > 100
    assert server_errors == [], "\n".join(server_errors)
