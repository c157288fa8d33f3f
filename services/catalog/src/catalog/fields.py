"""Field types the catalog's request bodies and queries share: strict, and documented as they are.

- ``Flag`` / ``Count``: JSON booleans and integers only (``0``/``1`` is not a boolean,
  ``false`` is not a number, ``"5"`` is not a number): pydantic's lax mode would store
  ``rank: false`` as 0 and ``is_active: 0`` as false.
- ``QueryFlag``: a query-string boolean, ``true`` or ``false`` only (not ``1``/``yes``/``on``).
- ``Price``: ``common.money.Amount`` that is never negative, documented with its pattern.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, ConfigDict, Field, Strict, WithJsonSchema

from common.money import Amount
from common.updates import PartialUpdate

Flag = Annotated[bool, Strict()]
Count = Annotated[int, Strict()]
PG_INTEGER_MAX = 2**31 - 1
# A PostgreSQL integer key (brands are addressed by id).
BrandId = Annotated[int, Strict(), Field(ge=1, le=PG_INTEGER_MAX)]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["USD"])]
SlugRef = Annotated[str, Field(min_length=1, max_length=140)]

_PRICE_PATTERN = r"^\d{1,10}(\.\d{1,2})?$"
Price = Annotated[
    Amount,
    Field(ge=0),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "exclusiveMaximum": 10_000_000_000},
                {"type": "string", "pattern": _PRICE_PATTERN},
            ],
            "examples": ["12.50"],
        },
        mode="validation",
    ),
    WithJsonSchema(
        {"type": "string", "pattern": _PRICE_PATTERN, "examples": ["12.50"]}, mode="serialization"
    ),
]


def _true_or_false(value: Any) -> Any:
    if isinstance(value, str):
        if value.lower() == "true":
            return True
        if value.lower() == "false":
            return False
        raise ValueError("must be true or false")
    return value


QueryFlag = Annotated[bool, BeforeValidator(_true_or_false)]


def _document_update(schema: dict[str, Any], model: type[Any]) -> None:
    """PartialUpdate's own documentation of nulls, then the model's ``EXAMPLE``."""
    document_nulls: Any = PartialUpdate.model_config.get("json_schema_extra")
    if callable(document_nulls):
        document_nulls(schema, model)
    example = getattr(model, "EXAMPLE", None)
    if example:
        schema["example"] = example


class UpdateBody(PartialUpdate):
    """Base of catalog's PUT/PATCH bodies: ``PartialUpdate`` with an ``EXAMPLE`` for OpenAPI
    (a subclass's own ``json_schema_extra`` would replace PartialUpdate's null documentation)."""

    model_config = ConfigDict(json_schema_extra=_document_update)
    EXAMPLE: ClassVar[dict[str, Any]] = {}
