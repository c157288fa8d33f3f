"""What inventory publishes (``PUBLISHED``) and its own trimmed copies of what it consumes.

Payloads carry what consumers need without calling back: a unit's whole sellable state
for POS's read-model, a ledger row's change and balance, an order as it is after the
change. On the wire money is a string with two decimals (``"379.00"``), a unit cost four
(``"42.5000"``), a quantity ``common.money.quantity_wire``'s form (``"2"`` for a whole
number, else its three decimals: ``"0.500"``); stock entry lines always keep the three
decimals of the column (``"10.000"``).

The consumed copies read only what inventory's handlers use, with the tolerance the
handlers always had: a missing ``line_id`` falls back to the SKU, a missing
``location_id`` to the store's default location, an empty price is no price.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from common.events.contracts import Consumed, Published
from common.money import Amount, Quantity, quantity_wire

# -- wire types --------------------------------------------------------------------------


WireQuantity = Annotated[
    Decimal,
    PlainSerializer(quantity_wire, return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "examples": ["2", "0.500"]},
        mode="serialization",
    ),
]
WireCost = Annotated[
    Decimal,
    PlainSerializer(lambda value: f"{value:f}", return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^-?\d+\.\d{4}$", "examples": ["42.5000"]},
        mode="serialization",
    ),
]


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


OptionalPrice = Annotated[Amount | None, BeforeValidator(_blank_is_none)]
UnitKind = Literal["unit", "quantity"]


class Part(BaseModel):
    """A nested part of a published payload: every field declared, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


# -- published: unit items ---------------------------------------------------------------


class ItemCreated(Published, subjects=("inventory.item.created",)):
    """A unit item was created (status ``intake``), with everything POS needs to sell it."""

    item_id: uuid.UUID
    sku: str
    name: str
    description: str
    product_id: uuid.UUID | None
    category: str
    brand: str
    condition: str
    source: str
    status: str = Field(
        description="intake, on_shelf, reserved, sold, returned, damaged, lost; "
        "deleted when a unit that never entered stock is removed"
    )
    sellable: bool = Field(description="True exactly when the status is on_shelf")
    price: Amount | None = Field(description="The selling price; null until priced")
    currency: str
    store_id: uuid.UUID
    location_id: uuid.UUID | None = Field(description="Where the unit is; null until placed")
    owner_id: str | None = Field(
        default=None, description="The consignee (auth user id) owning a consignment unit"
    )


class ItemUpdated(ItemCreated, subjects=("inventory.item.updated",)):
    """A unit's fields changed (``changed`` names them); its status did not."""

    changed: list[str] = Field(description="The fields that changed")


class ItemStatusChanged(ItemCreated, subjects=("inventory.item.status_changed",)):
    """A unit's status changed: by hand, at check-in, by a POS sale or void, or its deletion."""

    from_status: str = Field(description="The status before")
    event: str = Field(
        description="checked_in, ready, status_changed, sold, voided, deleted (what moved it)"
    )
    sale_id: str | None = Field(default=None, description="The POS sale (sold, voided)")
    line_id: str | None = Field(default=None, description="The sale line (sold)")
    receipt_number: str | None = Field(default=None, description="The sale's receipt (sold)")
    reason: str | None = Field(default=None, description="Why the sale was voided (voided)")


class ItemOversold(Published, subjects=("inventory.item.oversold",)):
    """A sale inventory could not honour, recorded rather than dropped."""

    sale_id: str
    line_id: str
    receipt_number: str | None
    store_id: uuid.UUID | None
    sku: str
    reason: str = Field(description="unit is <status>, not enough stock, or unknown_sku")
    sold_event_id: uuid.UUID
    kind: UnitKind | None = Field(description="null for an unknown SKU")
    item: ItemCreated | None = Field(default=None, description="The unit (kind unit)")
    location_id: uuid.UUID | None = Field(default=None, description="Issued from (quantity)")
    quantity: WireQuantity | None = Field(default=None, description="Sold (quantity)")
    shortfall: WireQuantity | None = Field(default=None, description="Not there (quantity)")


# -- published: the stock ledger ---------------------------------------------------------


