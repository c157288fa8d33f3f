"""Consignee account bodies (seed 002 /api/consignment/accounts): an existing auth user by
``user_id``, or a new one by name and email (POS creates it in auth)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from common.updates import PartialUpdate
from pos.consignment.models import ConsigneeStatus
from pos.schema_types import update_example

EXAMPLE_OUT: dict[str, Any] = {
    "user_id": "42",
    "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
    "first_name": "Ada",
    "last_name": "Byron",
    "email": "ada@example.com",
    "phone": "+1 212 555 0100",
    "notes": "Vintage guitars",
    "status": "active",
    "user_active": True,
    "created_at": "2026-11-20T09:00:00Z",
    "updated_at": "2026-11-20T09:00:00Z",
}


class ConsigneeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
                "first_name": "Ada",
                "last_name": "Byron",
                "email": "ada@example.com",
                "phone": "+1 212 555 0100",
            }
        },
    )

    store_id: uuid.UUID = Field(description="The store the consignee brings items to")
    user_id: str | None = Field(
        default=None, min_length=1, max_length=64, description="An existing auth user"
    )
    first_name: str = Field(default="", max_length=150)
    last_name: str = Field(default="", max_length=150)
    email: EmailStr | None = Field(default=None, description="A new user's email (natural key)")
    phone: str = Field(default="", max_length=40)
    notes: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _user_or_new_user(self) -> ConsigneeIn:
        if self.user_id is None and self.email is None:
            raise ValueError("give user_id (an existing user) or email and names (a new one)")
        if self.user_id is None and not (self.first_name and self.last_name):
            raise ValueError("a new consignee needs first_name and last_name")
        return self


# a consignee's profile is auth's (its auth.user.* events keep the account in step)
MANAGED_IN_AUTH = ("first_name", "last_name", "email", "phone")


class ConsigneeUpdate(PartialUpdate):
    """What POS owns of an account: its notes. The profile (name, email, phone) is auth's,
    so each of its fields sent here is a 422 naming it ("managed in auth"): a PATCH here
    would be overwritten by auth's next event."""

    model_config = ConfigDict(json_schema_extra=update_example({"notes": "Vintage guitars"}))

    notes: str | None = Field(default=None, max_length=2000)
    first_name: SkipJsonSchema[Any] = None
    last_name: SkipJsonSchema[Any] = None
    email: SkipJsonSchema[Any] = None
    phone: SkipJsonSchema[Any] = None

    @field_validator(*MANAGED_IN_AUTH, mode="before")
    @classmethod
    def _managed_in_auth(cls, value: Any, info: ValidationInfo) -> Any:
        raise PydanticCustomError(
            "managed_in_auth",
            "{field} is managed in auth: change it there (PATCH /api/accounts/users/{{id}}); "
            "auth's events bring it here",
            {"field": info.field_name},
        )


class ConsigneeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": EXAMPLE_OUT})

    user_id: str
    store_id: uuid.UUID
    first_name: str
    last_name: str
    email: str
    phone: str
    notes: str
    status: ConsigneeStatus
    user_active: bool = Field(
        description="Whether the user is active in auth (auth.user.deactivated: false)"
    )
    created_at: datetime
    updated_at: datetime
