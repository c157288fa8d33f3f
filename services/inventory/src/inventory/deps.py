"""Typed dependencies for inventory's routes: its settings, the attachment store, and each
domain's service built per request for the caller (services never build each other's
wiring, routes never build services)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from common.config import settings_of
from common.db import SessionDep
from common.security import CurrentUser
from inventory.approvals.service import ApprovalService
from inventory.config import InventorySettings
from inventory.entries.service import EntryService
from inventory.inventory_config.service import ConfigService
from inventory.items.service import ItemService
from inventory.ledger.repository import LedgerRepository
from inventory.ledger.service import LedgerService
from inventory.locations.service import LocationService
from inventory.orders.attachments import OrderAttachments
from inventory.orders.service import APPROVAL_SUBJECTS, OrderService
from inventory.prices.service import PriceLogService
from inventory.serials.service import SerialService
from inventory.storage import DiskStorage, Storage
from inventory.vendors.service import VendorService

SettingsDep = Annotated[InventorySettings, Depends(settings_of(InventorySettings))]


def get_storage(request: Request, settings: SettingsDep) -> Storage:
    """The app's attachment store (a test may put its own on ``app.state.storage``)."""
    storage: Storage | None = getattr(request.app.state, "storage", None)
    if storage is None:
        storage = DiskStorage(Path(settings.attachments_dir))
        request.app.state.storage = storage
    return storage


StorageDep = Annotated[Storage, Depends(get_storage)]


def item_service(session: SessionDep, actor: CurrentUser) -> ItemService:
    return ItemService(session, actor)


def public_items(session: SessionDep) -> ItemService:
    """For the public SKU lookup: no caller."""
    return ItemService(session, None)


def location_service(session: SessionDep, actor: CurrentUser) -> LocationService:
    return LocationService(session, actor, stock=LedgerRepository(session))


def ledger_service(session: SessionDep, actor: CurrentUser) -> LedgerService:
    return LedgerService(session, actor)


def entry_service(session: SessionDep, actor: CurrentUser) -> EntryService:
    return EntryService(session, actor)


def serial_service(session: SessionDep, actor: CurrentUser) -> SerialService:
    return SerialService(session, actor.user_id)


def price_log_service(session: SessionDep) -> PriceLogService:
    return PriceLogService(session)


def config_service(session: SessionDep, actor: CurrentUser) -> ConfigService:
    return ConfigService(session, actor)


def vendor_service(session: SessionDep) -> VendorService:
    return VendorService(session)


def order_service(session: SessionDep, actor: CurrentUser) -> OrderService:
    return OrderService(session, actor)


def order_attachments(
    orders: Annotated[OrderService, Depends(order_service)],
    storage: StorageDep,
    settings: SettingsDep,
) -> OrderAttachments:
    return OrderAttachments(orders, storage, settings.attachment_max_bytes)


def approval_service(session: SessionDep, actor: CurrentUser) -> ApprovalService:
    return ApprovalService(session, actor, APPROVAL_SUBJECTS)


ItemServiceDep = Annotated[ItemService, Depends(item_service)]
PublicItemsDep = Annotated[ItemService, Depends(public_items)]
LocationServiceDep = Annotated[LocationService, Depends(location_service)]
LedgerServiceDep = Annotated[LedgerService, Depends(ledger_service)]
EntryServiceDep = Annotated[EntryService, Depends(entry_service)]
SerialServiceDep = Annotated[SerialService, Depends(serial_service)]
PriceLogServiceDep = Annotated[PriceLogService, Depends(price_log_service)]
ConfigServiceDep = Annotated[ConfigService, Depends(config_service)]
VendorServiceDep = Annotated[VendorService, Depends(vendor_service)]
OrderServiceDep = Annotated[OrderService, Depends(order_service)]
OrderAttachmentsDep = Annotated[OrderAttachments, Depends(order_attachments)]
ApprovalServiceDep = Annotated[ApprovalService, Depends(approval_service)]
