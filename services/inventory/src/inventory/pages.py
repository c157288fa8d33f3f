"""One page of a listing shaped by its response model (``common.pagination`` does the rest)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from common.pagination import Page, PageParams, make_page

Out = TypeVar("Out", bound=BaseModel)


def page_of(schema: type[Out], found: tuple[int, Sequence[Any]], params: PageParams) -> Page[Out]:
    """``found`` is what a service's listing returns: the total count and the page's rows."""
    count, rows = found
    return make_page(count, [schema.model_validate(row) for row in rows], params)
