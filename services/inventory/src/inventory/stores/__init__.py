"""catalog's stores, as inventory knows them from ``catalog.store.*``."""
