"""Dashboard answers (seed 002 /api/pos/dashboard): the day's and the weeks' numbers, and the
alerts a branch head should look at."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

STORE_DAY_EXAMPLE: dict[str, Any] = {
    "id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
    "code": "NYC-01",
    "name": "Manhattan",
    "time_zone": "America/New_York",
    "today": "2026-11-25",
}
METRICS_EXAMPLE: dict[str, Any] = {
    "stores": [STORE_DAY_EXAMPLE],
    "today": "2026-11-25",
    "revenue_today": "1240.50",
    "week": [
        {"date": "2026-11-23", "weekday": "Mon", "revenue": "980.00", "sales_count": 7},
        {"date": "2026-11-24", "weekday": "Tue", "revenue": "1105.25", "sales_count": 9},
        {"date": "2026-11-25", "weekday": "Wed", "revenue": "1240.50", "sales_count": 11},
        {"date": "2026-11-26", "weekday": "Thu", "revenue": "0.00", "sales_count": 0},
    ],
    "last_four_weeks": [
        {
            "week": "2026-W48",
            "starts_on": "2026-11-23",
            "revenue": "3325.75",
            "sales_count": 27,
            "change_percent": "-41.20",
        }
    ],
    "today_stats": {"sales_count": 11, "average_basket": "112.77", "items_sold": "14.000"},
    "top_items": [
        {"sku": "ITM-000123", "name": "iPhone 13 128GB", "quantity": "1.000", "revenue": "379.00"}
    ],
    "goal": {"amount": "1500.00", "revenue": "1240.50", "percent": "82.70"},
}
ALERT_EXAMPLE: dict[str, Any] = {
    "kind": "drawer_variance",
    "severity": "critical",
    "message": "Drawer on register REG-1 at NYC-01 closed -32.50 off (expected 412.50, "
    "counted 380.00); alerts are beyond 20.00.",
    "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
    "refers_to": {
        "drawer_id": "5b7e0c1a-2d3f-4a5b-8c9d-0e1f2a3b4c5d",
        "register_id": "3c1d2f9e-8a7b-4c6d-9e5f-0a1b2c3d4e5f",
        "cashier_id": "a7f3...",
    },
    "time": "2026-11-25T22:30:00Z",
}


class StoreDay(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": STORE_DAY_EXAMPLE})

    id: uuid.UUID
    code: str
    name: str
    time_zone: str
    today: date = Field(description="The store's own date now, in its time zone")


class DayRevenue(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": METRICS_EXAMPLE["week"][0]})

    date: date
    weekday: str
    revenue: Decimal
    sales_count: int


class WeekRevenue(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": METRICS_EXAMPLE["last_four_weeks"][0]})

    week: str = Field(description="ISO week, e.g. 2026-W48")
    starts_on: date
    revenue: Decimal
    sales_count: int
    change_percent: Decimal | None = Field(
        description="Against the week before, in percent; null when that week sold nothing"
    )


class TodayStats(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": METRICS_EXAMPLE["today_stats"]})

    sales_count: int
    average_basket: Decimal = Field(description="Revenue / sales, to the cent (half up)")
    items_sold: Decimal = Field(description="Sum of the sales' line quantities")


class TopItem(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": METRICS_EXAMPLE["top_items"][0]})

    sku: str
    name: str
    quantity: Decimal
    revenue: Decimal = Field(description="Its line totals: after line discounts, before tax")


class GoalProgress(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": METRICS_EXAMPLE["goal"]})

    amount: Decimal = Field(description="Today's revenue goals of the stores that set one")
    revenue: Decimal = Field(description="Today's revenue of those stores")
    percent: Decimal | None = Field(description="revenue / amount in percent; null for a 0 goal")


class MetricsOut(BaseModel):
    """Revenue is the sum of completed (not voided) sales' totals; every store counts its own
    days in its own time zone, and the dates shown are those of the store furthest ahead."""

    model_config = ConfigDict(json_schema_extra={"example": METRICS_EXAMPLE})

    stores: list[StoreDay]
    today: date
    revenue_today: Decimal
    week: list[DayRevenue] = Field(description="This week, Monday to Sunday")
    last_four_weeks: list[WeekRevenue] = Field(description="Oldest first; the last is this week")
    today_stats: TodayStats
    top_items: list[TopItem] = Field(description="Today's five best items by revenue")
    goal: GoalProgress | None = Field(description="Null when no store set a goal for today")


AlertKind = Literal["drawer_open_too_long", "drawer_variance", "sale_voided", "item_oversold"]
Severity = Literal["critical", "warning", "info"]


class AlertOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": ALERT_EXAMPLE})

    kind: AlertKind
    severity: Severity
    message: str
    store_id: uuid.UUID | None
    refers_to: dict[str, str] = Field(description="The ids of what the alert is about")
    time: datetime = Field(description="When it happened (opened, closed, voided, reported)")
