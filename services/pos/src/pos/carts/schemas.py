"""Cart and sale bodies (seed 002 /api/pos/carts)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pos.models import Cart, CartLine
from pos.types import Amount, Percent, Quantity

CustomerNumber = Field(default=None, pattern=r"^[A-Za-z]{2,5}-\d{1,10}$", max_length=40)

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
    customer_number: str | None = CustomerNumber


class AddItem(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"sku": "ITM-000123"}})

    sku: str = Field(min_length=1, max_length=80)
    quantity: Quantity = Decimal(1)
    discount_percent: Percent = Decimal(0)


class LineUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"quantity": "2", "discount_percent": "5"}}
    )

    quantity: Quantity | None = None
    discount_percent: Percent | None = None


class CartDiscount(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"discount_percent": "10"}}
    )

    discount_percent: Percent


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

    payment_method: Literal["cash", "card", "split"]
    cash_tendered: Amount | None = None
    card_amount: Amount | None = None
    customer_number: str | None = CustomerNumber


class VoidSale(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"reason": "Customer changed their mind"}}
    )

    reason: str = Field(min_length=3, max_length=2000)


class LineOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": LINE_EXAMPLE})

    line_id: int
    kind: str
    sku: str
    name: str
    item_id: uuid.UUID | None
    article_id: uuid.UUID | None
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    discount_amount: Decimal
    line_total: Decimal

    @classmethod
    def of(cls, line: CartLine) -> LineOut:
        return cls(
            line_id=line.line_no,
            kind=line.kind,
            sku=line.sku,
            name=line.name,
            item_id=line.item_id,
            article_id=line.article_id,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount_percent=line.discount_percent,
            discount_amount=line.discount_amount,
            line_total=line.line_total,
        )


class CartOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": CART_EXAMPLE})

    id: uuid.UUID
    status: str
    store_id: uuid.UUID
    register_id: uuid.UUID
    drawer_id: uuid.UUID
    cashier_id: str
    customer_number: str | None
    lines: list[LineOut]
    discount_percent: Decimal
    subtotal: Decimal
    discount_total: Decimal
    tax_rate: Decimal
    tax_total: Decimal
    total: Decimal
    currency: str
    payment_method: str | None
    cash_tendered: Decimal | None
    card_amount: Decimal | None
    cash_amount: Decimal | None
    change_due: Decimal | None
    receipt_number: str | None
    completed_at: datetime | None
    voided_at: datetime | None
    voided_by: str | None
    void_reason: str | None
    created_at: datetime

    @classmethod
    def of(cls, cart: Cart) -> CartOut:
        return cls(
            id=cart.id,
            status=cart.status,
            store_id=cart.store_id,
            register_id=cart.register_id,
            drawer_id=cart.drawer_id,
            cashier_id=cart.cashier_id,
            customer_number=cart.customer_number,
            lines=[LineOut.of(line) for line in cart.lines],
            discount_percent=cart.discount_percent,
            subtotal=cart.subtotal,
            discount_total=cart.discount_total,
            tax_rate=cart.tax_rate,
            tax_total=cart.tax_total,
            total=cart.total,
            currency=cart.currency,
            payment_method=cart.payment_method,
            cash_tendered=cart.cash_tendered,
            card_amount=cart.card_amount,
            cash_amount=cart.cash_amount,
            change_due=cart.change_due,
            receipt_number=cart.receipt_number,
            completed_at=cart.completed_at,
            voided_at=cart.voided_at,
            voided_by=cart.voided_by,
            void_reason=cart.void_reason,
            created_at=cart.created_at,
        )
