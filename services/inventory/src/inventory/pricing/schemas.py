"""Pricing bodies: bulk proposed prices (a rule and/or per-row prices), and finalising rows."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from common.money import Percent
from inventory.items.models import Condition
from inventory.pricing.rules import Basis
from inventory.types import Price


class PriceRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    basis: Basis
    percent: Percent = Field(
        ge=0,
        le=1000,
        description="retail: percent of retail (60 = 60 %); cost: markup (50 = +50 %)",
    )


class RowPrice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    row_id: StrictInt
    proposed_price: Price


class PricingIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "rule": {"basis": "retail", "percent": "60"},
                "only_unpriced": False,
                "rows": [{"row_id": 18, "proposed_price": "249.00"}],
            }
        },
    )

    rule: PriceRule | None = None
    only_unpriced: StrictBool = Field(default=False, description="The rule skips rows with a price")
    rows: list[RowPrice] = Field(default_factory=list, max_length=10_000)


class PricingOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"example": {"priced": 405, "unpriced": 7, "changed": 405}}
    )

    priced: int = Field(description="Rows with a proposed price now")
    unpriced: int = Field(description="Rows still without one (no retail or cost for the rule)")
    changed: int


class RowEdit(BaseModel):
    """Fields staff corrected before the units exist; ``final_price`` defaults to the proposed."""

    model_config = ConfigDict(extra="forbid")

    row_id: StrictInt
    title: str | None = Field(default=None, min_length=1, max_length=300)
    brand: str | None = Field(default=None, max_length=120)
    model: str | None = Field(default=None, max_length=120)
    condition: Condition | None = None
    category: str | None = Field(default=None, max_length=140)
    quantity: int | None = Field(default=None, ge=1, le=10_000, strict=True)
    final_price: Price | None = None


class FinalizeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "rows": [{"row_id": 18, "condition": "like_new", "final_price": "259.00"}],
                "finalize_all": True,
            }
        },
    )

    rows: list[RowEdit] = Field(default_factory=list, max_length=10_000)
    finalize_all: StrictBool = Field(
        default=True, description="Every row becomes final (false: only the rows sent)"
    )


class FinalizeOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"example": {"finalized": 412, "remaining": 0, "all_final": True}}
    )

    finalized: int
    remaining: int = Field(description="Rows not final yet")
    all_final: bool
