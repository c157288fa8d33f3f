"""Inventory's events: the contracts it publishes and consumes, its outbox, its handlers."""
