"""create_app for catalog: stores, taxonomy, brands, units, qualities, products, variants, spares."""

from __future__ import annotations

from fastapi import FastAPI

from catalog import __version__
from catalog.config import CatalogSettings, get_settings
from catalog.db import EVENT_TABLES, REVOKED_USERS
from catalog.events.contracts import PUBLISHED
from catalog.products.router import routers as product_routers
from catalog.spares.router import router as spares_router
from catalog.stores.router import router as stores_router
from catalog.taxonomy.router import routers as taxonomy_routers
from common.app import create_app

DESCRIPTION = """Stores, the product taxonomy (department → category → subcategory → product → variant),
brands, units, qualities and spare parts. Reads are public (units and qualities need a login);
writes are for system admins. Slugs are generated from names and never change."""


def build_app(settings: CatalogSettings | None = None) -> FastAPI:
    return create_app(
        settings=settings or get_settings(),
        title="Shopfloor catalog",
        version=__version__,
        description=DESCRIPTION,
        routers=[stores_router, *taxonomy_routers, *product_routers, spares_router],
        event_tables=EVENT_TABLES,
        published=PUBLISHED,
        revocations=REVOKED_USERS,
    )


def __getattr__(name: str) -> FastAPI:
    """``catalog.main:app`` for uvicorn, built on first access from the environment."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
