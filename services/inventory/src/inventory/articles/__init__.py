"""catalog's variants and spares: the quantity-tracked articles, by SKU."""
