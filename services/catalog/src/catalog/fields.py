"""Field types of the catalog's request bodies and queries: catalog's own shapes (brand ids,
slugs) on top of the strict ``common.types`` and ``common.money``'s never-negative price."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import ConfigDict, Field, Strict

from common.money import Price
from common.types import Count, CurrencyCode, Flag, QueryFlag
from common.updates import PartialUpdate

__all__ = [
    "PG_INTEGER_MAX",
    "BrandId",
    "Count",
    "Currency",
    "Flag",
    "Price",
    "QueryFlag",
    "SlugRef",
    "UpdateBody",
]

PG_INTEGER_MAX = 2**31 - 1
# A PostgreSQL integer key (brands are addressed by id).
BrandId = Annotated[int, Strict(), Field(ge=1, le=PG_INTEGER_MAX)]
Currency = CurrencyCode
SlugRef = Annotated[str, Field(min_length=1, max_length=140)]


def _document_update(schema: dict[str, Any], model: type[Any]) -> None:
    """The model's ``EXAMPLE`` in its schema."""
    example = getattr(model, "EXAMPLE", None)
    if example:
        schema["example"] = example


class UpdateBody(PartialUpdate):
    """Base of catalog's PUT/PATCH bodies: ``PartialUpdate`` with an ``EXAMPLE`` for OpenAPI."""

    model_config = ConfigDict(json_schema_extra=_document_update)
    EXAMPLE: ClassVar[dict[str, Any]] = {}
