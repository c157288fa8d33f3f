"""How an event names the order it is about (``events.contracts.OrderRef``)."""

from __future__ import annotations

from typing import Any

from inventory.orders.models import PurchaseOrder


def order_ref(order: PurchaseOrder) -> dict[str, Any]:
    """``OrderRef``'s fields of ``order``."""
    return {"order_id": order.id, "number": order.number, "store_id": order.store_id}
