"""Pricing manifest rows before they arrive: proposed prices, then final ones."""
