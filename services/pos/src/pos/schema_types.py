"""Field types the request bodies share: ``common.money``'s types with the bounds POS puts on
them, a count by denomination, a customer number, and strict scalars: ``0``/``1`` are no
booleans, ``false`` is no integer, and a date is written ``YYYY-MM-DD`` (``0`` or ``0.5``
would otherwise be read as a timestamp: 1970-01-01)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, Strict

from common.money import Amount, Percent, Quantity
from common.updates import PartialUpdate

NonNegativeAmount = Annotated[Amount, Field(ge=0)]
PositiveAmount = Annotated[Amount, Field(gt=0)]
PositiveQuantity = Annotated[Quantity, Field(gt=0)]
DiscountPercent = Annotated[Percent, Field(ge=0, le=100)]
Count = Annotated[int, Strict(), Field(ge=0)]
Denominations = Annotated[
    dict[str, Count],
    Field(description='Count per denomination, e.g. {"20.00": 5, "0.25": 40}'),
]
CustomerNumber = Annotated[str, Field(pattern=r"^[A-Za-z]{2,5}-\d{1,10}$", max_length=40)]
StrictBool = Annotated[bool, Strict()]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("must be a date written YYYY-MM-DD, e.g. 2026-11-29")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def update_example(example: dict[str, Any]) -> Any:
    """``json_schema_extra`` for a ``PartialUpdate`` body: its example, and the document of
    which fields take ``null`` that ``PartialUpdate`` writes (a subclass's own
    ``json_schema_extra`` would replace it)."""
    document_nulls: Any = PartialUpdate.model_config.get("json_schema_extra")

    def extra(schema: dict[str, Any], model: type[BaseModel]) -> None:
        if callable(document_nulls):
            document_nulls(schema, model)
        schema["example"] = example

    return extra
