"""The events catalog publishes, one contract per payload shape (docs/events.md, generated).

Payloads carry what consumers need without calling back: ids, slugs, names, prices as
strings with two decimals (``Amount``), coordinates with six. A contract forbids unknown
fields, and every field is always on the wire (``null`` when empty), so consumers can
rely on the shape. ``changed`` is only on ``updated`` events, hence separate contracts.

Catalog consumes ``auth.user.deactivated`` / ``auth.user.updated`` only through
``common.revocations`` (its ``revoked_users`` read-model), so it declares no consumed
contract of its own.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import Field, JsonValue

from common.events.contracts import Published
from common.money import Amount, decimal_type

# NUMERIC(9,6): degrees, as stored ("40.705000").
if TYPE_CHECKING:
    Coordinate = Decimal
else:
    Coordinate = decimal_type(places=6, integer_digits=3, what="coordinate", example="40.705000")
Changed = list[str]


# ------------------------------------------------------------------ stores


class StoreFields(Published):
    """What attendance (geofence), POS (registers) and inventory (locations) need of a store."""

    store_id: uuid.UUID
    code: str
    name: str
    address: str
    phone: str
    time_zone: str = Field(description="IANA time zone name")
    latitude: Coordinate | None
    longitude: Coordinate | None
    geofence_radius_m: int
    is_headquarters: bool
    is_active: bool
    deleted: bool = Field(description="Soft-deleted: hidden from lists, still resolvable")


class StoreChanged(StoreFields, subjects=("catalog.store.created", "catalog.store.deleted")):
    """A store was created, or soft-deleted."""


class StoreUpdated(StoreFields, subjects=("catalog.store.updated",)):
    """A store's fields changed."""

    changed: Changed = Field(description="The fields the request changed, sorted")


# ------------------------------------------------------------------ products


class ProductFields(Published):
    product_id: uuid.UUID
    slug: str
    name: str
    status: str = Field(description="active, draft or archived")
    base_price: Amount
    currency: str
    brand: str | None = Field(description="The brand's name")
    department: str | None = Field(description="Slugs of the product's place in the taxonomy")
    category: str | None
    subcategory: str | None


class ProductChanged(
    ProductFields, subjects=("catalog.product.created", "catalog.product.deleted")
):
    """A product was created or deleted."""


class ProductUpdated(ProductFields, subjects=("catalog.product.updated",)):
    """A product's fields changed."""

    changed: Changed = Field(description="The fields the request sent, sorted")


class ProductPriceChanged(ProductFields, subjects=("catalog.product.price_changed",)):
    """Published beside ``catalog.product.updated`` when ``base_price`` really changed."""

    old_price: Amount
    new_price: Amount
    changed_by: str = Field(description="The user id of who changed it")


# ------------------------------------------------------------------ variants


class VariantFields(Published):
    variant_id: uuid.UUID
    slug: str
    sku: str
    name: str
    product_id: uuid.UUID
    product_slug: str
    product_name: str
    price: Amount = Field(description="The effective price: the override, else the base price")
    currency: str
    attributes: dict[str, Any]
    unit: str | None = Field(description="Unit slug")
    quality: str | None = Field(description="Quality slug")
    is_active: bool


class VariantChanged(
    VariantFields, subjects=("catalog.variant.created", "catalog.variant.deleted")
):
    """A variant was created or deleted."""


class VariantUpdated(VariantFields, subjects=("catalog.variant.updated",)):
    """A variant's fields changed."""

    changed: Changed = Field(description="The fields the request sent, sorted")
    old_price_override: Amount | None


# ------------------------------------------------------------------ spares


class SpareFields(Published):
    spare_id: uuid.UUID
    part_number: str
    name: str
    currency: str


class SpareChanged(SpareFields, subjects=("catalog.spare.created", "catalog.spare.deleted")):
    """A spare part was created or deleted; the price travels with it (the API shows it to admins only)."""

    price: Amount


class SpareUpdated(SpareFields, subjects=("catalog.spare.updated",)):
    """A spare part's fields changed."""

    price: Amount
    changed: Changed = Field(description="The fields the request sent, sorted")


class SparePriceChanged(SpareFields, subjects=("catalog.spare.price_changed",)):
    """Published beside ``catalog.spare.updated`` when the price really changed."""

    old_price: Amount
    new_price: Amount
    changed_by: str = Field(description="The user id of who changed it")


# ------------------------------------------------------------------ core: settings and files


class SettingChanged(Published, subjects=("catalog.setting.changed",)):
    """An app setting was created or changed (seed 002 Core /api/core/settings/)."""

    key: str
    value: JsonValue = Field(description="The setting's value now (any JSON but null)")
    changed: Changed = Field(description="The fields the request set, sorted")


class SettingDeleted(Published, subjects=("catalog.setting.deleted",)):
    """An app setting was deleted."""

    key: str


class FileFields(Published):
    file_id: uuid.UUID
    filename: str
    content_type: str = Field(description="By the file's content, not what the client declared")
    size: int = Field(description="Bytes stored")
    uploaded_by: str = Field(description="The user id of who uploaded it")


class FileChanged(FileFields, subjects=("catalog.file.uploaded", "catalog.file.deleted")):
    """A file was uploaded, or deleted with its bytes (seed 002 Core /api/core/files/)."""


class FileUpdated(FileFields, subjects=("catalog.file.updated",)):
    """A file record was renamed or its description changed."""

    changed: Changed = Field(description="The fields the request sent, sorted")


# ------------------------------------------------------------------ taxonomy

TAXONOMY = ("department", "category", "subcategory", "brand", "unit", "quality")


class TaxonomyChanged(
    Published,
    subjects=tuple(
        f"catalog.{name}.{verb}" for name in TAXONOMY for verb in ("created", "updated", "deleted")
    ),
):
    """A department, category, subcategory, brand, unit or quality created, changed
    (``changed`` names the fields sent) or deleted."""

    id: int
    slug: str
    name: str
    parent_id: int | None = Field(
        description="The department of a category, the category of a subcategory; else null"
    )
    changed: Changed = Field(description="The fields an update sent; empty otherwise")


PUBLISHED: list[type[Published]] = [
    StoreChanged,
    StoreUpdated,
    ProductChanged,
    ProductUpdated,
    ProductPriceChanged,
    VariantChanged,
    VariantUpdated,
    SpareChanged,
    SpareUpdated,
    SparePriceChanged,
    FileChanged,
    FileUpdated,
    SettingChanged,
    SettingDeleted,
    TaxonomyChanged,
]
