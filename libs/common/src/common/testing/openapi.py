"""What a service's documentation test checks: examples on every route, the shared error answers."""

from __future__ import annotations

from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")
JSON = "application/json"


def _component(document: dict[str, Any], ref: str) -> tuple[str, dict[str, Any]]:
    """``#/components/schemas/LocationOut`` → ``("LocationOut", {...})``."""
    name = ref.rsplit("/", 1)[-1]
    schema: dict[str, Any] = document["components"]["schemas"][name]
    return name, schema


def _has_example(schema: dict[str, Any]) -> bool:
    return "example" in schema or bool(schema.get("examples"))


def _refs(schema: dict[str, Any]) -> list[str]:
    """The component refs a schema points at: itself, or the members of anyOf/oneOf/allOf."""
    if "$ref" in schema:
        return [schema["$ref"]]
    refs: list[str] = []
    for key in ("anyOf", "oneOf", "allOf"):
        for member in schema.get(key, []):
            if "$ref" in member:
                refs.append(member["$ref"])
    return refs


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _request_failures(document: dict[str, Any], route: str, operation: dict[str, Any]) -> list[str]:
    media = operation.get("requestBody", {}).get("content", {}).get(JSON)
    if media is None:
        return []
    if _has_example(media):
        return []
    schema = media.get("schema", {})
    if _has_example(schema):
        return []
    refs = _refs(schema)
    if not refs:
        return [f"{route}: JSON request body has no example (inline schema)"]
    return [
        f"{route}: request schema {name} has no example"
        for name, component in (_component(document, ref) for ref in refs)
        if not _has_example(component)
    ]


def _response_failures(
    document: dict[str, Any], route: str, operation: dict[str, Any]
) -> list[str]:
    failures: list[str] = []
    for status, response in operation.get("responses", {}).items():
        if not str(status).startswith("2"):
            continue
        media = response.get("content", {}).get(JSON)
        if media is None or _has_example(media):
            continue
        for ref in _refs(media.get("schema", {})):
            name, component = _component(document, ref)
            results = component.get("properties", {}).get("results", {})
            items = results.get("items", {}) if results.get("type") == "array" else {}
            if "$ref" in items:  # a Page[...]: the example belongs on the listed model
                name, component = _component(document, items["$ref"])
            if not _has_example(component):
                failures.append(f"{route}: {status} response schema {name} has no example")
    return failures


def undocumented(document: dict[str, Any]) -> list[str]:
    """Every /api/ operation without a summary, a request example or a 2xx response example
    (a paginated response's example belongs on the listed model)."""
    failures: list[str] = []
    for method, path, operation in _operations(document):
        if not path.startswith("/api/"):
            continue
        route = f"{method} {path}"
        if not operation.get("summary"):
            failures.append(f"{route}: no summary")
        failures += _request_failures(document, route, operation)
        failures += _response_failures(document, route, operation)
    return failures


def _expected_errors(operation: dict[str, Any]) -> set[str]:
    """The shared answers an operation must declare, judged from the document alone."""
    expected = {"422", "500"}
    if any(parameter.get("in") == "path" for parameter in operation.get("parameters", [])):
        expected.add("404")
    if operation.get("requestBody"):
        expected.add("413")
    if operation.get("security"):
        expected.add("401")
    return expected


def missing_error_responses(document: dict[str, Any]) -> list[str]:
    """Every operation lacking a shared error answer (``common.openapi``) with a JSON schema,
    or still declaring FastAPI's ``HTTPValidationError`` (not the shape our 422 has)."""
    failures: list[str] = []
    for method, path, operation in _operations(document):
        responses = operation.get("responses", {})
        for status in sorted(_expected_errors(operation)):
            schema = responses.get(status, {}).get("content", {}).get(JSON, {}).get("schema")
            if not schema:
                failures.append(f"{method} {path}: no {status} response with a JSON schema")
            elif "HTTPValidationError" in str(schema):
                failures.append(f"{method} {path}: {status} declares FastAPI's HTTPValidationError")
    return failures
