"""build_app for inventory: locations, the stock ledger, stock entries, unit items, serials,
price logs, purchasing and configuration; handlers of catalog's and POS's events."""

from __future__ import annotations

import asyncio
import uuid

from fastapi import FastAPI

from common.app import create_app
from inventory import __version__
from inventory.ai.provider import app_provider
from inventory.ai.router import router as ai_router
from inventory.ai_cleanup.router import router as cleanup_router
from inventory.ai_cleanup.worker import CleanupWorker
from inventory.approvals.router import router as approvals_router
from inventory.batches.router import order_router as batch_order_router
from inventory.batches.router import router as batches_router
from inventory.config import InventorySettings, get_settings
from inventory.entries.router import router as entries_router
from inventory.events.contracts import PUBLISHED
from inventory.events.handlers import SUBSCRIPTIONS
from inventory.intake_categories.router import router as categories_router
from inventory.intake_jobs.router import router as intake_jobs_router
from inventory.intake_jobs.service import run as run_step_job
from inventory.intake_products.router import router as intake_products_router
from inventory.inventory_config.router import router as config_router
from inventory.items.router import history_router
from inventory.items.router import router as items_router
from inventory.ledger.router import balances_router
from inventory.ledger.router import router as ledger_router
from inventory.locations.router import router as locations_router
from inventory.manifests.router import router as manifests_router
from inventory.matching.router import router as matching_router
from inventory.orders.router import routers as order_routers
from inventory.prices.router import router as prices_router
from inventory.pricing.router import router as pricing_router
from inventory.product_refs.router import router as product_refs_router
from inventory.resets.router import router as resets_router
from inventory.serials.router import router as serials_router
from inventory.tables import EVENT_TABLES, REVOKED_USERS
from inventory.templates.router import router as templates_router
from inventory.vendors.router import router as vendors_router

DESCRIPTION = """Stock for store-based businesses. Quantity stock (catalog variants and spares,
by SKU) and unit items (one row per physical unit) move only through the append-only stock
ledger: stock entries (receipt, issue, transfer, adjustment) are posted to it, POS sales and
voids arrive as events. Balances per SKU and location always equal the ledger's sum.
Purchase orders take a vendor's manifest through the intake pipeline (standardise, match,
price, create the units in batch groups, check them in). Seed 000's inventory routes are for
system admins; the /api/inventory and /api/ai routes are for staff on their own stores, and the
item lookup by SKU is public."""


async def start_cleanup_worker(app: FastAPI) -> None:
    """The background worker of intake jobs (AI cleanup, large manifests' steps), stopped
    with the event tasks."""
    settings = app.state.settings
    database = app.state.database

    async def steps(job_id: uuid.UUID) -> None:
        await run_step_job(database, job_id)

    worker = CleanupWorker(
        database,
        lambda: app_provider(app.state, settings),
        poll=settings.intake_job_poll_seconds,
        timeout=settings.ai_timeout_seconds,
        steps=steps,
        notifications=app.state.notifications,
    )
    app.state.event_tasks.append(asyncio.create_task(worker.run(), name="inventory-intake-jobs"))


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
            manifests_router,
            cleanup_router,
            intake_jobs_router,
            matching_router,
            pricing_router,
            batch_order_router,
            resets_router,
            batches_router,
            templates_router,
            categories_router,
            intake_products_router,
            product_refs_router,
            approvals_router,
            ai_router,
        ],
        event_tables=EVENT_TABLES,
        subscriptions=SUBSCRIPTIONS,
        published=PUBLISHED,
        revocations=REVOKED_USERS,
        on_startup=[start_cleanup_worker],
    )


def __getattr__(name: str) -> FastAPI:
    """``inventory.main:app`` for uvicorn, built on first access from the environment."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
