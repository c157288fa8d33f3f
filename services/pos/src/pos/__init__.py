"""Shopfloor POS: registers, drawers, carts and sales, cash management, receipts, dashboard."""

__version__ = "0.1.0"
