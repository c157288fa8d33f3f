"""Cart and sale bodies (seed 002 /api/pos/carts)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from common.money import Amount, Percent, Quantity
from common.updates import PartialUpdate
from pos.carts.models import CartStatus, LineKind, PaymentMethod
from pos.schema_types import (
    CustomerNumber,
    DiscountPercent,
    NonNegativeAmount,
    PositiveQuantity,
    update_example,
)

LINE_EXAMPLE: dict[str, Any] = {
    "line_id": 1,
    "kind": "unit",
    "sku": "ITM-000123",
    "name": "iPhone 13 128GB (used)",
    "item_id": "5c0e...",
    "article_id": None,
    "quantity": "1",
    "unit_price": "379.00",
    "discount_percent": "0.00",
    "discount_amount": "0.00",
    "line_total": "379.00",
}
CART_EXAMPLE: dict[str, Any] = {
    "id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a",
    "status": "completed",
    "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
    "register_id": "3c1d2f9e-8a7b-4c6d-9e5f-0a1b2c3d4e5f",
    "drawer_id": "5b7e0c1a-2d3f-4a5b-8c9d-0e1f2a3b4c5d",
    "cashier_id": "a7f3...",
    "customer_number": "CUS-000042",
    "lines": [LINE_EXAMPLE],
    "discount_percent": "0.00",
    "subtotal": "379.00",
    "discount_total": "0.00",
    "tax_rate": "0.0875",
    "tax_total": "33.16",
    "total": "412.16",
    "currency": "USD",
    "payment_method": "split",
    "cash_tendered": "120.00",
    "card_amount": "300.00",
    "cash_amount": "112.16",
    "change_due": "7.84",
    "receipt_number": "NYC-01-2026-000042",
    "completed_at": "2026-11-29T10:12:00Z",
    "voided_at": None,
    "voided_by": None,
    "void_reason": None,
    "created_at": "2026-11-29T10:10:00Z",
}


class CartCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "drawer_id": "5b7e0c1a-2d3f-4a5b-8c9d-0e1f2a3b4c5d",
                "id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a",
            }
        },
    )

    drawer_id: uuid.UUID
    id: uuid.UUID | None = Field(
        default=None,
        description="The client's own cart id: sending the same one again returns that cart "
        "(an offline client retrying never makes two)",
    )
    customer_number: CustomerNumber | None = None


class AddItem(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"sku": "ITM-000123"}})

    sku: str = Field(min_length=1, max_length=80)
    quantity: PositiveQuantity = Decimal(1)
    discount_percent: DiscountPercent = Decimal(0)


class LineUpdate(PartialUpdate):
    model_config = ConfigDict(
        json_schema_extra=update_example({"quantity": "2", "discount_percent": "5"})
    )

    quantity: PositiveQuantity | None = None
    discount_percent: DiscountPercent | None = None


class CartDiscount(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"discount_percent": "10"}}
    )

    discount_percent: DiscountPercent


class CompleteSale(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "payment_method": "split",
                "cash_tendered": "120.00",
                "card_amount": "300.00",
            }
        },
    )

    payment_method: PaymentMethod
    cash_tendered: NonNegativeAmount | None = None
    card_amount: NonNegativeAmount | None = None
    customer_number: CustomerNumber | None = None


class VoidSale(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"reason": "Customer changed their mind"}}
    )

    reason: str = Field(min_length=3, max_length=2000)


class LineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": LINE_EXAMPLE})

    line_id: int = Field(validation_alias=AliasChoices("line_no", "line_id"))
    kind: LineKind
    sku: str
    name: str
    item_id: uuid.UUID | None
    article_id: uuid.UUID | None
    quantity: Quantity
    unit_price: Amount
    discount_percent: Percent
    discount_amount: Amount
    line_total: Amount


class CartOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": CART_EXAMPLE})

    id: uuid.UUID
    status: CartStatus
    store_id: uuid.UUID
    register_id: uuid.UUID
    drawer_id: uuid.UUID
    cashier_id: str
    customer_number: str | None
    lines: list[LineOut]
    discount_percent: Percent
    subtotal: Amount
    discount_total: Amount
    tax_rate: Decimal = Field(description="A fraction: 0.0875 is 8.75 %")
    tax_total: Amount
    total: Amount
    currency: str
    payment_method: PaymentMethod | None
    cash_tendered: Amount | None
    card_amount: Amount | None
    cash_amount: Amount | None
    change_due: Amount | None
    receipt_number: str | None
    completed_at: datetime | None
    voided_at: datetime | None
    voided_by: str | None
    void_reason: str | None
    created_at: datetime
