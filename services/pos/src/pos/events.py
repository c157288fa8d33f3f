"""What POS publishes (docs/events.md): one ``pos.item.sold`` per sale line (inventory's
contract), ``pos.sale.completed`` with the whole sale, ``pos.sale.voided``, and the drawer's
``pos.drawer.opened|closed``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.events.outbox import Outbox
from pos.models import EVENT_TABLES, Cart, CartLine, Drawer

outbox = Outbox(EVENT_TABLES, source="pos")


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def quantity(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def line_payload(line: CartLine) -> dict[str, Any]:
    return {
        "line_id": str(line.line_no),
        "kind": line.kind,
        "sku": line.sku,
        "name": line.name,
        "item_id": None if line.item_id is None else str(line.item_id),
        "article_id": None if line.article_id is None else str(line.article_id),
        "quantity": quantity(line.quantity),
        "unit_price": money(line.unit_price),
        "discount_percent": f"{line.discount_percent:.2f}",
        "discount_amount": money(line.discount_amount),
        "line_total": money(line.line_total),
    }


def sale_payload(cart: Cart) -> dict[str, Any]:
    return {
        "sale_id": str(cart.id),
        "receipt_number": cart.receipt_number,
        "store_id": str(cart.store_id),
        "register_id": str(cart.register_id),
        "drawer_id": str(cart.drawer_id),
        "cashier_id": cart.cashier_id,
        "customer_number": cart.customer_number,
        "currency": cart.currency,
        "lines": [line_payload(line) for line in cart.lines],
        "subtotal": money(cart.subtotal),
        "discount_percent": f"{cart.discount_percent:.2f}",
        "discount_total": money(cart.discount_total),
        "tax_rate": f"{cart.tax_rate:f}",
        "tax_total": money(cart.tax_total),
        "total": money(cart.total),
        "payments": payments(cart),
        "change_due": money(cart.change_due),
        "completed_at": cart.completed_at.isoformat() if cart.completed_at else None,
    }


def payments(cart: Cart) -> list[dict[str, str | None]]:
    paid: list[dict[str, str | None]] = []
    if cart.cash_amount:
        paid.append(
            {
                "method": "cash",
                "amount": money(cart.cash_amount),
                "tendered": money(cart.cash_tendered),
            }
        )
    if cart.card_amount:
        paid.append({"method": "card", "amount": money(cart.card_amount), "tendered": None})
    return paid


async def sale_completed(session: AsyncSession, cart: Cart, actor: str) -> None:
    for line in cart.lines:
        await outbox.add(
            session,
            "pos.item.sold",
            {
                "sale_id": str(cart.id),
                "line_id": str(line.line_no),
                "receipt_number": cart.receipt_number,
                "store_id": str(cart.store_id),
                "sku": line.sku,
                "kind": line.kind,
                "item_id": None if line.item_id is None else str(line.item_id),
                "quantity": quantity(line.quantity),
                "unit_price": money(line.unit_price),
                "location_id": None,
            },
            actor=actor,
        )
    await outbox.add(session, "pos.sale.completed", sale_payload(cart), actor=actor)


async def sale_voided(session: AsyncSession, cart: Cart, actor: str) -> None:
    await outbox.add(
        session,
        "pos.sale.voided",
        {
            "sale_id": str(cart.id),
            "receipt_number": cart.receipt_number,
            "store_id": str(cart.store_id),
            "reason": cart.void_reason,
            "total": money(cart.total),
            "refund_cash": money(cart.cash_amount),
            "refund_card": money(cart.card_amount),
            "items": [str(line.item_id) for line in cart.lines if line.item_id is not None],
        },
        actor=actor,
    )


def drawer_payload(drawer: Drawer) -> dict[str, Any]:
    return {
        "drawer_id": str(drawer.id),
        "register_id": str(drawer.register_id),
        "store_id": str(drawer.store_id),
        "cashier_id": drawer.cashier_id,
        "status": drawer.status,
        "opening_amount": money(drawer.opening_amount),
        "expected_amount": money(drawer.expected_amount),
        "counted_amount": money(drawer.counted_amount),
        "variance": money(drawer.variance),
        "opened_at": drawer.opened_at.isoformat() if drawer.opened_at else None,
        "closed_at": drawer.closed_at.isoformat() if drawer.closed_at else None,
    }
