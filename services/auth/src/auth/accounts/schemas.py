"""Request and response bodies for users, profiles and customers.

Create/update bodies list exactly the fields a caller may set (``extra="forbid"``):
a customer registering cannot send ``role``, ``store_ids`` or ``is_active``.
Types are strict where lax coercion would store nonsense: ``is_active: 0`` is not
``false`` and ``hire_date: 0`` is not 1970-01-01. In an update a field left out
keeps its value and ``null`` is refused (422 naming it), except for the few
fields that may be cleared (``NULLABLE``).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
)
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from common.roles import Role

Name = Annotated[str, Field(max_length=100)]
Phone = Annotated[str, Field(max_length=40)]


def _written_date(value: Any) -> Any:
    """A date arrives as text, ``2025-03-01``: a number (or "0") is not a date, let alone
    1970-01-01."""
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date_type", "Input should be a date written YYYY-MM-DD")


WrittenDate = Annotated[date, BeforeValidator(_written_date)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PartialUpdate(Strict):
    """A PATCH/PUT body: what is left out stays; ``null`` only where ``NULLABLE`` allows."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.NULLABLE:
            raise PydanticCustomError(
                "null_not_allowed", "May not be null: leave the field out to keep its value"
            )
        return value


USER_EXAMPLE: JsonDict = {
    "id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "email": "maria@store.example",
    "first_name": "Maria",
    "last_name": "Lopez",
    "full_name": "Maria Lopez",
    "phone": "+1 555 0100",
    "role": "advisor",
    "store_ids": ["d3b7..."],
    "is_active": True,
    "date_joined": "2026-11-01T09:00:00Z",
    "last_login": "2026-11-22T08:00:00Z",
    "employee_profile": {
        "employee_number": "E-0042",
        "job_title": "Repair technician",
        "hire_date": "2025-03-01",
        "hourly_rate": "21.50",
        "emergency_contact": "",
    },
    "consignee_profile": None,
    "customer_profile": None,
}


class EmployeeProfileOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    employee_number: str
    job_title: str
    hire_date: date | None
    hourly_rate: Decimal | None
    emergency_contact: str


class ConsigneeProfileOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    commission_rate: Decimal
    payout_method: str
    address: str
    notes: str


class CustomerProfileOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    customer_number: str
    address: str
    notes: str
    marketing_opt_in: bool


class UserOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"example": USER_EXAMPLE},
    )
    id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    full_name: str
    phone: str
    role: Role
    store_ids: list[str]
    is_active: bool
    date_joined: datetime
    last_login: datetime | None
    employee_profile: EmployeeProfileOut | None = None
    consignee_profile: ConsigneeProfileOut | None = None
    customer_profile: CustomerProfileOut | None = None


class RegisterIn(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "email": "sam@example.com",
                "password": "a long passphrase",
                "first_name": "Sam",
                "last_name": "Lee",
            }
        },
    )
    email: EmailStr
    password: str = Field(max_length=128)
    first_name: Name = ""
    last_name: Name = ""
    phone: Phone = ""


class EmployeeProfileIn(PartialUpdate):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "job_title": "Store manager",
                "hire_date": "2026-03-02",
                "hourly_rate": "21.50",
            }
        },
    )
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"hire_date", "hourly_rate"})

    employee_number: Annotated[str, Field(max_length=40)] | None = None
    job_title: Name | None = None
    hire_date: WrittenDate | None = None
    hourly_rate: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)] | None = None
    emergency_contact: Annotated[str, Field(max_length=200)] | None = None


class ConsigneeProfileIn(PartialUpdate):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"commission_rate": "40.00", "payout_method": "store_credit"}
        },
    )
    commission_rate: (
        Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)] | None
    ) = None
    payout_method: (
        Annotated[str, Field(pattern="^(store_credit|cash|check|bank_transfer)$")] | None
    ) = None
    address: Annotated[str, Field(max_length=500)] | None = None
    notes: Annotated[str, Field(max_length=2000)] | None = None


class UserCreate(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "email": "maria@store.example",
                "password": "a long passphrase",
                "first_name": "Maria",
                "last_name": "Lopez",
                "role": "advisor",
                "store_ids": ["d3b7..."],
                "employee_profile": {"job_title": "Repair technician", "hourly_rate": "21.50"},
            }
        },
    )
    email: EmailStr
    password: str | None = Field(
        default=None,
        max_length=128,
        description="Omit to create a user who must reset their password",
    )
    first_name: Name = ""
    last_name: Name = ""
    phone: Phone = ""
    role: Role
    store_ids: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list)
    employee_profile: EmployeeProfileIn | None = None
    consignee_profile: ConsigneeProfileIn | None = None


class ConsigneeEnrollmentIn(BaseModel):
    """Another service (``consignees:enroll``) making an existing user a consignee of a store."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10"}},
    )
    store_id: str = Field(min_length=1, max_length=64, description="Added to the user's stores")


class UserUpdate(PartialUpdate):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"role": "branch_head", "store_ids": ["d3b7..."]}},
    )
    email: EmailStr | None = None
    first_name: Name | None = None
    last_name: Name | None = None
    phone: Phone | None = None
    role: Role | None = None
    store_ids: list[Annotated[str, Field(max_length=64)]] | None = None
    is_active: StrictBool | None = None


class CustomerIn(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "email": "ana@example.com",
                "first_name": "Ana",
                "last_name": "Ruiz",
                "phone": "+1 555 0199",
            }
        },
    )
    email: EmailStr
    first_name: Name = ""
    last_name: Name = ""
    phone: Phone = ""
    address: Annotated[str, Field(max_length=500)] = ""
    notes: Annotated[str, Field(max_length=2000)] = ""
    marketing_opt_in: StrictBool = False


class CustomerUpdate(PartialUpdate):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"phone": "+1 555 0123"}}
    )
    email: EmailStr | None = None
    first_name: Name | None = None
    last_name: Name | None = None
    phone: Phone | None = None
    address: Annotated[str, Field(max_length=500)] | None = None
    notes: Annotated[str, Field(max_length=2000)] | None = None
    marketing_opt_in: StrictBool | None = None


class TemporaryPasswordOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "detail": "Password reset. Give the user this temporary password.",
                "temporary_password": "k3v-9Qx-77a-Pzm",
            }
        }
    )
    detail: str
    temporary_password: str
