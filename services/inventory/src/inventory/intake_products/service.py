"""Intake product rules: one product notion — catalog's — with inventory's matching metadata.

A profile (UPCs, aliases, brand, model, specs, category) is keyed by the catalog product's
id. ``create`` either adds metadata to a catalog product inventory already knows (from
``catalog.product.*``), or creates the product in catalog first (``intake_products.catalog``:
a service token, an idempotency key, 503 naming catalog when it cannot be reached — checked
before anything is written here). A UPC names one product; specs follow the category's
spec template (choices, numbers, required ones).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from common.events.contracts import Event
from common.idempotency import derived_key
from common.pagination import PageParams
from common.updates import changes as sent
from inventory.events.contracts import CatalogProductChanged, IntakeProductChanged
from inventory.events.outbox import outbox
from inventory.intake_categories.models import IntakeCategory
from inventory.intake_categories.service import CategoryService
from inventory.intake_products.catalog import Catalog, CreatedProduct, NewProduct
from inventory.intake_products.models import ProductProfile
from inventory.intake_products.repository import Known, ProductRepository
from inventory.intake_products.schemas import ProductIn, ProductUpdate

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RowProduct:
    """What a manifest row says of a product that does not exist yet."""

    title: str
    brand: str
    model: str
    upc: str | None
    price: Decimal | None
    currency: str
    key: str  # the Idempotency-Key catalog creates the product under (``row_product_key``)


def product_key(idempotency_key: str | None) -> str:
    """The key catalog creates a product asked for through ``POST /api/inventory/products``
    under: derived from the client's ``Idempotency-Key`` (its retry reaches the product
    catalog made), or, without one, a key of this request's own (a retry inside the call is
    safe; two requests for products of one name are two products, as catalog's own route
    makes them, never catalog's 422 for a reused key)."""
    return derived_key(CLIENT_PRODUCT, idempotency_key or uuid.uuid4().hex)


CLIENT_PRODUCT = "inventory-product"
ROW_PRODUCT = "inventory-intake-product"


def row_product_key(
    order_id: uuid.UUID,
    row_id: int,
    *,
    title: str,
    brand: str,
    model: str,
    price: Decimal | None,
    currency: str,
) -> str:
    """The ``Idempotency-Key`` for the product a manifest row asks catalog to create: the
    order, the row and what the row says of the product. A retried review (its transaction
    failed after catalog made the product) sends the same key and body, so catalog answers
    the product it made instead of a second one; the row changed since (an AI cleanup after
    an undo) is another key, a product of its own, never catalog's 422 for a reused key."""
    said = "\x1f".join([str(order_id), str(row_id), title, brand, model, f"{price}", currency])
    return derived_key(ROW_PRODUCT, said)


