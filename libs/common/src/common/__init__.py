"""Shopfloor shared infrastructure. Infrastructure only: no business rules, tables or event schemas of any service."""
