"""Typed helpers for OpenAPI documentation on routes."""

from __future__ import annotations

from typing import Any

Responses = dict[int | str, dict[str, Any]]


def described(**codes: str) -> Responses:
    """``described(r404="No such store", r409="Code taken")`` → FastAPI's ``responses`` mapping."""
    return {int(code.lstrip("r")): {"description": text} for code, text in codes.items()}
