"""Every table of POS on one metadata, for Alembic and the tests: importing this module
registers each domain's models (and common's event and revocation tables) on ``Base``."""

from __future__ import annotations

from pos.bank.models import BankTransaction
from pos.carts.models import Cart, CartLine, ReceiptCounter
from pos.cash.models import Drawer, DrawerMovement, SafeTransaction
from pos.consignment.models import (
    Agreement,
    ConsignedItem,
    Consignee,
    LedgerEntry,
    Payout,
)
from pos.customers.models import Customer
from pos.dashboard.models import OversoldAlert
from pos.db import Base
from pos.goals.models import RevenueGoal
from pos.registers.models import Register
from pos.shelf.models import Article, SellableItem
from pos.shops.models import Store

metadata = Base.metadata

__all__ = [
    "Agreement",
    "Article",
    "BankTransaction",
    "Cart",
    "CartLine",
    "ConsignedItem",
    "Consignee",
    "Customer",
    "Drawer",
    "DrawerMovement",
    "LedgerEntry",
    "OversoldAlert",
    "Payout",
    "ReceiptCounter",
    "Register",
    "RevenueGoal",
    "SafeTransaction",
    "SellableItem",
    "Store",
    "metadata",
]
