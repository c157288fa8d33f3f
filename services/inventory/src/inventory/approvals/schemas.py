"""Approval template and flow bodies (seed 004 /api/approvals)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from common.money import Amount
from common.roles import Role
from inventory.types import Price, StrictBool, StrictInt

ObjectTypeName = Literal["purchase_order"]


class Signer(BaseModel):
    """One signer slot: a role (that role or a higher one signs) or a named user."""

    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    user_id: str | None = Field(default=None, min_length=1, max_length=64)

    @model_validator(mode="after")
    def one_of(self) -> Signer:
        if (self.role is None) == (self.user_id is None):
            raise ValueError("a signer is either a role or a user_id")
        if self.role in (Role.customer, Role.consignee):
            raise ValueError("signers are staff: advisor, branch_head or system_admin")
        return self


class Threshold(BaseModel):
    model_config = ConfigDict(extra="forbid")

    above: Price
    min_signatures: StrictInt = Field(ge=1)


TEMPLATE_EXAMPLE: JsonDict = {
    "name": "Purchase orders",
    "object_type": "purchase_order",
    "min_amount": None,
    "signers": [{"role": "branch_head"}, {"role": "system_admin"}],
    "ordered": False,
    "min_signatures": 1,
    "thresholds": [{"above": "1000.00", "min_signatures": 2}],
    "is_active": True,
}


class TemplateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": TEMPLATE_EXAMPLE})

    name: str = Field(min_length=1, max_length=200)
    object_type: ObjectTypeName = "purchase_order"
    min_amount: Price | None = Field(
        default=None, description="Applies to objects of at least this amount (the highest wins)"
    )
    signers: list[Signer] = Field(min_length=1, max_length=20)
    ordered: StrictBool = Field(default=False, description="Signers sign in the listed order")
    min_signatures: StrictInt = Field(default=1, ge=1)
    thresholds: list[Threshold] = Field(default_factory=list, max_length=20)
    is_active: StrictBool = True

    @model_validator(mode="after")
    def reachable(self) -> TemplateIn:
        most = max([self.min_signatures, *(t.min_signatures for t in self.thresholds)])
        if most > len(self.signers):
            raise ValueError(
                f"{most} signatures can never be collected from {len(self.signers)} signer slot(s)"
            )
        return self


class TemplateOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "3f0b6c1e-8d7a-4f7e-9f0e-2b1c3d4e5f60",
                **TEMPLATE_EXAMPLE,
                "created_at": "2026-11-22T09:00:00Z",
                "updated_at": "2026-11-22T09:00:00Z",
            }
        },
    )

    id: uuid.UUID
    name: str
    object_type: str
    min_amount: Amount | None
    signers: list[dict[str, Any]]
    ordered: bool
    min_signatures: int
    thresholds: list[dict[str, Any]]
    is_active: bool
    created_at: datetime
    updated_at: datetime


class FlowIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "object_type": "purchase_order",
                "object_id": "5b7c0f2e-1d3a-4c5b-8e9f-0a1b2c3d4e5f",
                "template_id": None,
            }
        },
    )

    object_type: ObjectTypeName
    object_id: str = Field(min_length=1, max_length=64)
    template_id: uuid.UUID | None = Field(
        default=None, description="A template to use instead of the matching one"
    )


class SignIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"comment": "Prices checked against quote"}}
    )

    comment: str = Field(default="", max_length=2000)

    @staticmethod
    def comment_of(body: SignIn | None) -> str:
        """The comment of an optional body (no body: no comment)."""
        return "" if body is None else body.comment


class RejectIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"reason": "Vendor quote expired"}}
    )

    reason: str = Field(min_length=1, max_length=2000)


class SignatureOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    user_id: str
    role: str
    slot: int
    comment: str
    signed_at: datetime
    removed_at: datetime | None
    removed_by: str | None


class FlowOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "9e1d2c3b-4a5f-4e6d-8c7b-6a5f4e3d2c1b",
                "template_id": "3f0b6c1e-8d7a-4f7e-9f0e-2b1c3d4e5f60",
                "object_type": "purchase_order",
                "object_id": "5b7c0f2e-1d3a-4c5b-8e9f-0a1b2c3d4e5f",
                "amount": "1250.00",
                "requester_id": "advisor-7",
                "status": "pending",
                "signers": [{"role": "branch_head"}, {"role": "system_admin"}],
                "ordered": False,
                "required_signatures": 2,
                "signatures": [
                    {
                        "user_id": "head-3",
                        "role": "branch_head",
                        "slot": 0,
                        "comment": "OK",
                        "signed_at": "2026-11-22T09:05:00Z",
                        "removed_at": None,
                        "removed_by": None,
                    }
                ],
                "signed": 1,
                "created_at": "2026-11-22T09:00:00Z",
                "completed_at": None,
                "rejected_by": None,
                "rejection_reason": "",
            }
        },
    )

    id: uuid.UUID
    template_id: uuid.UUID | None
    object_type: str
    object_id: str
    amount: Amount | None
    requester_id: str | None
    status: str
    signers: list[dict[str, Any]]
    ordered: bool
    required_signatures: int
    signatures: list[SignatureOut]
    signed: int = Field(description="Signatures that count (removed ones do not)")
    created_at: datetime
    completed_at: datetime | None
    rejected_by: str | None
    rejection_reason: str
