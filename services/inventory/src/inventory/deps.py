"""Typed dependencies for inventory's routes: its settings, the attachment store, catalog and
the AI provider, and each domain's service built per request for the caller (services never
build each other's wiring, routes never build services)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from common.config import settings_of
from common.db import SessionDep
from common.roles import Caller, Role, ServicePrincipal
from common.security import CurrentUser, require_scopes
from inventory.ai.provider import AIProvider, app_provider
from inventory.ai.service import ChatService
from inventory.ai.throttle import Throttle
from inventory.ai_cleanup.service import CleanupService
from inventory.approvals.service import ApprovalService
from inventory.batches.service import BatchService
from inventory.config import InventorySettings
from inventory.entries.service import EntryService
from inventory.intake_categories.service import CategoryService
from inventory.intake_jobs.service import IntakeJobService
from inventory.intake_products.catalog import Catalog, HttpCatalog
from inventory.intake_products.service import IntakeProductService
from inventory.inventory_config.service import ConfigService
from inventory.items.service import ItemService
from inventory.ledger.repository import LedgerRepository
from inventory.ledger.service import LedgerService
from inventory.locations.service import LocationService
from inventory.manifests.service import Limits, ManifestService
from inventory.matching.service import MatchingService
from inventory.orders.attachments import OrderAttachments
from inventory.orders.models import PurchaseOrder
from inventory.orders.service import APPROVAL_SUBJECTS, OrderService
from inventory.prices.service import PriceLogService
from inventory.pricing.service import PricingService
from inventory.product_refs.service import RefService
from inventory.resets.service import ResetService
from inventory.serials.service import SerialService
from inventory.storage import DiskStorage, Storage
from inventory.templates.service import TemplateService
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


def get_catalog(request: Request, settings: SettingsDep) -> Catalog:
    """Catalog over HTTP (a test may put a transport standing in for it on the app's state)."""
    return HttpCatalog(settings, transport=getattr(request.app.state, "catalog_transport", None))


def get_provider(request: Request, settings: SettingsDep) -> AIProvider | None:
    return app_provider(request.app.state, settings)


def get_throttle(request: Request, settings: SettingsDep) -> Throttle:
    throttle: Throttle | None = getattr(request.app.state, "ai_throttle", None)
    if throttle is None:
        throttle = Throttle(settings.rate_limit_storage_uri, settings.ai_chat_rate)
        request.app.state.ai_throttle = throttle
    return throttle


CatalogDep = Annotated[Catalog, Depends(get_catalog)]
ProviderDep = Annotated[AIProvider | None, Depends(get_provider)]


# Staff, or another service granted items:create (POS taking a unit in on consignment).
ITEMS_CREATE = "items:create"
ItemCreator = Annotated[Caller, Depends(require_scopes(ITEMS_CREATE, or_roles=[Role.advisor]))]


def item_service(session: SessionDep, actor: CurrentUser) -> ItemService:
    return ItemService(session, actor)


def item_creator(session: SessionDep, caller: ItemCreator) -> ItemService:
    """Staff for their stores, or another service (``items:create``) acting as itself."""
    if isinstance(caller, ServicePrincipal):
        return ItemService.for_system(session, actor=caller.user_id)
    return ItemService(session, caller)


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


def vendor_service(session: SessionDep, actor: CurrentUser) -> VendorService:
    return VendorService(session, actor.user_id)


def order_service(
    session: SessionDep, actor: CurrentUser, settings: SettingsDep, catalog: CatalogDep
) -> OrderService:
    async def delivered(order: PurchaseOrder) -> None:
        jobs = IntakeJobService(
            session, actor, threshold=settings.intake_background_rows, catalog=catalog
        )
        await jobs.create_when_delivered(order)

    return OrderService(session, actor, on_delivered=delivered)


def order_attachments(
    orders: Annotated[OrderService, Depends(order_service)],
    storage: StorageDep,
    settings: SettingsDep,
) -> OrderAttachments:
    return OrderAttachments(orders, storage, settings.attachment_max_bytes)


def approval_service(session: SessionDep, actor: CurrentUser) -> ApprovalService:
    return ApprovalService(session, actor, APPROVAL_SUBJECTS)


def template_service(session: SessionDep, actor: CurrentUser) -> TemplateService:
    return TemplateService(session, actor.user_id)


def category_service(session: SessionDep, actor: CurrentUser) -> CategoryService:
    return CategoryService(session, actor.user_id)


def intake_product_service(
    session: SessionDep, actor: CurrentUser, catalog: CatalogDep
) -> IntakeProductService:
    return IntakeProductService(session, catalog=catalog, actor_id=actor.user_id)


def ref_service(session: SessionDep, actor: CurrentUser) -> RefService:
    return RefService(session, actor.user_id)


def manifest_service(
    session: SessionDep,
    actor: CurrentUser,
    storage: StorageDep,
    settings: SettingsDep,
    provider: ProviderDep,
) -> ManifestService:
    return ManifestService(
        session,
        actor,
        storage=storage,
        limits=Limits(max_bytes=settings.manifest_max_bytes, max_rows=settings.manifest_max_rows),
        provider=provider,
        suggest_timeout=settings.ai_suggest_timeout_seconds,
    )


def matching_service(
    session: SessionDep, actor: CurrentUser, catalog: CatalogDep
) -> MatchingService:
    return MatchingService(session, actor, catalog=catalog)


def pricing_service(session: SessionDep, actor: CurrentUser) -> PricingService:
    return PricingService(session, actor)


def batch_service(session: SessionDep, actor: CurrentUser) -> BatchService:
    return BatchService(session, actor)


def cleanup_service(
    session: SessionDep, actor: CurrentUser, provider: ProviderDep
) -> CleanupService:
    return CleanupService(session, actor, provider)


def intake_job_service(
    session: SessionDep, actor: CurrentUser, settings: SettingsDep, catalog: CatalogDep
) -> IntakeJobService:
    return IntakeJobService(
        session, actor, threshold=settings.intake_background_rows, catalog=catalog
    )


def reset_service(session: SessionDep, actor: CurrentUser, storage: StorageDep) -> ResetService:
    return ResetService(session, actor, storage)


def chat_service(
    provider: ProviderDep,
    throttle: Annotated[Throttle, Depends(get_throttle)],
    settings: SettingsDep,
) -> ChatService:
    return ChatService(
        provider, throttle, max_tokens=settings.ai_max_tokens, timeout=settings.ai_timeout_seconds
    )


ItemServiceDep = Annotated[ItemService, Depends(item_service)]
ItemCreatorDep = Annotated[ItemService, Depends(item_creator)]
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
TemplateServiceDep = Annotated[TemplateService, Depends(template_service)]
CategoryServiceDep = Annotated[CategoryService, Depends(category_service)]
IntakeProductServiceDep = Annotated[IntakeProductService, Depends(intake_product_service)]
RefServiceDep = Annotated[RefService, Depends(ref_service)]
ManifestServiceDep = Annotated[ManifestService, Depends(manifest_service)]
MatchingServiceDep = Annotated[MatchingService, Depends(matching_service)]
PricingServiceDep = Annotated[PricingService, Depends(pricing_service)]
BatchServiceDep = Annotated[BatchService, Depends(batch_service)]
CleanupServiceDep = Annotated[CleanupService, Depends(cleanup_service)]
IntakeJobServiceDep = Annotated[IntakeJobService, Depends(intake_job_service)]
ResetServiceDep = Annotated[ResetService, Depends(reset_service)]
ChatServiceDep = Annotated[ChatService, Depends(chat_service)]
