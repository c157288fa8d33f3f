"""Matching bodies: the summary of a run, the per-row results, and review decisions."""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator
from pydantic.config import JsonDict

from common.money import Amount

SUMMARY_EXAMPLE: JsonDict = {
    "rows": 412,
    "matched": 380,
    "suggested": 22,
    "unmatched": 8,
    "rejected": 2,
    "by_method": {"upc": 301, "vendor_ref": 40, "fuzzy": 39},
    "reviewed": 3,
}


class MatchSummary(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": SUMMARY_EXAMPLE})

    rows: int
    matched: int
    suggested: int
    unmatched: int
    rejected: int
    by_method: dict[str, int]
    reviewed: int = Field(description="Rows a person decided in review")


class CandidateOut(BaseModel):
    product_id: uuid.UUID
    name: str
    score: int
    method: str


class MatchRowOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    row_no: int
    title: str
    brand: str | None
    model: str | None
    upc: str | None
    vendor_sku: str | None
    quantity: int
    condition: str | None
    retail_price: Amount | None
    ai_title: str | None
    match_status: str | None
    match_method: str | None
    match_score: int | None
    matched_product_id: uuid.UUID | None
    match_decision: str | None
    match_candidates: list[CandidateOut]


class MatchResultsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "summary": SUMMARY_EXAMPLE,
                "count": 1,
                "rows": [
                    {
                        "id": 18, "row_no": 3, "title": "APL IPH13 128 BLK", "brand": "Apple",
                        "model": None, "upc": None, "vendor_sku": "LL-118", "quantity": 2,
                        "condition": "good", "retail_price": "429.00", "ai_title": None,
                        "match_status": "suggested", "match_method": "fuzzy", "match_score": 86,
                        "matched_product_id": None, "match_decision": None,
                        "match_candidates": [
                            {"product_id": "2b1f6c1e-5d0a-4c4e-9d55-8d9f6f1c2a10",
                             "name": "Apple iPhone 13 128GB", "score": 86, "method": "fuzzy"}
                        ],
                    }
                ],
            }
        }
    )  # fmt: skip

    summary: MatchSummary
    count: int = Field(description="Rows with the asked status (all without one)")
    rows: list[MatchRowOut]


class Decision(StrEnum):
    accept = "accept"  # the given product, else the row's match, else its top candidate
    reject = "reject"  # no product: the units are sold without one
    update = "update"  # another product (product_id)
    create = "create"  # a new product in catalog, from the row


class ReviewDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    row_id: StrictInt
    decision: Decision
    product_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _product_for_update(self) -> ReviewDecision:
        if self.decision == Decision.update and self.product_id is None:
            raise ValueError("update names the product_id")
        if self.decision in (Decision.reject, Decision.create) and self.product_id is not None:
            raise ValueError(f"{self.decision.value} takes no product_id")
        return self


class ReviewIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "decisions": [
                    {"row_id": 18, "decision": "accept"},
                    {"row_id": 19, "decision": "update", "product_id": "2b1f6c1e-5d0a-4c4e-9d55-8d9f6f1c2a10"},
                    {"row_id": 20, "decision": "reject"},
                ]
            }
        },
    )  # fmt: skip

    decisions: list[ReviewDecision] = Field(min_length=1, max_length=1000)


class ReviewOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"reviewed": 3, "created_products": 0}})

    reviewed: int
    created_products: int
