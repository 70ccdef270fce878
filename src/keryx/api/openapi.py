"""The error responses every operation can give, declared once in the OpenAPI document
(decision 0748): 401, 403, 404, 409, 413, 422 and 429, all with the one error shape."""

from __future__ import annotations

from typing import Any

ERROR_REF = {"$ref": "#/components/schemas/Error"}
METHODS = {"get", "post", "put", "patch", "delete"}

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "description": "Stable, for programs: e.g. invalid"},
                "message": {"type": "string", "description": "For people, in their language"},
                "fields": {
                    "type": "object",
                    "description": "Messages per field, e.g. personas[0].name",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                "data": {
                    "type": "object",
                    "description": "Facts a client needs, when there are any (e.g. the "
                    "current revision on 409 stale_revision)",
                    "additionalProperties": True,
                },
            },
        }
    },
}

DESCRIPTIONS = {
    "401": "No valid API token or session",
    "403": "Your role in this workspace does not allow this",
    "404": "Not found (or not in this workspace)",
    "409": "Conflicts with the current state (changed meanwhile, confirmation needed, …)",
    "413": "The request body is larger than 10 MiB",
    "422": "Some fields are not valid; nothing was saved",
    "429": "Too many requests; wait Retry-After seconds",
}


def _response(code: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": ERROR_REF}},
    }
    if code == "429":
        response["headers"] = {
            "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
        }
    return response


def declare_errors(document: dict[str, Any]) -> dict[str, Any]:
    document.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code in DESCRIPTIONS:
                responses.setdefault(code, _response(code))
    return document
