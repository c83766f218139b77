"""The API schema states the errors every endpoint can answer, so that clients (and the schema fuzzing in the
tests) can rely on it: 401 without a valid token, 403 when the gate refuses an action on something the caller
may see, 404 for what the caller may not see (or that does not exist — the two are never told apart), 400 for
invalid input, 429 when throttled, 503 when the database is unavailable (retry later)."""

from __future__ import annotations

from typing import Any

PROBLEM = {
    "type": "object",
    "description": "What went wrong, in words for people.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION = {
    "type": "object",
    "description": "Invalid input: each field (or `non_field_errors`) with its messages.",
    "additionalProperties": True,
}
ERRORS = {
    "401": ("Missing, expired or unknown token.", "Problem"),
    "403": ("The caller's role does not allow this action.", "Problem"),
    "404": ("No such object, or not visible to the caller.", "Problem"),
    "429": ("Too many requests: slow down.", "Problem"),
    "503": ("The database is unavailable: nothing was saved; try again.", "Problem"),
}
WRITES = {"post", "put", "patch", "delete"}


def document_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: add the standard error answers to every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Problem", PROBLEM)
    schemas.setdefault("ValidationProblem", VALIDATION)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, (description, component) in ERRORS.items():
                if status == "404" and "{" not in path and method not in WRITES:
                    continue  # a list or a fixed resource has nothing to be missing
                responses.setdefault(status, _response(description, component))
            if method in WRITES or operation.get("parameters"):
                responses.setdefault("400", _response("Invalid input.", "ValidationProblem"))
    return result


def _response(description: str, component: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }
