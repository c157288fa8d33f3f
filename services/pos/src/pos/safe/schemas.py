"""Safe bodies (seed 002 /api/pos/supplemental): draw, return, audit, status, transactions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from common.money import Amount
from pos.cash.models import SafeKind
from pos.schema_types import NonNegativeAmount, PositiveAmount

STORE_EXAMPLE = "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10"
DRAWER_EXAMPLE = "5b7e0c1a-2d3f-4a5b-8c9d-0e1f2a3b4c5d"
TRANSACTION_EXAMPLE: dict[str, Any] = {
    "id": 42,
    "store_id": STORE_EXAMPLE,
    "kind": "draw",
    "amount": "-50.00",
    "balance_after": "450.00",
    "counted_amount": None,
    "variance": None,
    "drawer_id": DRAWER_EXAMPLE,
    "bank_transaction_id": None,
    "actor": "head-1",
    "note": "Change for register 2",
    "created_at": "2026-11-29T11:00:00Z",
}


class SafeMovementIn(BaseModel):
    """Cash between the safe and, optionally, an open drawer of the same store."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "store_id": STORE_EXAMPLE,
                "amount": "50.00",
                "drawer_id": DRAWER_EXAMPLE,
                "note": "Change for register 2",
            }
        },
    )

    store_id: uuid.UUID
    amount: PositiveAmount
    drawer_id: uuid.UUID | None = Field(
        default=None, description="An open drawer of the store the cash goes into or comes from"
    )
    note: str = Field(default="", max_length=2000)


class SafeAuditIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"store_id": STORE_EXAMPLE, "counted_amount": "447.50", "note": "Close"}
        },
    )

    store_id: uuid.UUID
    counted_amount: NonNegativeAmount
    note: str = Field(default="", max_length=2000)


class SafeTransactionOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"example": TRANSACTION_EXAMPLE}
    )

    id: int
    store_id: uuid.UUID
    kind: SafeKind
    amount: Amount = Field(description="Signed: + into the safe, - out of it")
    balance_after: Amount
    counted_amount: Amount | None
    variance: Amount | None = Field(description="Audits: counted - expected")
    drawer_id: uuid.UUID | None
    bank_transaction_id: uuid.UUID | None
    actor: str
    note: str
    created_at: datetime


class SafeMovementOut(SafeTransactionOut):
    model_config = ConfigDict(
        json_schema_extra={"example": {**TRANSACTION_EXAMPLE, "drawer_expected_amount": "200.00"}}
    )

    drawer_expected_amount: Amount | None = Field(
        description="The cash the drawer should hold after the movement (null without a drawer)"
    )


class SafeAuditOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": 43,
                "store_id": STORE_EXAMPLE,
                "expected_amount": "450.00",
                "counted_amount": "447.50",
                "variance": "-2.50",
                "balance_after": "447.50",
                "actor": "head-1",
                "note": "Close",
                "created_at": "2026-11-29T18:00:00Z",
            }
        },
    )

    id: int
    store_id: uuid.UUID
    expected_amount: Amount = Field(description="The balance before the count")
    counted_amount: Amount
    variance: Amount = Field(description="counted - expected")
    balance_after: Amount = Field(description="The count: the safe now holds it")
    actor: str
    note: str
    created_at: datetime


class LastAudit(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "at": "2026-11-28T18:00:00Z",
                "counted_amount": "447.50",
                "variance": "-2.50",
            }
        },
    )

    at: datetime = Field(validation_alias=AliasChoices("created_at", "at"))
    counted_amount: Amount
    variance: Amount


class SafeStatus(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "store_id": STORE_EXAMPLE,
                "balance": "450.00",
                "last_audit": {
                    "at": "2026-11-28T18:00:00Z",
                    "counted_amount": "447.50",
                    "variance": "-2.50",
                },
                "transactions_today": 3,
            }
        }
    )

    store_id: uuid.UUID
    balance: Amount
    last_audit: LastAudit | None
    transactions_today: int = Field(description="Movements since midnight, store time")