class StockChanged(Published, subjects=("inventory.stock.changed",)):
    """One stock-ledger row: the change at a location and the balance after it."""

    ledger_id: int = Field(description="The ledger row (rows are never changed)")
    sku: str
    kind: UnitKind = Field(description="unit (with item_id) or quantity (with article_id)")
    article_id: uuid.UUID | None = Field(description="The catalog variant or spare")
    item_id: uuid.UUID | None = Field(description="The unit item")
    location_id: uuid.UUID
    store_id: uuid.UUID = Field(description="The location's store")
    quantity_change: WireQuantity = Field(description="Signed: -2 left, 3 arrived")
    quantity_after: WireQuantity = Field(description="The balance at the location after it")
    voucher_type: str = Field(
        description="stock_entry, stock_entry_cancel, item, item_move, item_status, "
        "pos_sale, pos_void"
    )
    voucher_id: str = Field(description="The entry, unit or POS sale the row was posted for")


class StockLow(Published, subjects=("inventory.stock.low",)):
    """An article's balance at a location crossed below its threshold (once per crossing)."""

    sku: str
    article_id: uuid.UUID
    location_id: uuid.UUID
    location_code: str
    store_id: uuid.UUID
    quantity: WireQuantity = Field(description="On hand now")
    threshold: WireQuantity = Field(description="The SKU's override, else the default")


class EntryLine(Part):
    line_no: int
    sku: str
    quantity: Quantity
    source_location_id: uuid.UUID | None
    target_location_id: uuid.UUID | None


class StockEntryChanged(
    Published, subjects=("inventory.stock_entry.posted", "inventory.stock_entry.cancelled")
):
    """A stock entry was posted to the ledger, or cancelled with reversing rows."""

    entry_id: uuid.UUID
    number: str
    entry_type: str
    status: str
    reference: str
    lines: list[EntryLine]


# -- published: purchase orders and approvals --------------------------------------------


class OrderLine(Part):
    line_id: int
    kind: str = Field(description="article, unit or text")
    sku: str | None
    description: str
    quantity: WireQuantity
    received_quantity: WireQuantity
    unit_cost: WireCost


class ReceivedLine(Part):
    line_id: int
    line_no: int
    kind: str
    sku: str | None
    quantity: WireQuantity
    location_id: uuid.UUID
    batch_code: str
    serial_numbers: list[str]
    unit_skus: list[str]


class PurchaseOrderCreated(Published, subjects=("inventory.purchase_order.created",)):
    """A purchase order was created (a draft), as it is now."""

    order_id: uuid.UUID
    number: str
    vendor_id: uuid.UUID
    vendor_name: str | None
    store_id: uuid.UUID
    status: str
    currency: str
    total: Amount = Field(description="The sum of the lines, each rounded half up to cents")
    lines: list[OrderLine]


class PurchaseOrderStateChanged(
    PurchaseOrderCreated, subjects=("inventory.purchase_order.state_changed",)
):
    """A purchase order moved from one state to another, by an action."""

    from_status: str
    action: str = Field(
        description="submit, auto-approve, approval, approval_rejected, mark-paid, revert-paid, "
        "mark-shipped, revert-shipped, deliver, revert-delivered, received, mark-complete, cancel"
    )


class PurchaseOrderReceived(PurchaseOrderCreated, subjects=("inventory.purchase_order.received",)):
    """Stock was received against a purchase order (one receive-stock call)."""

    receipt_id: uuid.UUID
    stock_entry_id: uuid.UUID | None = Field(
        description="The posted receipt entry (none when only free-text lines were received)"
    )
    received: list[ReceivedLine] = Field(description="What this call received, per line")
    fully_received: bool = Field(description="Every line of the order is received")


class ApprovalFlowFields(Published):
    """What every approval event says of its flow (``ApprovalService._about``)."""

    flow_id: uuid.UUID
    object_type: str
    object_id: str
    amount: Amount | None
    status: str
    requester_id: str | None


class ApprovalSigned(ApprovalFlowFields, subjects=("inventory.approval.signed",)):
    """One signature on an approval flow (with the signatures so far and the number needed)."""

    signer_id: str
    signer_role: str
    comment: str
    signatures: int
    required: int


class ApprovalCompleted(ApprovalFlowFields, subjects=("inventory.approval.completed",)):
    """An approval flow collected its last signature: its object is approved."""

    signers: list[str]


