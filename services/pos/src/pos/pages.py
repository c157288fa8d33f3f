"""One page of a listing shaped by its response model (``from_attributes``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from common.pagination import Page, PageParams, make_page

M = TypeVar("M", bound=BaseModel)


def page_of(model: type[M], found: tuple[int, Sequence[Any]], params: PageParams) -> Page[M]:
    """``found`` is a service's (count, rows of the page)."""
    count, rows = found
    return make_page(count, [model.model_validate(row) for row in rows], params)
