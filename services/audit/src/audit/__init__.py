"""Shopfloor audit: The append-only activity log of every event of every service: filters, streaming CSV/JSON/NDJSON export, hash-chained monthly partitions"""

__version__ = "0.1.0"
