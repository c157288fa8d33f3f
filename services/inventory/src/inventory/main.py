"""build_app for inventory: locations, the stock ledger, stock entries, unit items, serials,
price logs, purchasing and configuration; handlers of catalog's and POS's events."""

from __future__ import annotations

from fastapi import FastAPI

from common.app import create_app
from inventory import __version__
from inventory.approvals.router import router as approvals_router
from inventory.config import InventorySettings, get_settings
from inventory.entries.router import router as entries_router
from inventory.events.contracts import PUBLISHED
from inventory.events.handlers import SUBSCRIPTIONS
from inventory.inventory_config.router import router as config_router
from inventory.items.router import history_router
from inventory.items.router import router as items_router
from inventory.ledger.router import balances_router
from inventory.ledger.router import router as ledger_router
from inventory.locations.router import router as locations_router
from inventory.orders.router import routers as order_routers
from inventory.prices.router import router as prices_router
from inventory.serials.router import router as serials_router
from inventory.tables import EVENT_TABLES, REVOKED_USERS
from inventory.vendors.router import router as vendors_router

DESCRIPTION = """Stock for store-based businesses. Quantity stock (catalog variants and spares,
by SKU) and unit items (one row per physical unit) move only through the append-only stock
ledger: stock entries (receipt, issue, transfer, adjustment) are posted to it, POS sales and
voids arrive as events. Balances per SKU and location always equal the ledger's sum.
Seed 000's inventory routes are for system admins; the /api/inventory routes are for staff on
their own stores, and the item lookup by SKU is public."""


def build_app(settings: InventorySettings | None = None) -> FastAPI:
    return create_app(
        settings=settings or get_settings(),
        title="Shopfloor inventory",
        version=__version__,
        description=DESCRIPTION,
        routers=[
            locations_router,
            items_router,
            history_router,
            balances_router,
            ledger_router,
            entries_router,
            serials_router,
            prices_router,
            config_router,
            vendors_router,
            *order_routers,
            approvals_router,
        ],
        event_tables=EVENT_TABLES,
        subscriptions=SUBSCRIPTIONS,
        published=PUBLISHED,
        revocations=REVOKED_USERS,
    )


def __getattr__(name: str) -> FastAPI:
    """``inventory.main:app`` for uvicorn, built on first access from the environment."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
