"""Batch groups: the units of an order of one product and condition, processed together."""
