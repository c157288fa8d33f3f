"""Matching manifest rows to products: UPC, then vendor reference, then fuzzy text."""
