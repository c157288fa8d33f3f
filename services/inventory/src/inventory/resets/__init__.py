"""Resetting an order: the reverse-order deletion plan and the purge."""
