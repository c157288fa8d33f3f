"""Vendor manifests of purchase orders: the uploaded file, its raw rows, and the standardised
rows (``ManifestRow``) the rest of the intake pipeline works on."""
