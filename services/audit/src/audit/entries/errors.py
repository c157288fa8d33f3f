"""A bad query parameter, answered like FastAPI's own validation errors (422 naming it)."""

from __future__ import annotations

from common.errors import DomainError, Unprocessable


def query_error(name: str, message: str) -> DomainError:
    return Unprocessable(
        [{"field": name, "loc": ["query", name], "msg": message, "type": "value_error"}]
    )
