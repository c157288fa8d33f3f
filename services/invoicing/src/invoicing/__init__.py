"""Shopfloor invoicing: Invoices with gapless numbers per store and year, payments that recalculate the invoice's status, a paid invoice for every POS sale, and reports in each store's time zone."""

__version__ = "0.1.0"
