"""What catalog publishes (docs/events.md). Payloads carry what consumers need without calling back."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from catalog.models import EVENT_TABLES, Product, Spare, Store, Variant
from common.events.outbox import Outbox

outbox = Outbox(EVENT_TABLES, source="catalog")


def money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def store_payload(store: Store) -> dict[str, Any]:
    return {
        "store_id": str(store.id),
        "code": store.code,
        "name": store.name,
        "address": store.address,
        "phone": store.phone,
        "time_zone": store.time_zone,
        "latitude": None if store.latitude is None else str(store.latitude),
        "longitude": None if store.longitude is None else str(store.longitude),
        "geofence_radius_m": store.geofence_radius_m,
        "is_headquarters": store.is_headquarters,
        "is_active": store.is_active,
        "deleted": store.deleted_at is not None,
    }


def product_payload(product: Product) -> dict[str, Any]:
    return {
        "product_id": str(product.id),
        "slug": product.slug,
        "name": product.name,
        "status": product.status,
        "base_price": money(product.base_price),
        "currency": product.currency,
        "brand": product.brand.name if product.brand else None,
        "department": product.department.slug if product.department else None,
        "category": product.category.slug if product.category else None,
        "subcategory": product.subcategory.slug if product.subcategory else None,
    }


def variant_payload(variant: Variant) -> dict[str, Any]:
    price = (
        variant.price_override if variant.price_override is not None else variant.product.base_price
    )
    return {
        "variant_id": str(variant.id),
        "slug": variant.slug,
        "sku": variant.sku,
        "name": variant.name,
        "product_id": str(variant.product_id),
        "product_slug": variant.product.slug,
        "product_name": variant.product.name,
        "price": money(price),
        "currency": variant.product.currency,
        "attributes": variant.attributes,
        "unit": variant.unit.slug if variant.unit else None,
        "quality": variant.quality.slug if variant.quality else None,
        "is_active": variant.is_active,
    }


def spare_payload(spare: Spare) -> dict[str, Any]:
    return {
        "spare_id": str(spare.id),
        "part_number": spare.part_number,
        "name": spare.name,
        "currency": spare.currency,
    }


def spare_event(spare: Spare) -> dict[str, Any]:
    """A spare as other services see it: events are internal, so the price travels with it."""
    return {**spare_payload(spare), "price": money(spare.price)}


async def publish(
    session: AsyncSession, subject: str, data: dict[str, Any], actor: str | None
) -> None:
    await outbox.add(session, subject, data, actor=actor)
