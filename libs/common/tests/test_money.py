"""common.money: one rounding rule, one wire format, floats refused, truthful schemas."""

from __future__ import annotations

import decimal
import threading
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from common.money import (
    Amount,
    Money,
    Percent,
    Quantity,
    install_decimal_context,
    minor_units,
    percent_of,
    round_money,
    to_wire,
)


class Line(BaseModel):
    price: Amount
    quantity: Quantity = Decimal(1)
    discount: Percent = Decimal(0)


def test_ties_round_half_up_to_the_currency_minor_unit() -> None:
    assert round_money(Decimal("0.005")) == Decimal("0.01")
    assert round_money(Decimal("0.015")) == Decimal("0.02")  # half-even would give 0.02 too
    assert round_money(Decimal("0.025")) == Decimal("0.03")  # half-even would give 0.02
    assert round_money(Decimal("-0.005")) == Decimal("-0.01")
    assert round_money(Decimal("2.5"), "JPY") == Decimal("3")
    assert round_money(Decimal("1.0005"), "KWD") == Decimal("1.001")
    assert minor_units("usd") == 2 and minor_units("JPY") == 0


def test_wire_format_writes_every_decimal_of_the_currency() -> None:
    assert to_wire(Decimal("12.5")) == "12.50"
    assert to_wire(Decimal("3")) == "3.00"
    assert to_wire(Decimal("1999"), "JPY") == "1999"
    assert Money(Decimal("1.234")).wire() == "1.23"


def test_percent_of_rounds_once() -> None:
    assert percent_of(Decimal("19.99"), Decimal("15")) == Decimal("3.00")  # 2.9985


def test_money_refuses_floats_and_mixed_currencies() -> None:
    with pytest.raises(TypeError):
        Money(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cannot mix"):
        Money(Decimal(1), "USD") + Money(Decimal(1), "EUR")
    assert (Money(Decimal("1.10")) + Money(Decimal("2.20"))).amount == Decimal("3.30")
    assert Money(Decimal("19.99")).times(Decimal(3)).amount == Decimal("59.97")


def test_float_operation_is_trapped_in_new_threads_too() -> None:
    install_decimal_context()
    with pytest.raises(decimal.FloatOperation):
        Decimal(float("1.1"))
    failures: list[BaseException] = []

    def in_thread() -> None:
        try:
            Decimal("1") < 1.5  # noqa: B015 - the comparison itself must raise
        except decimal.FloatOperation as exc:
            failures.append(exc)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert len(failures) == 1


def test_amount_accepts_strings_and_numbers_and_serialises_as_string() -> None:
    install_decimal_context()
    line = Line.model_validate_json('{"price": 12.5, "quantity": "2", "discount": "7.5"}')
    assert line.price == Decimal("12.50") and line.quantity == Decimal("2.000")
    assert line.model_dump(mode="json") == {
        "price": "12.50",
        "quantity": "2.000",
        "discount": "7.50",
    }


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('"12.505"', "at most 2 decimals"),
        ("12.345", "more than 2 decimals"),
        ('"abc"', "decimal like"),
        ('"NaN"', "decimal like"),
        ("true", "not a boolean"),
        ("1e30", r"less than 10\^10"),
        ('"12345678901"', "decimal like"),
        ("null", "number or a decimal string"),
    ],
)
def test_amount_refuses_what_the_column_cannot_hold(value: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem) as caught:
        Line.model_validate_json(f'{{"price": {value}}}')
    assert caught.value.errors()[0]["loc"] == ("price",)


def test_amount_schema_states_the_pattern() -> None:
    schema = Line.model_json_schema()["properties"]["price"]
    string = next(option for option in schema["anyOf"] if option["type"] == "string")
    assert string["pattern"] == r"^-?\d{1,10}(\.\d{1,2})?$"
    out = Line.model_json_schema(mode="serialization")["properties"]["price"]
    assert out["type"] == "string"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False))
def test_rounding_moves_at_most_half_a_cent(value: Decimal) -> None:
    rounded = round_money(value)
    assert abs(rounded - value) <= Decimal("0.005")
    assert rounded == round_money(rounded)
