"""Drawer bodies (seed 002 /api/pos/drawers): open, close, handoff, drop."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from common.errors import Unprocessable
from common.money import Amount
from pos.cash.models import DrawerStatus, MovementKind
from pos.schema_types import Denominations, NonNegativeAmount, PositiveAmount

DRAWER_EXAMPLE: dict[str, Any] = {
    "id": "5b7e0c1a-2d3f-4a5b-8c9d-0e1f2a3b4c5d",
    "register_id": "3c1d2f9e-8a7b-4c6d-9e5f-0a1b2c3d4e5f",
    "register_code": "REG-1",
    "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
    "cashier_id": "a7f3...",
    "status": "closed",
    "opening_amount": "150.00",
    "opening_denominations": {"20.00": 5, "10.00": 5},
    "opened_at": "2026-11-29T09:00:00Z",
    "expected_amount": "412.50",
    "counted_amount": "410.00",
    "counted_denominations": {},
    "variance": "-2.50",
    "closed_at": "2026-11-29T17:30:00Z",
    "closed_by": "a7f3...",
    "handed_off_to_id": None,
    "notes": "",
}


def _settled(amount: Decimal | None, name: str) -> Decimal:
    if amount is None:  # the validator settles it; a body built around it is refused
        raise Unprocessable(f"{name} is required (or its denominations)")
    return amount


def _denominations_total(denominations: dict[str, int]) -> Decimal:
    total = Decimal("0")
    for value, count in denominations.items():
        try:
            face = Decimal(value)
        except ArithmeticError as exc:
            raise ValueError(f"denomination {value!r} is not an amount") from exc
        if not face.is_finite() or face <= 0:
            raise ValueError(f"denomination {value!r} is not a positive amount")
        total += face * count
    return total


class _Count(BaseModel):
    """An amount, a count by denomination, or both (then they must agree)."""

    @staticmethod
    def settle(amount: Decimal | None, denominations: dict[str, int], name: str) -> Decimal:
        """The amount, or the denominations' total when it is not given; both must agree."""
        if denominations:
            counted = _denominations_total(denominations)
            if amount is None:
                return counted.quantize(Decimal("0.01"))
            if counted != amount:
                raise ValueError(
                    f"{name} {amount:.2f} does not match its denominations ({counted:.2f})"
                )
        if amount is None:
            raise ValueError(f"{name} is required (or its denominations)")
        return amount


class DrawerOpen(_Count):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "register_id": "3c1d2f9e-8a7b-4c6d-9e5f-0a1b2c3d4e5f",
                "opening_amount": "150.00",
                "opening_denominations": {"20.00": 5, "10.00": 5},
            }
        },
    )

    register_id: uuid.UUID
    opening_amount: NonNegativeAmount | None = None
    opening_denominations: Denominations = Field(default_factory=dict)
    notes: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _agree(self) -> DrawerOpen:
        self.opening_amount = self.settle(
            self.opening_amount, self.opening_denominations, "opening_amount"
        )
        return self

    @property
    def opening(self) -> Decimal:
        """The opening cash (settled from the denominations when not given)."""
        return _settled(self.opening_amount, "opening_amount")


class DrawerClose(_Count):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"counted_amount": "410.00", "notes": "Short 2.50"}},
    )

    counted_amount: NonNegativeAmount | None = None
    counted_denominations: Denominations = Field(default_factory=dict)
    notes: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _agree(self) -> DrawerClose:
        self.counted_amount = self.settle(
            self.counted_amount, self.counted_denominations, "counted_amount"
        )
        return self

    @property
    def counted(self) -> Decimal:
        """The counted cash (settled from the denominations when not given)."""
        return _settled(self.counted_amount, "counted_amount")


class DrawerHandoff(DrawerClose):
    """The outgoing cashier's count; the incoming cashier's drawer opens with that cash."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"counted_amount": "298.40", "incoming_cashier_id": "b81c..."}
        },
    )

    incoming_cashier_id: str = Field(min_length=1, max_length=64)


class DrawerDrop(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"amount": "200.00", "note": "Midday drop"}}
    )

    amount: PositiveAmount
    note: str = Field(default="", max_length=2000)


class MovementOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": 17,
                "kind": "cash_sale",
                "amount": "40.00",
                "sale_id": "9e8d...",
                "actor": "a7f3...",
                "note": "",
                "created_at": "2026-11-29T10:12:00Z",
            }
        },
    )

    id: int
    kind: MovementKind
    amount: Amount
    sale_id: uuid.UUID | None
    actor: str
    note: str
    created_at: datetime


class DrawerOut(BaseModel):
    """A drawer with its register's code; ``expected_amount`` is the cash an open drawer
    should hold now, a closed one's at its close."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": DRAWER_EXAMPLE})

    id: uuid.UUID
    register_id: uuid.UUID
    register_code: str
    store_id: uuid.UUID
    cashier_id: str
    status: DrawerStatus
    opening_amount: Amount
    opening_denominations: dict[str, int]
    opened_at: datetime
    expected_amount: Amount | None = Field(
        description="Open drawer: the cash it should hold now; closed: at the close"
    )
    counted_amount: Amount | None
    counted_denominations: dict[str, int]
    variance: Amount | None = Field(description="counted - expected")
    closed_at: datetime | None
    closed_by: str | None
    handed_off_to_id: uuid.UUID | None
    notes: str


class HandoffOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {"closed": DRAWER_EXAMPLE, "opened": {**DRAWER_EXAMPLE, "status": "open"}}
        }
    )

    closed: DrawerOut
    opened: DrawerOut
