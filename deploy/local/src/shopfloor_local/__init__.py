"""Shopfloor local runner (`make up`)."""
