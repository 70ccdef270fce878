"""Probe finding 10: every operation of the OpenAPI document declares its error responses
with the one error shape."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ERRORS = {"401", "403", "404", "409", "413", "422", "429"}
METHODS = {"get", "post", "put", "patch", "delete"}


def test_every_operation_declares_the_error_responses_with_the_error_shape() -> None:
    document = Client().get("/api/openapi.json").json()
    shape = document["components"]["schemas"]["Error"]
    assert shape["required"] == ["error"]
    assert set(shape["properties"]["error"]["properties"]) == {"code", "message", "fields", "data"}
    operations = [
        (path, method, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]
    assert len(operations) > 100
    missing = [
        f"{method.upper()} {path} {code}"
        for path, method, op in operations
        for code in ERRORS
        if op["responses"]
        .get(code, {})
        .get("content", {})
        .get("application/json", {})
        .get("schema")
        != {"$ref": "#/components/schemas/Error"}
    ]
    assert missing == []
    assert "Retry-After" in document["paths"]["/api/v1/me"]["get"]["responses"]["429"]["headers"]
