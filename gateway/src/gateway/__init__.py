"""Shopfloor gateway route table and config renderers."""
