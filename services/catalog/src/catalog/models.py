"""Every table of the catalog database, one import away (Alembic's env and the tests read
``Base.metadata`` from here). The tables themselves live with their domain."""

from __future__ import annotations

from catalog.db import EVENT_TABLES, REVOKED_USERS, Base
from catalog.files.models import StoredFile
from catalog.products.models import Product, ProductStatus, Variant
from catalog.settings.models import AppSetting
from catalog.spares.models import Spare, spare_brands, spare_products
from catalog.stores.models import Store
from catalog.taxonomy.models import Brand, Category, Department, Quality, Subcategory, Unit

__all__ = [
    "EVENT_TABLES",
    "REVOKED_USERS",
    "AppSetting",
    "Base",
    "Brand",
    "Category",
    "Department",
    "Product",
    "ProductStatus",
    "Quality",
    "Spare",
    "Store",
    "StoredFile",
    "Subcategory",
    "Unit",
    "Variant",
    "spare_brands",
    "spare_products",
]
