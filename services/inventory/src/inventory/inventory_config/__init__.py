"""The one global inventory configuration (seed 000 ``/api/inventory-config``)."""
