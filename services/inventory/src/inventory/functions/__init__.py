"""Function chains: the small, safe expression language that maps a vendor manifest's columns
to the standard columns (parsed into a tree and interpreted, never ``eval``)."""
