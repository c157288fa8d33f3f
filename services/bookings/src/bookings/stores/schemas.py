"""Bodies of the stores bookings knows (catalog's, with their booking hours)."""

from __future__ import annotations

import uuid
from datetime import time
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from common.updates import Nullable, PartialUpdate


class Weekday(StrEnum):
    monday = "monday"
    tuesday = "tuesday"
    wednesday = "wednesday"
    thursday = "thursday"
    friday = "friday"
    saturday = "saturday"
    sunday = "sunday"


WEEKDAYS = list(Weekday)  # index = date.weekday()


class OpeningHours(BaseModel):
    model_config = ConfigDict(extra="forbid")

    opens: time
    closes: time

    @model_validator(mode="after")
    def _opens_before_closing(self) -> OpeningHours:
        if self.opens >= self.closes:
            raise ValueError("opens must be before closes (a day's hours do not cross midnight)")
        return self


_HOURS: dict[str, Any] = {
    day.value: {"opens": "09:00:00", "closes": "18:00:00"} for day in WEEKDAYS[:5]
} | {"saturday": {"opens": "10:00:00", "closes": "14:00:00"}}
_STORE: dict[str, Any] = {
    "id": "0000000a-0000-4000-8000-00000000000a",
    "code": "NYC-01",
    "name": "Manhattan",
    "time_zone": "America/New_York",
    "opening_hours": _HOURS,
}


class StoreHoursUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"opening_hours": _HOURS}]})

    opening_hours: Nullable[dict[Weekday, OpeningHours]] = Field(
        default=None, description="Per weekday; a day left out is closed; null: no hours set"
    )


class StoreOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_STORE]})

    id: uuid.UUID
    code: str
    name: str
    time_zone: str
    opening_hours: dict[Weekday, OpeningHours] | None
