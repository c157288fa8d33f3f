"""Consignment arrangements the tests share: a consignee of store A with an agreement and
units taken in under it, made through the API as a branch head would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from common.roles import Role
from pos.db import EVENT_TABLES
from pos.store_time import store_today
from tests.till import STORE_A, Till

STORE_ZONE = "America/New_York"  # store A's (tests/till.py): periods are its calendar days
CONSIGNEE = "consignee-1"
OTHER_CONSIGNEE = "consignee-2"
AGREEMENT = {
    "share_percent": "50.00",
    "starts_on": "2026-01-01",
    "minimum_payout": "0.00",
    "fee_per_item": "0.00",
}


def store_day() -> date:
    """Today on store A's clock (a period ending later is in the future)."""
    return store_today(STORE_ZONE, datetime.now(UTC))


@dataclass
class Consignment:
    till: Till

    def consignee(self, user: str = CONSIGNEE) -> dict[str, str]:
        return self.till.auth_headers(Role.consignee, user_id=user, stores=[])

    async def account(self, user: str = CONSIGNEE, store: Any = STORE_A) -> dict[str, Any]:
        response = await self.till.client.post(
            "/api/consignment/accounts",
            json={"store_id": str(store), "user_id": user, "first_name": "Ada", "last_name": user},
            headers=self.till.head(),
        )
        assert response.status_code in (200, 201), response.text
        return dict(response.json())

    async def agreement(self, user: str = CONSIGNEE, **terms: Any) -> dict[str, Any]:
        response = await self.till.client.post(
            "/api/consignment/agreements",
            json={"consignee_id": user, **AGREEMENT, **terms},
            headers=self.till.head(),
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def item(
        self, agreement: dict[str, Any], sku: str, price: str = "100.00", **unit: Any
    ) -> dict[str, Any]:
        made = await self.till.unit(sku, price, **unit)
        response = await self.till.client.post(
            "/api/consignment/items",
            json={"agreement_id": agreement["id"], "item_id": str(made.id)},
            headers=self.till.cashier(),
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def events(self, prefix: str = "pos.consignment.") -> list[tuple[str, dict[str, Any]]]:
        outbox = EVENT_TABLES.outbox
        async with self.till.database.session() as session:
            rows = (
                await session.execute(
                    select(outbox.c.subject, outbox.c.envelope)
                    .where(outbox.c.subject.startswith(prefix))
                    .order_by(outbox.c.seq)
                )
            ).all()
        return [(subject, envelope["data"]) for subject, envelope in rows]
