"""Vendor product references: a vendor's item number for one of our products."""