class ApprovalRejected(ApprovalFlowFields, subjects=("inventory.approval.rejected",)):
    """An eligible signer rejected an approval flow: its object goes back to draft."""

    rejected_by: str
    reason: str


# -- published: drafts, order edits, attachments, approval starts, the intake pipeline ---
# (issue 13: every state change is an event; the reference data's contracts are elsewhere)


class StockEntryDrafted(
    StockEntryChanged,
    subjects=(
        "inventory.stock_entry.drafted",
        "inventory.stock_entry.updated",
        "inventory.stock_entry.deleted",
    ),
):
    """A draft stock entry was created, edited or deleted (as it is, or was); no stock moved."""


class PurchaseOrderUpdated(PurchaseOrderCreated, subjects=("inventory.purchase_order.updated",)):
    """An order's header (or, in a draft, its lines) was edited; ``changed`` names the fields."""

    changed: list[str] = Field(description="The fields sent that changed (lines: all replaced)")


class PurchaseOrderDeleted(PurchaseOrderCreated, subjects=("inventory.purchase_order.deleted",)):
    """A draft order was deleted, as it was."""


class PurchaseOrderLineChanged(
    PurchaseOrderCreated,
    subjects=(
        "inventory.purchase_order.line_added",
        "inventory.purchase_order.line_updated",
        "inventory.purchase_order.line_removed",
    ),
):
    """A draft order's line was added, replaced or removed (the order as it is after it)."""

    line: OrderLine = Field(description="The line as added or replaced, or as it was removed")


class OrderRef(Published):
    """The order an attachment or an intake event is about (``order_ref`` in announce)."""

    order_id: uuid.UUID
    number: str
    store_id: uuid.UUID


class PurchaseOrderAttachmentChanged(
    OrderRef,
    subjects=(
        "inventory.purchase_order.attachment_added",
        "inventory.purchase_order.attachment_removed",
    ),
):
    """A file was attached to an order, or removed from it (its content is not in the event)."""

    attachment_id: uuid.UUID
    filename: str
    content_type: str
    size: int = Field(description="Bytes")


class ApprovalStarted(ApprovalFlowFields, subjects=("inventory.approval.started",)):
    """An approval flow started for an object (at submit, or by hand), from a template."""

    template_id: uuid.UUID | None
    required: int = Field(description="Signatures needed")


class ApprovalSignatureRemoved(
    ApprovalFlowFields, subjects=("inventory.approval.signature_removed",)
):
    """An administrator withdrew a signature from a pending flow (its slot is open again)."""

    signer_id: str = Field(description="Whose signature was removed")
    signatures: int = Field(description="Signatures left")
    required: int


IntakeStep = Literal[
    "upload-manifest",
    "process-manifest",
    "clear-manifest-rows",
    "ai-cleanup-rows",
    "cancel-ai-cleanup",
    "match-products",
    "review-matches",
    "undo-product-matching",
    "update-manifest-pricing",
    "finalize-rows",
    "clear-pricing",
]
JobKind = Literal["ai_cleanup", "process_manifest", "match_products", "create_items"]


class IntakeStepDone(OrderRef, subjects=("inventory.intake.step_done",)):
    """One step of an order's intake pipeline wrote its work: ONE event per step with counts,
    however many manifest rows it touched (the rows themselves are read over HTTP)."""

    step: IntakeStep
    job_id: uuid.UUID | None = Field(
        description="The background job that ran it (a large manifest, the AI cleanup)"
    )
    counts: dict[str, int] = Field(
        description="What the step did, by name (per step in docs/events.md): rows, columns, "
        "rows_written, rows_skipped, units, cleared, cleaned, matched, suggested, unmatched, "
        "rejected, reviewed, created_products, priced, unpriced, changed, finalized, remaining"
    )


class IntakeJobQueued(OrderRef, subjects=("inventory.intake.job_queued",)):
    """A step of a large manifest (or an AI cleanup) was queued as a background job; its
    ``inventory.intake.step_done`` (or units' events) follows when the job's work commits."""

    job_id: uuid.UUID
    kind: JobKind
    total: int = Field(description="The rows the job works through")


