"""Vendor CSV templates: a known header layout (its signature) and the mappings that suit it."""