class IntakeProductService:
    def __init__(
        self, session: AsyncSession, *, catalog: Catalog | None = None, actor_id: str | None = None
    ) -> None:
        self.session = session
        self.products = ProductRepository(session)
        self.categories = CategoryService(session)
        self.catalog = catalog
        self.actor_id = actor_id

    async def get(self, product_id: uuid.UUID) -> ProductProfile:
        profile = await self.products.get(product_id)
        if profile is None:
            raise NotFound(f"No intake product {product_id} (no matching metadata for it).")
        return profile

    async def listing(
        self, *, category: uuid.UUID | None, search: str | None, page: PageParams
    ) -> tuple[int, list[Any]]:
        return await self.products.listing(category=category, search=search, page=page)

    async def known(self) -> list[Known]:
        return await self.products.known()

    async def upc_owners(self, upcs: Sequence[str]) -> dict[str, uuid.UUID]:
        return await self.products.upc_owners(upcs)

    async def existing(self, product_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        return await self.products.existing(product_ids)

    async def names(self, product_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
        return await self.products.names(product_ids)

    # -- writing ---------------------------------------------------------------------------

    async def create(
        self, body: ProductIn, *, idempotency_key: str | None = None
    ) -> ProductProfile:
        category = await self._category(body.category_id)
        _check_specs(category, body.specs)
        await self._upcs_free(body.upcs)
        if body.catalog_product_id is not None:
            product = await self.products.catalog_product(body.catalog_product_id)
            if product is None or product.deleted:
                raise field_error(
                    "catalog_product_id",
                    f"Catalog has no product {body.catalog_product_id} (or inventory has not "
                    "heard of it yet: products reach inventory by catalog's events).",
                )
            product_id = product.id
        else:
            name = body.name or ""
            created = await self._create_in_catalog(
                NewProduct(
                    name=name,
                    base_price=body.base_price if body.base_price is not None else ZERO,
                    currency=body.currency,
                    description=body.description,
                    brand=body.brand,
                    model=body.model,
                ),
                key=product_key(idempotency_key),
            )
            product_id = created.product_id
        if await self.products.get(product_id) is not None:
            raise Conflict(
                f"Product {product_id} already has matching metadata: update it instead."
            )
        profile = await self._add_profile(
            product_id,
            brand=body.brand,
            model=body.model,
            category_id=body.category_id,
            upcs=body.upcs,
            aliases=body.aliases,
            specs=dict(body.specs),
            default_condition=body.default_condition,
        )
        await self._announce(_event(profile, []), "created")
        return profile

    async def create_for_row(self, row: RowProduct) -> uuid.UUID:
        """A product for a manifest row no product matches (review decision ``create``):
        created in catalog (deduplicated by ``row.key``), with the row's UPC, brand and model
        as its metadata. Answers the product id (an existing profile is kept)."""
        created = await self._create_in_catalog(
            NewProduct(
                name=row.title,
                base_price=row.price if row.price is not None else ZERO,
                currency=row.currency,
                brand=row.brand,
                model=row.model,
            ),
            key=row.key,
        )
        if await self.products.get(created.product_id) is None:
            owners = await self.products.upc_owners([row.upc] if row.upc else [])
            await self._add_profile(
                created.product_id,
                brand=row.brand,
                model=row.model,
                category_id=None,
                upcs=[row.upc] if row.upc and row.upc not in owners else [],
                aliases=[],
                specs={},
                default_condition=None,
            )
        return created.product_id

    async def learn(
        self, product_id: uuid.UUID, *, brand: str, model: str, upc: str | None
    ) -> None:
        """A row review matched to this product: the product gets matching metadata (if it had
        none) and the row's UPC when no other product holds it."""
        upcs = [upc] if upc and not await self.products.upc_owners([upc]) else []
        profile = await self.products.get(product_id)
        if profile is None:
            await self._add_profile(
                product_id,
                brand=brand,
                model=model,
                category_id=None,
                upcs=upcs,
                aliases=[],
                specs={},
                default_condition=None,
            )
        elif upcs:
            await self.products.replace_upcs(product_id, [*profile.upcs, *upcs])
            profile = await self.products.reload(product_id)
            profile.search_text = _search_text(profile)
            await self.products.reload(product_id)

    async def update(self, product_id: uuid.UUID, body: ProductUpdate) -> ProductProfile:
        profile = await self.get(product_id)
        changes = sent(body)
        category = await self._category(changes.get("category_id", profile.category_id))
        _check_specs(category, changes.get("specs", profile.specs))
        upcs = changes.pop("upcs", None)
        changed = [field for field, value in changes.items() if getattr(profile, field) != value]
        if upcs is not None:
            await self._upcs_free(upcs, owner=profile.product_id)
            if list(dict.fromkeys(upcs)) != profile.upcs:
                changed.append("upcs")
            await self.products.replace_upcs(profile.product_id, list(dict.fromkeys(upcs)))
        for field, value in changes.items():
            setattr(profile, field, value)
        profile = await self.products.reload(profile.product_id)
        profile.search_text = _search_text(profile)
        profile = await self.products.reload(profile.product_id)
        if changed:
            await self._announce(_event(profile, sorted(changed)), "updated")
        return profile

    async def delete(self, product_id: uuid.UUID) -> None:
        """Removes inventory's metadata (and vendor refs); the product stays in catalog."""
        profile = await self.get(product_id)
        gone = _event(profile, [])
        await self.products.delete(profile)
        await self._announce(gone, "deleted")

    async def _announce(self, event: IntakeProductChanged, verb: str) -> None:
        await outbox.publish(self.session, event, verb=verb, actor=self.actor_id)

    async def catalog_changed(self, event: Event[CatalogProductChanged]) -> None:
        """``catalog.product.*``: keep the read-model (an older event never overwrites)."""
        data = event.data
        await self.products.upsert_catalog(
            {
                "id": data.product_id,
                "slug": data.slug,
                "name": data.name,
                "brand": data.brand,
                "category": data.category,
                "base_price": data.base_price,
                "currency": data.currency or "USD",
                "status": data.status or "active",
                "deleted": event.verb == "deleted",
                "synced_at": event.time,
            }
        )

    # -- helpers ---------------------------------------------------------------------------

    async def _create_in_catalog(self, product: NewProduct, *, key: str) -> CreatedProduct:
        if self.catalog is None:
            raise RuntimeError("IntakeProductService needs a catalog to create products")
        created = await self.catalog.create_product(product, key=key)
        await self.products.upsert_catalog(
            {
                "id": created.product_id,
                "slug": created.slug,
                "name": created.name,
                "brand": created.brand,
                "category": created.category,
                "base_price": created.base_price,
                "currency": created.currency,
                "status": created.status,
                "deleted": False,
                "synced_at": created.updated_at,
            }
        )
        return created

    async def _add_profile(
        self,
        product_id: uuid.UUID,
        *,
        brand: str,
        model: str,
        category_id: uuid.UUID | None,
        upcs: Sequence[str],
        aliases: Sequence[str],
        specs: dict[str, Any],
        default_condition: str | None,
    ) -> ProductProfile:
        profile = await self.products.add(
            ProductProfile(
                product_id=product_id,
                brand=brand.strip(),
                model=model.strip(),
                category_id=category_id,
                aliases=list(dict.fromkeys(alias.strip() for alias in aliases)),
                specs=specs,
                default_condition=default_condition,
                created_by=self.actor_id,
            )
        )
        await self.products.replace_upcs(product_id, list(dict.fromkeys(upcs)))
        profile = await self.products.reload(product_id)
        profile.search_text = _search_text(profile)
        return await self.products.reload(product_id)

    async def _category(self, category_id: uuid.UUID | None) -> IntakeCategory | None:
        return None if category_id is None else await self.categories.known(category_id)

    async def _upcs_free(self, upcs: Sequence[str], owner: uuid.UUID | None = None) -> None:
        taken = {
            upc: product
            for upc, product in (await self.products.upc_owners(upcs)).items()
            if product != owner
        }
        if taken:
            named = ", ".join(
                f"{upc} (product {product})" for upc, product in sorted(taken.items())
            )
            raise field_error(
                "upcs", f"UPC already names another product: {named}.", status=Conflict
            )


def _event(profile: ProductProfile, changed: list[str]) -> IntakeProductChanged:
    return IntakeProductChanged(
        product_id=profile.product_id,
        name=profile.product.name,
        brand=profile.brand,
        model=profile.model,
        category_id=profile.category_id,
        upcs=profile.upcs,
        changed=changed,
    )


def _search_text(profile: ProductProfile) -> str:
    return " ".join([profile.brand, profile.model, *profile.aliases, *profile.upcs]).casefold()


def _check_specs(category: IntakeCategory | None, specs: Mapping[str, Any]) -> None:
    """Specs against the category's template: required ones present, choices and kinds kept."""
    template = {spec["name"]: spec for spec in (category.spec_template if category else [])}
    for spec in template.values():
        if spec.get("required") and spec["name"] not in specs:
            raise field_error(
                f"specs.{spec['name']}",
                f"{category.name if category else ''}: {spec['name']} is required.",
            )
    for name, value in specs.items():
        field = template.get(name)
        if field is None:
            continue
        kind = field.get("kind", "text")
        if kind == "choice" and str(value) not in field.get("choices", []):
            raise field_error(f"specs.{name}", f"{name} is one of {', '.join(field['choices'])}.")
        if kind == "boolean" and not isinstance(value, bool):
            raise field_error(f"specs.{name}", f"{name} is true or false.")
        if kind == "number" and (
            isinstance(value, bool) or not str(value).lstrip("-").replace(".", "", 1).isdigit()
        ):
            raise field_error(f"specs.{name}", f"{name} is a number.")
