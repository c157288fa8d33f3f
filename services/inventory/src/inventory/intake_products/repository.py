"""Every query on catalog's products (the read-model), their profiles and their UPCs."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from common.pagination import PageParams, apply_search, paginate
from common.readmodel import upsert_newer
from inventory.intake_products.models import CatalogProduct, ProductProfile, ProductUpc


@dataclass(frozen=True)
class Known:
    """What matching reads of one product: its id, name, brand, model and aliases."""

    product_id: uuid.UUID
    name: str
    brand: str
    model: str
    aliases: tuple[str, ...]


class ProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- the read-model --------------------------------------------------------------------

    async def catalog_product(self, product_id: uuid.UUID) -> CatalogProduct | None:
        return await self.session.get(CatalogProduct, product_id)

    async def upsert_catalog(self, values: Mapping[str, Any]) -> bool:
        return await upsert_newer(self.session, CatalogProduct, values)

    # -- profiles --------------------------------------------------------------------------

    async def get(self, product_id: uuid.UUID) -> ProductProfile | None:
        return (
            await self.session.execute(
                select(ProductProfile)
                .where(ProductProfile.product_id == product_id)
                .execution_options(populate_existing=True)
            )
        ).scalar_one_or_none()

    async def add(self, profile: ProductProfile) -> ProductProfile:
        self.session.add(profile)
        await self.session.flush()
        return await self.reload(profile.product_id)

    async def reload(self, product_id: uuid.UUID) -> ProductProfile:
        await self.session.flush()
        profile = await self.get(product_id)
        if profile is None:  # just written in this transaction
            raise LookupError(product_id)
        await self.session.refresh(profile)
        return profile

    async def delete(self, profile: ProductProfile) -> None:
        await self.session.delete(profile)
        await self.session.flush()

    async def replace_upcs(self, product_id: uuid.UUID, upcs: Sequence[str]) -> None:
        await self.session.execute(delete(ProductUpc).where(ProductUpc.product_id == product_id))
        self.session.add_all(ProductUpc(upc=upc, product_id=product_id) for upc in upcs)
        await self.session.flush()

    async def upc_owners(self, upcs: Iterable[str]) -> dict[str, uuid.UUID]:
        wanted = list(set(upcs))
        if not wanted:
            return {}
        rows = await self.session.execute(
            select(ProductUpc.upc, ProductUpc.product_id).where(ProductUpc.upc.in_(wanted))
        )
        return {row.upc: row.product_id for row in rows}

    async def existing(self, product_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        wanted = list(set(product_ids))
        if not wanted:
            return set()
        rows = await self.session.execute(
            select(CatalogProduct.id).where(
                CatalogProduct.id.in_(wanted), CatalogProduct.deleted.is_(False)
            )
        )
        return set(rows.scalars())

    async def names(self, product_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
        wanted = list(set(product_ids))
        if not wanted:
            return {}
        rows = await self.session.execute(
            select(CatalogProduct.id, CatalogProduct.name).where(CatalogProduct.id.in_(wanted))
        )
        return {row.id: row.name for row in rows}

    async def known(self) -> list[Known]:
        """Every product matching may name: catalog's (not deleted), with their metadata."""
        rows = await self.session.execute(
            select(
                CatalogProduct.id,
                CatalogProduct.name,
                CatalogProduct.brand,
                ProductProfile.brand.label("profile_brand"),
                ProductProfile.model,
                ProductProfile.aliases,
            )
            .outerjoin(ProductProfile, ProductProfile.product_id == CatalogProduct.id)
            .where(CatalogProduct.deleted.is_(False))
            .order_by(CatalogProduct.id)
        )
        return [
            Known(
                product_id=row.id,
                name=row.name,
                brand=row.profile_brand or row.brand or "",
                model=row.model or "",
                aliases=tuple(row.aliases or ()),
            )
            for row in rows
        ]

    async def listing(
        self, *, category: uuid.UUID | None, search: str | None, page: PageParams
    ) -> tuple[int, list[Any]]:
        statement = (
            select(ProductProfile)
            .join(CatalogProduct, CatalogProduct.id == ProductProfile.product_id)
            .options(selectinload(ProductProfile.codes))
        )
        if category is not None:
            statement = statement.where(ProductProfile.category_id == category)
        statement = apply_search(
            statement, search, [CatalogProduct.name, ProductProfile.search_text]
        )
        statement = statement.order_by(CatalogProduct.name, ProductProfile.product_id)
        return await paginate(self.session, statement, page)
