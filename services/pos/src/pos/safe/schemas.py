"""Safe bodies (seed 002 /api/pos/supplemental): draw, return, audit, status, transactions."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pos.models import SafeTransaction
from pos.types import Amount, PositiveAmount

SafeKind = Literal["drop", "draw", "return", "audit", "bank_deposit", "change_pickup"]

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
    counted_amount: Amount
    note: str = Field(default="", max_length=2000)


class SafeTransactionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": TRANSACTION_EXAMPLE})

    id: int
    store_id: uuid.UUID
    kind: str
    amount: Decimal = Field(description="Signed: + into the safe, - out of it")
    balance_after: Decimal
    counted_amount: Decimal | None
    variance: Decimal | None = Field(description="Audits: counted - expected")
    drawer_id: uuid.UUID | None
    bank_transaction_id: uuid.UUID | None
    actor: str
    note: str
    created_at: datetime

    @classmethod
    def of(cls, row: SafeTransaction) -> SafeTransactionOut:
        return cls.model_validate(row, from_attributes=True)


class SafeMovementOut(SafeTransactionOut):
    model_config = ConfigDict(
        json_schema_extra={"example": {**TRANSACTION_EXAMPLE, "drawer_expected_amount": "200.00"}}
    )

    drawer_expected_amount: Decimal | None = Field(
        description="The cash the drawer should hold after the movement (null without a drawer)"
    )

    @classmethod
    def with_drawer(cls, row: SafeTransaction, expected: Decimal | None) -> SafeMovementOut:
        return cls(**SafeTransactionOut.of(row).model_dump(), drawer_expected_amount=expected)


class SafeAuditOut(BaseModel):
    model_config = ConfigDict(
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
        }
    )

    id: int
    store_id: uuid.UUID
    expected_amount: Decimal = Field(description="The balance before the count")
    counted_amount: Decimal
    variance: Decimal = Field(description="counted - expected")
    balance_after: Decimal = Field(description="The count: the safe now holds it")
    actor: str
    note: str
    created_at: datetime

    @classmethod
    def of(cls, row: SafeTransaction) -> SafeAuditOut:
        assert row.counted_amount is not None and row.variance is not None
        return cls(
            id=row.id,
            store_id=row.store_id,
            expected_amount=row.counted_amount - row.variance,
            counted_amount=row.counted_amount,
            variance=row.variance,
            balance_after=row.balance_after,
            actor=row.actor,
            note=row.note,
            created_at=row.created_at,
        )


class LastAudit(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "at": "2026-11-28T18:00:00Z",
                "counted_amount": "447.50",
                "variance": "-2.50",
            }
        }
    )

    at: datetime
    counted_amount: Decimal
    variance: Decimal

    @classmethod
    def of(cls, row: SafeTransaction) -> LastAudit:
        assert row.counted_amount is not None and row.variance is not None
        return cls(at=row.created_at, counted_amount=row.counted_amount, variance=row.variance)


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
    balance: Decimal
    last_audit: LastAudit | None
    transactions_today: int = Field(description="Movements since midnight, store time")
