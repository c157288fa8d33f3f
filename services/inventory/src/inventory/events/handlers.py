"""What inventory does with catalog's and POS's events: each handler is one call into a
domain service, on a payload its contract already validated (a payload that does not
validate is dead-lettered at once, without retries)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.events.consumer import Subscription, subscribe
from common.events.contracts import Event
from inventory.articles.service import ArticleService
from inventory.events.contracts import (
    CatalogProductChanged,
    ItemSold,
    ProductPriceChanged,
    SaleVoided,
    SpareChanged,
    SparePriceChanged,
    StoreChanged,
    VariantChanged,
)
from inventory.intake_products.service import IntakeProductService
from inventory.prices.service import PriceLogService
from inventory.sales.service import SaleService
from inventory.stores.service import StoreService


async def store_changed(session: AsyncSession, event: Event[StoreChanged]) -> None:
    await StoreService(session).catalog_changed(event)


async def variant_changed(session: AsyncSession, event: Event[VariantChanged]) -> None:
    await ArticleService(session).variant_changed(event)


async def spare_changed(session: AsyncSession, event: Event[SpareChanged]) -> None:
    await ArticleService(session).spare_changed(event)


async def catalog_product_changed(
    session: AsyncSession, event: Event[CatalogProductChanged]
) -> None:
    await IntakeProductService(session).catalog_changed(event)


async def product_price_changed(session: AsyncSession, event: Event[ProductPriceChanged]) -> None:
    await PriceLogService(session).product_price_changed(event)


async def spare_price_changed(session: AsyncSession, event: Event[SparePriceChanged]) -> None:
    await ArticleService(session).spare_price_changed(event)


async def item_sold(session: AsyncSession, event: Event[ItemSold]) -> None:
    await SaleService.for_system(session, actor=event.actor).sell(event.data, event_id=event.id)


async def sale_voided(session: AsyncSession, event: Event[SaleVoided]) -> None:
    await SaleService.for_system(session, actor=event.actor).void(event.data)


SUBSCRIPTIONS: list[Subscription[Any]] = [
    subscribe("catalog-stores", "catalog.store.*", StoreChanged, store_changed),
    subscribe("catalog-variants", "catalog.variant.*", VariantChanged, variant_changed),
    subscribe("catalog-spares", "catalog.spare.created", SpareChanged, spare_changed),
    subscribe("catalog-spares-updated", "catalog.spare.updated", SpareChanged, spare_changed),
    subscribe("catalog-spares-deleted", "catalog.spare.deleted", SpareChanged, spare_changed),
    subscribe(
        "catalog-products", "catalog.product.*", CatalogProductChanged, catalog_product_changed
    ),
    subscribe(
        "catalog-product-prices",
        "catalog.product.price_changed",
        ProductPriceChanged,
        product_price_changed,
    ),
    subscribe(
        "catalog-spare-prices",
        "catalog.spare.price_changed",
        SparePriceChanged,
        spare_price_changed,
    ),
    subscribe("pos-items-sold", "pos.item.sold", ItemSold, item_sold),
    subscribe("pos-sales-voided", "pos.sale.voided", SaleVoided, sale_voided),
]