ORDERS_AND_INTAKE: list[type[Published]] = [
    StockEntryDrafted,
    PurchaseOrderUpdated,
    PurchaseOrderDeleted,
    PurchaseOrderLineChanged,
    PurchaseOrderAttachmentChanged,
    ApprovalStarted,
    ApprovalSignatureRemoved,
    IntakeStepDone,
    IntakeJobQueued,
]


# -- published: reference data -----------------------------------------------------------
# (issue 13: locations, vendors, serials, the configuration, manifest templates, intake
# categories and products, vendor product refs and approval templates are events too)


def _lifecycle(entity: str) -> tuple[str, ...]:
    """``inventory.<entity>.created|updated|deleted``."""
    return tuple(f"inventory.{entity}.{verb}" for verb in ("created", "updated", "deleted"))


Changes = Annotated[
    list[str],
    Field(
        description="The fields an update changed (an update changing none is not announced); "
        "empty when created or deleted"
    ),
]


class LocationChanged(Published, subjects=_lifecycle("location")):
    """A stock location created, changed or deleted (as it was); a new default location also
    announces the store's previous default as updated (``changed``: is_default)."""

    location_id: uuid.UUID
    store_id: uuid.UUID
    code: str
    name: str
    parent_id: uuid.UUID | None
    is_default: bool
    is_active: bool
    changed: Changes


class VendorChanged(Published, subjects=_lifecycle("vendor")):
    """A vendor created, changed or removed (deleted is soft: ``is_active`` false, its orders
    keep it); contact details are read over HTTP."""

    vendor_id: uuid.UUID
    code: str
    name: str
    currency: str
    is_active: bool
    changed: Changes


class SerialChanged(Published, subjects=_lifecycle("serial")):
    """A serial number recorded, changed or deleted by hand (stock entries move serials with
    their own events)."""

    serial_id: uuid.UUID
    serial_number: str
    sku: str
    status: str
    location_id: uuid.UUID | None
    store_id: uuid.UUID | None = Field(description="The location's store; null when not placed")
    changed: Changes


class ConfigUpdated(Published, subjects=("inventory.config.updated",)):
    """The global inventory configuration was replaced (the per-SKU thresholds themselves are
    read over HTTP)."""

    default_low_stock_threshold: WireQuantity
    override_count: int = Field(description="How many SKUs have their own low-stock threshold")
    allow_negative_stock: bool
    allow_over_receipt: bool
    valuation_method: str
    changed: Changes


class ManifestTemplateChanged(Published, subjects=_lifecycle("manifest_template")):
    """A manifest template (a vendor layout's column mappings) created, changed or deleted."""

    template_id: uuid.UUID
    name: str
    vendor_id: uuid.UUID | None
    header_signature: str
    columns: int = Field(description="The header row's columns")
    changed: Changes


class IntakeCategoryChanged(Published, subjects=_lifecycle("intake_category")):
    """An intake category created, changed or deleted."""

    category_id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None
    specs: list[str] = Field(description="The names of its spec template's attributes")
    changed: Changes


class IntakeProductChanged(Published, subjects=_lifecycle("intake_product")):
    """Inventory's matching metadata of a catalog product created, changed or deleted (the
    product itself is catalog's: ``catalog.product.*``)."""

    product_id: uuid.UUID = Field(description="The catalog product")
    name: str = Field(description="The catalog product's name")
    brand: str
    model: str
    category_id: uuid.UUID | None
    upcs: list[str]
    changed: Changes


class ProductRefChanged(Published, subjects=_lifecycle("product_ref")):
    """A vendor's item number for a product created, changed or deleted."""

    ref_id: uuid.UUID
    vendor_id: uuid.UUID
    product_id: uuid.UUID
    vendor_item_number: str
    unit_cost: WireCost | None
    changed: Changes


class SignerSlot(Part):
    role: str | None = Field(default=None, description="A role slot (that role or a higher one)")
    user_id: str | None = Field(default=None, description="A named signer's slot")


class SignatureThreshold(Part):
    above: Amount
    min_signatures: int


class ApprovalTemplateChanged(Published, subjects=_lifecycle("approval_template")):
    """An approval template created, replaced or deleted (running flows keep their copy)."""

    template_id: uuid.UUID
    name: str
    object_type: str
    min_amount: Amount | None
    signers: list[SignerSlot]
    ordered: bool
    min_signatures: int
    thresholds: list[SignatureThreshold]
    is_active: bool
    changed: Changes


