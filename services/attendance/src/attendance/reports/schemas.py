"""Bodies of the monthly attendance reports (per store, and the caller's own)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from attendance.units import Hours
from common.money import Amount

_ROW: dict[str, Any] = {
    "person_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "name": "Maria Lopez",
    "scheduled_days": 21,
    "days_present": 20,
    "absences": 1,
    "late_count": 2,
    "late_minutes": 27,
    "early_leaves": 1,
    "early_leave_minutes": 35,
    "approved_ot_hours": "3.50",
    "approved_ot_entries": 2,
    "pending_exceptions": 0,
    "payable_hours": "152.25",
    "unpriced_hours": "0.00",
    "amount": "3386.44",
    "currency": "USD",
}


class PersonMonth(BaseModel):
    """One person's month at one store, in the store's time zone."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_ROW]})

    person_id: str
    name: str
    scheduled_days: int = Field(description="Days the roster expected them")
    days_present: int = Field(description="Work dates with a record (rejected ones aside)")
    absences: int = Field(description="Expected days gone by with no record")
    late_count: int
    late_minutes: int
    early_leaves: int
    early_leave_minutes: int
    approved_ot_hours: Hours
    approved_ot_entries: int = Field(description="Records with approved overtime")
    pending_exceptions: int
    payable_hours: Hours = Field(description="Regular hours inside the shifts + approved overtime")
    unpriced_hours: Hours = Field(description="Payable hours no payroll profile covers")
    amount: Amount | None = Field(description="What the month pays (null: no payroll profile)")
    currency: str | None


class StoreTotals(BaseModel):
    people: int
    payable_hours: Hours
    amounts: dict[str, str] = Field(description="Payable amount per currency")


class StoreReportOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "store_id": "0000000a-0000-4000-8000-00000000000a",
                    "store_code": "LA-01",
                    "store_name": "Venice Beach",
                    "month": "2026-03",
                    "time_zone": "America/Los_Angeles",
                    "closed": False,
                    "closed_at": None,
                    "closed_by": None,
                    "generated_at": "2026-04-01T08:00:00Z",
                    "people": [_ROW],
                    "totals": {
                        "people": 1,
                        "payable_hours": "152.25",
                        "amounts": {"USD": "3386.44"},
                    },
                }
            ]
        }
    )

    store_id: uuid.UUID
    store_code: str
    store_name: str
    month: str
    time_zone: str
    closed: bool = Field(description="Closed: this is the report as stored at the close")
    closed_at: datetime | None
    closed_by: str | None
    generated_at: datetime
    people: list[PersonMonth]
    totals: StoreTotals


class MyStoreMonth(PersonMonth):
    store_id: uuid.UUID
    store_code: str
    closed: bool


class MyReportOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "person_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
                    "month": "2026-03",
                    "stores": [
                        {
                            **_ROW,
                            "store_id": "0000000a-0000-4000-8000-00000000000a",
                            "store_code": "LA-01",
                            "closed": False,
                        }
                    ],
                }
            ]
        }
    )

    person_id: str
    month: str
    stores: list[MyStoreMonth]
