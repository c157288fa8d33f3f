"""invoicing.fields: what OpenAPI documents for a rate, a line's quantity and a payment is
exactly what validation accepts, for JSON numbers and decimal strings alike."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from invoicing.fields import LineQuantity, PaymentAmount, Rate

SAMPLES: list[Any] = [
    0, 1, 100, 101, -1, 0.5, 99.99, 100.01, 0.001,
    "0", "0.00", "-0", "-1", "1", "0.5", "0.001", "0.01", "099.5", "99.99", "100", "100.00",
    "100.01", "101", "150", "1000", "9999999999.99", "10000000000", "99999999999.999",
]  # fmt: skip


def documented(schema: dict[str, Any], value: Any) -> bool:
    """Whether the value matches one branch of the documented anyOf (number or string)."""
    number, string = schema["anyOf"]
    if isinstance(value, str):
        return re.search(string["pattern"], value) is not None
    low = value >= number["minimum"] if "minimum" in number else value > number["exclusiveMinimum"]
    high = value <= number["maximum"] if "maximum" in number else value < number["exclusiveMaximum"]
    return low and high


def accepted(adapter: TypeAdapter[Any], value: Any) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("field", [Rate, LineQuantity, PaymentAmount], ids=["rate", "qty", "pay"])
def test_the_schema_admits_exactly_what_validation_accepts(field: Any) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(field)
    schema = adapter.json_schema()
    # decimals beyond the column's places are refused without a schema word for them
    within_places = [value for value in SAMPLES if not _too_precise(field, value)]
    mismatches = [
        value for value in within_places if documented(schema, value) != accepted(adapter, value)
    ]
    assert mismatches == []


def _too_precise(field: Any, value: Any) -> bool:
    places = 3 if field is LineQuantity else 2
    text = str(value)
    return "." in text and len(text.split(".")[1]) > places


def test_bounds_are_named_in_the_error() -> None:
    with pytest.raises(ValidationError, match="less than or equal to 100"):
        TypeAdapter(Rate).validate_python("100.01")
    with pytest.raises(ValidationError, match="greater than 0"):
        TypeAdapter(LineQuantity).validate_python("0")
    with pytest.raises(ValidationError, match="at least 0"):
        TypeAdapter(PaymentAmount).validate_python(-1)
