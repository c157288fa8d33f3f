"""create_app for POS: registers, drawers, carts and sales from its own read-model of
sellable items; the events it publishes and the handlers of auth's, catalog's and
inventory's."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from common.app import create_app
from pos import __version__
from pos.agreements.router import router as agreements_router
from pos.bank.router import router as bank_router
from pos.carts.router import router as carts_router
from pos.config import PosSettings, get_settings
from pos.consigned.router import router as consigned_router
from pos.consignees.router import router as consignees_router
from pos.dashboard.router import router as dashboard_router
from pos.db import EVENT_TABLES, REVOKED_USERS
from pos.drawers.router import router as drawers_router
from pos.events.contracts import PUBLISHED
from pos.events.handlers import SUBSCRIPTIONS
from pos.goals.router import router as goals_router
from pos.inflight import InFlightLimit
from pos.payouts.router import router as payouts_router
from pos.portal.router import router as portal_router
from pos.receipts.router import router as receipts_router
from pos.registers.router import router as registers_router
from pos.safe.router import router as safe_router
from pos.shops.router import router as shops_router

DESCRIPTION = """The register. Cashiers open a drawer with a count, sell from carts and close
with a count (expected, counted, variance); every cash movement is a row. Items are found by
SKU in POS's own read-model of inventory's units and catalog's articles, so POS keeps selling
while inventory is down; sales reach inventory as pos.item.sold events. Managers run the store's safe (drops,
draws, returns, audits), bank runs and daily revenue goals; receipts print as 80-column text
or PDF; the dashboard shows each store's day in its own time zone. Employee+ routes are
for advisors and up, Manager+ for branch heads and up, each on their own stores.

Consignment (/api/consignment/): consignee accounts (users in auth), versioned agreements,
consigned unit items whose share is computed at the sale in the sale's transaction, period
payouts (one per consignee and period, paid once) and the consignee's own portal."""


def build_app(settings: PosSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = create_app(
        settings=settings,
        title="Shopfloor POS",
        version=__version__,
        description=DESCRIPTION,
        routers=[
            shops_router,
            registers_router,
            drawers_router,
            carts_router,
            safe_router,
            bank_router,
            goals_router,
            receipts_router,
            dashboard_router,
            consignees_router,
            agreements_router,
            consigned_router,
            payouts_router,
            portal_router,
        ],
        event_tables=EVENT_TABLES,
        subscriptions=SUBSCRIPTIONS,
        published=PUBLISHED,
        revocations=REVOKED_USERS,
    )
    app.add_middleware(InFlightLimit, limit=settings.in_flight_limit)
    return app


def __getattr__(name: str) -> FastAPI:
    """``pos.main:app`` for uvicorn, built on first access from the environment.

    Then the heap built so far (every module, the app, its routes and schemas: some 200,000
    objects) is frozen out of the cyclic garbage collector's way: otherwise each of its full
    collections walks them all, a pause of ~0.2 s in the middle of sales (measured with
    ``bench``'s pos-rates). Objects made later are collected as ever."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        gc.collect()
        gc.freeze()
        return built
    raise AttributeError(name)
