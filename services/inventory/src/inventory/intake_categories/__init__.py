"""Intake categories: the taxonomy units are sorted into, with optional spec templates."""
