"""Intake products: catalog's products as inventory knows them, and the matching metadata
(UPCs, aliases, specs) inventory keeps for them."""