REFERENCE_DATA: list[type[Published]] = [
    LocationChanged,
    VendorChanged,
    SerialChanged,
    ConfigUpdated,
    ManifestTemplateChanged,
    IntakeCategoryChanged,
    IntakeProductChanged,
    ProductRefChanged,
    ApprovalTemplateChanged,
]


PUBLISHED: list[type[Published]] = [
    ItemCreated,
    ItemUpdated,
    ItemStatusChanged,
    ItemOversold,
    StockChanged,
    StockLow,
    StockEntryChanged,
    PurchaseOrderCreated,
    PurchaseOrderStateChanged,
    PurchaseOrderReceived,
    ApprovalSigned,
    ApprovalCompleted,
    ApprovalRejected,
    *ORDERS_AND_INTAKE,
    *REFERENCE_DATA,
]

# -- consumed: catalog -------------------------------------------------------------------


class StoreChanged(Consumed):
    """``catalog.store.*``: the store read-model (locations, orders and units name stores)."""

    store_id: uuid.UUID
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    time_zone: str | None = Field(default=None, max_length=64)
    is_active: bool = True
    deleted: bool = False


class VariantChanged(Consumed):
    """``catalog.variant.*``: a quantity-tracked article by SKU, and its effective price."""

    variant_id: uuid.UUID
    sku: str = Field(max_length=80)
    name: str | None = Field(default=None, max_length=300)
    product_id: uuid.UUID | None = None
    price: OptionalPrice = None
    currency: str | None = Field(default=None, max_length=3)
    is_active: bool = True


class SpareChanged(Consumed):
    """``catalog.spare.created|updated|deleted``: an article whose SKU is the part number;
    a payload without ``price`` leaves the article's price as it is."""

    spare_id: uuid.UUID
    part_number: str = Field(max_length=80)
    name: str | None = Field(default=None, max_length=300)
    currency: str | None = Field(default=None, max_length=3)
    price: OptionalPrice = None


class CatalogProductChanged(Consumed):
    """``catalog.product.*``: the products read-model that intake matches manifest rows to."""

    product_id: uuid.UUID
    slug: str = Field(max_length=220)
    name: str = Field(max_length=300)
    status: str | None = Field(default=None, max_length=16)
    base_price: OptionalPrice = None
    currency: str | None = Field(default=None, max_length=3)
    brand: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=220)


class ProductPriceChanged(Consumed):
    """``catalog.product.price_changed``: a price-log row."""

    product_id: uuid.UUID
    slug: str | None = Field(default=None, max_length=80)
    name: str | None = Field(default=None, max_length=300)
    old_price: OptionalPrice = None
    new_price: OptionalPrice = None
    currency: str | None = Field(default=None, max_length=3)
    changed_by: str | None = Field(default=None, max_length=64)


class SparePriceChanged(Consumed):
    """``catalog.spare.price_changed``: a price-log row and the article's new price."""

    spare_id: uuid.UUID
    part_number: str | None = Field(default=None, max_length=80)
    name: str | None = Field(default=None, max_length=300)
    old_price: OptionalPrice = None
    new_price: OptionalPrice = None
    currency: str | None = Field(default=None, max_length=3)
    changed_by: str | None = Field(default=None, max_length=64)


# -- consumed: POS -----------------------------------------------------------------------


class ItemSold(Consumed):
    """``pos.item.sold``, one per sale line: a unit becomes sold, quantity stock is issued."""

    sale_id: str = Field(min_length=1, max_length=64)
    line_id: str | None = Field(
        default=None, max_length=64, description="Older sales may lack it: the SKU stands in"
    )
    receipt_number: str | None = None
    store_id: uuid.UUID | None = Field(
        default=None, description="Where quantity stock is issued when location_id is empty"
    )
    sku: str = Field(min_length=1, max_length=80)
    quantity: Quantity | None = Field(default=None, description="1 when missing")
    location_id: uuid.UUID | None = None

    @property
    def line(self) -> str:
        """The sale line the ledger records it under."""
        return self.line_id or self.sku


class SaleVoided(Consumed):
    """``pos.sale.voided``: the sale's ledger rows are reversed, its units back on the shelf."""

    sale_id: str = Field(min_length=1, max_length=64)
    reason: str | None = None
