"""Every table of the inventory database on one metadata, for Alembic and the tests:
importing this module registers each domain's models on ``Base``."""

from __future__ import annotations

from inventory.ai_cleanup.models import IntakeJob
from inventory.approvals.models import ApprovalFlow, ApprovalSignature, ApprovalTemplate
from inventory.articles.models import Article
from inventory.batches.models import BatchGroup
from inventory.db import EVENT_TABLES, REVOKED_USERS, Base
from inventory.entries.models import StockEntry, StockEntryLine
from inventory.intake_categories.models import IntakeCategory
from inventory.intake_products.models import CatalogProduct, ProductProfile, ProductUpc
from inventory.inventory_config.models import InventoryConfig
from inventory.items.models import Item, ItemEvent
from inventory.ledger.models import Balance, LedgerRow, StockKey
from inventory.locations.models import Location
from inventory.manifests.models import Manifest, ManifestRow, RawRow
from inventory.orders.models import (
    OrderAttachment,
    OrderCounter,
    OrderReceipt,
    OrderTransition,
    PurchaseOrder,
    PurchaseOrderLine,
)
from inventory.prices.models import PriceLog
from inventory.product_refs.models import VendorProductRef
from inventory.serials.models import Serial, SerialEvent
from inventory.stores.models import Store
from inventory.templates.models import ManifestTemplate
from inventory.vendors.models import Vendor

__all__ = [
    "EVENT_TABLES",
    "REVOKED_USERS",
    "ApprovalFlow",
    "ApprovalSignature",
    "ApprovalTemplate",
    "Article",
    "Balance",
    "Base",
    "BatchGroup",
    "CatalogProduct",
    "IntakeCategory",
    "IntakeJob",
    "InventoryConfig",
    "Item",
    "ItemEvent",
    "LedgerRow",
    "Location",
    "Manifest",
    "ManifestRow",
    "ManifestTemplate",
    "OrderAttachment",
    "OrderCounter",
    "OrderReceipt",
    "OrderTransition",
    "PriceLog",
    "ProductProfile",
    "ProductUpc",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "RawRow",
    "Serial",
    "SerialEvent",
    "StockEntry",
    "StockEntryLine",
    "StockKey",
    "Store",
    "Vendor",
    "VendorProductRef",
]
