"""Where a NUL character hides in a request: the query string, a JSON body, a urlencoded form.

PostgreSQL stores no NUL in ``text`` ("invalid byte sequence") nor ``\\u0000`` in
``jsonb``, so a NUL that reached a query would be a 500. Each finder returns the
offending fields in the shape of a validation error (``common.errors``), so
``common.bodies`` can refuse the request with 422 before any route runs. A
scan costs one substring search when the request is clean.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from common.errors import field_entry

NUL = "\x00"
NUL_ERROR_TYPE = "string_nul_character"
NUL_MESSAGE = "must not contain a NUL character (\\u0000)"
# At most this many fields are named in one answer.
MAX_REPORTED = 20


def _nul_at(loc: list[str]) -> dict[str, Any]:
    return field_entry(loc, NUL_MESSAGE, NUL_ERROR_TYPE)


def _printable(name: str) -> str:
    """A key that itself holds a NUL, as it can be shown in an answer."""
    return name.replace(NUL, "\\u0000")


def _pairs_with_nul(encoded: str, location: str) -> list[dict[str, Any]]:
    errors = []
    for name, value in parse_qsl(encoded, keep_blank_values=True):
        if NUL in name or NUL in value:
            errors.append(_nul_at([location, _printable(name)]))
    return errors[:MAX_REPORTED]


def nul_in_query(query_string: bytes) -> list[dict[str, Any]]:
    """Query parameters whose name or value decodes to a NUL (``?search=a%00b``)."""
    if b"%00" not in query_string and b"\x00" not in query_string:
        return []
    # Starlette decodes the query string the same way (latin-1, then percent-decoding).
    return _pairs_with_nul(query_string.decode("latin-1"), "query")


def nul_in_form(body: bytes) -> list[dict[str, Any]]:
    """Fields of an ``application/x-www-form-urlencoded`` body holding a NUL."""
    if b"%00" not in body and b"\x00" not in body:
        return []
    return _pairs_with_nul(body.decode("latin-1"), "body")


def nul_in_json(body: bytes) -> list[dict[str, Any]]:
    """Strings and object keys of a JSON body holding a NUL, at any depth.

    A body that is not JSON is left alone: the route's own parsing refuses it.
    """
    if b"\\u0000" not in body and b"\x00" not in body:
        return []
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return []
    return _walk(document)


def _walk(document: Any) -> list[dict[str, Any]]:
    """Depth-first without recursion (a hostile body may nest thousands of levels)."""
    errors: list[dict[str, Any]] = []
    stack: list[tuple[Any, list[str]]] = [(document, ["body"])]
    while stack and len(errors) < MAX_REPORTED:
        value, loc = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                errors.append(_nul_at(loc))
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                child = [*loc, _printable(key)]
                if NUL in key:
                    errors.append(_nul_at(child))
                stack.append((item, child))
        elif isinstance(value, list):
            stack.extend(
                (item, [*loc, str(index)]) for index, item in reversed(list(enumerate(value)))
            )
    return errors[:MAX_REPORTED]
