"""Request and response bodies of payroll profiles."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from attendance.fields import Day
from attendance.payroll.models import PayType
from attendance.units import Multiplier
from common.money import Amount, Price
from common.types import CurrencyCode
from common.updates import Nullable, PartialUpdate

_PROFILE: dict[str, Any] = {
    "pay_type": "hourly",
    "hourly_rate": "21.50",
    "monthly_salary": None,
    "ot_multiplier": "1.50",
    "currency": "USD",
    "effective_from": "2026-01-01",
    "effective_to": None,
}


class PayrollUpsert(PartialUpdate):
    """PUT or PATCH ``/admin/payroll/{user_id}``: the profile starting on ``effective_from``
    is updated, or created when there is none; without ``effective_from``, the profile in
    force today is updated."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                _PROFILE,
                {"effective_from": "2026-01-01", "effective_to": "2026-06-30"},
                {"hourly_rate": "22.75"},
            ]
        }
    )

    effective_from: Day | None = Field(default=None, description="Which profile (its first day)")
    pay_type: PayType | None = None
    hourly_rate: Nullable[Price] = Field(default=None, description="Per hour (hourly pay)")
    monthly_salary: Nullable[Price] = Field(default=None, description="Per month (monthly pay)")
    ot_multiplier: Multiplier | None = Field(default=None, description="Overtime pays rate x this")
    currency: CurrencyCode | None = None
    effective_to: Nullable[Day] = Field(default=None, description="Last day, inclusive")


class PayrollOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968",
                    "person_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
                    **_PROFILE,
                    "updated_by": "admin-1",
                    "created_at": "2026-12-01T09:30:00Z",
                    "updated_at": "2026-12-01T09:30:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    person_id: str
    pay_type: PayType
    hourly_rate: Amount | None
    monthly_salary: Amount | None
    ot_multiplier: Multiplier
    currency: str
    effective_from: date
    effective_to: date | None
    updated_by: str | None
    created_at: datetime
    updated_at: datetime
