"""Consignment agreement bodies (seed 002 /api/consignment/agreements): the consignee's share
(flat, or tiers by sale price), per-category overrides, the term, minimum payout, fee."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from common.money import Amount
from common.updates import Nullable, PartialUpdate
from pos.consignment.models import AgreementStatus
from pos.consignment.terms import tier_problem
from pos.schema_types import DiscountPercent, IsoDate, NonNegativeAmount, update_example

SharePercent = Annotated[DiscountPercent, Field(description="0 to 100")]
Category = Annotated[str, Field(min_length=1, max_length=140)]

EXAMPLE_TIERS: Any = [
    {"min_price": "0.00", "max_price": "100.00", "share_percent": "50.00"},
    {"min_price": "100.00", "max_price": None, "share_percent": "60.00"},
]


class Tier(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_price: NonNegativeAmount = Field(description="From this sale price (inclusive)")
    max_price: NonNegativeAmount | None = Field(
        default=None, description="Up to this sale price (exclusive); null on the last tier"
    )
    share_percent: SharePercent


def _terms_problem(
    tiers: list[Tier] | None, starts_on: date | None, expires_on: date | None
) -> str | None:
    if tiers:
        problem = tier_problem([tier.model_dump() for tier in tiers])
        if problem:
            return problem
    if starts_on is not None and expires_on is not None and expires_on < starts_on:
        return f"expires_on: {expires_on} is before starts_on {starts_on}"
    return None


class AgreementIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "consignee_id": "42",
                "share_percent": "50.00",
                "tiers": EXAMPLE_TIERS,
                "category_shares": {"Guitars": "65.00"},
                "starts_on": "2026-11-01",
                "expires_on": "2027-10-31",
                "minimum_payout": "25.00",
                "fee_per_item": "2.00",
            }
        },
    )

    consignee_id: str = Field(min_length=1, max_length=64)
    share_percent: SharePercent = Field(description="The share when no tier or category applies")
    tiers: list[Tier] = Field(default_factory=list, max_length=20)
    category_shares: dict[Category, SharePercent] = Field(default_factory=dict, max_length=100)
    starts_on: IsoDate
    expires_on: IsoDate | None = None
    minimum_payout: NonNegativeAmount = Decimal("0.00")
    fee_per_item: NonNegativeAmount = Decimal("0.00")
    notes: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _terms(self) -> AgreementIn:
        problem = _terms_problem(self.tiers, self.starts_on, self.expires_on)
        if problem:
            raise ValueError(problem)
        return self


class AgreementUpdate(PartialUpdate):
    """Editing an active agreement writes a new version (the answer); items keep theirs."""

    model_config = ConfigDict(json_schema_extra=update_example({"share_percent": "55.00"}))

    share_percent: SharePercent | None = None
    tiers: list[Tier] | None = Field(default=None, max_length=20)
    category_shares: dict[Category, SharePercent] | None = Field(default=None, max_length=100)
    starts_on: IsoDate | None = None
    expires_on: Nullable[IsoDate] = None
    minimum_payout: NonNegativeAmount | None = None
    fee_per_item: NonNegativeAmount | None = None
    notes: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _terms(self) -> AgreementUpdate:
        problem = _terms_problem(self.tiers, self.starts_on, self.expires_on)
        if problem:
            raise ValueError(problem)
        return self


class AgreementOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "2f4c6e80-9a1b-4c2d-8e3f-4a5b6c7d8e9f",
                "number": "7a1c6e80-9a1b-4c2d-8e3f-4a5b6c7d8e00",
                "version": 2,
                "consignee_id": "42",
                "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
                "status": "active",
                "share_percent": "55.00",
                "tiers": EXAMPLE_TIERS,
                "category_shares": {"Guitars": "65.00"},
                "starts_on": "2026-11-01",
                "expires_on": "2027-10-31",
                "minimum_payout": "25.00",
                "fee_per_item": "2.00",
                "notes": "",
                "supersedes_id": "1f4c6e80-9a1b-4c2d-8e3f-4a5b6c7d8e9f",
                "created_at": "2026-11-20T09:00:00Z",
                "updated_at": "2026-11-20T09:00:00Z",
            }
        },
    )

    id: uuid.UUID
    number: uuid.UUID
    version: int
    consignee_id: str
    store_id: uuid.UUID
    status: AgreementStatus
    share_percent: Amount
    tiers: list[dict[str, Any]]
    category_shares: dict[str, Any]
    starts_on: date
    expires_on: date | None
    minimum_payout: Amount
    fee_per_item: Amount
    notes: str
    supersedes_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
